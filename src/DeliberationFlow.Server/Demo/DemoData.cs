using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Definitions;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Council.Papers.Files;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Server.Demo;

/// <summary>
/// Demo data from a real case: the City of Braunschweig's committees and paper 21-15513-01, plus a
/// Beschlussvorlage that runs Finanz- und Personalausschuss → Verwaltungsausschuss → Rat through the real
/// use cases, and a second body to show that bodies are kept apart. Members and accounts are fictitious.
/// Loaded once, into an empty database.
/// </summary>
public sealed class DemoData(DeliberationDbContext db, IPasswordHasher<UserAccount> hasher, DefinitionTemplates templates, IServiceProvider services, TimeProvider clock)
{
    public const string Password = "demo";
    public const string BraunschweigKey = "braunschweig";
    public const string WolfenbuettelKey = "wolfenbuettel";

    public static readonly IReadOnlyList<(string UserName, string Description)> Accounts =
    [
        ("admin", "Admin, Stadt Braunschweig"),
        ("sekretariat-fpa", "Sitzungsdienst Finanz- und Personalausschuss"),
        ("sekretariat-va", "Sitzungsdienst Verwaltungsausschuss und Rat"),
        ("sekretariat-plua", "Sitzungsdienst Planungs- und Umweltausschuss, Stadtbezirksräte 112 und 120"),
        ("ratsmitglied", "Ratsfrau Jana Beispiel (Rat, Finanz- und Personalausschuss)"),
        ("admin-wf", "Admin, Stadt Wolfenbüttel (zweite Körperschaft)"),
    ];

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (await db.Bodies.AnyAsync(cancellationToken))
        {
            return;
        }

        var created = clock.GetUtcNow();
        var braunschweig = await SeedBraunschweigAsync(created, cancellationToken);
        // The second body joins the installation a moment later, so Braunschweig, created first, runs it (the job dashboard).
        await SeedWolfenbuettelAsync(created.AddSeconds(1), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var bodyId in await db.Bodies.Select(b => b.Id).ToListAsync(cancellationToken))
        {
            await templates.ImportAsync(bodyId, cancellationToken);
        }

        await SeedPapersAsync(braunschweig, cancellationToken);
        await SeedOParlCaseAsync(braunschweig, created, cancellationToken);
    }

    private async Task<Body> SeedBraunschweigAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var body = new Body
        {
            Id = Guid.CreateVersion7(now), Key = BraunschweigKey, Name = "Stadt Braunschweig", ShortName = "Braunschweig",
            Ags = "03101000", Created = now, Modified = now,
        };
        db.Bodies.Add(body);

        Organization Committee(string key, string name, string shortName, string classification, int submissionDays, int noticeDays) =>
            Add(new Organization
            {
                Id = Guid.CreateVersion7(now), BodyId = body.Id, Key = key, Name = name, ShortName = shortName,
                Kind = OrganizationKind.Committee, Classification = classification,
                SubmissionDeadlineDays = submissionDays, NoticePeriodDays = noticeDays, Created = now, Modified = now,
            });
        Organization Office(string key, string name, string email) =>
            Add(new Organization
            {
                Id = Guid.CreateVersion7(now), BodyId = body.Id, Key = key, Name = name, Kind = OrganizationKind.AdministrativeOffice,
                Classification = "Verwaltungsbereich", Email = email, Created = now, Modified = now,
            });

        var rat = Committee("rat", "Rat der Stadt Braunschweig", "Rat", "Parlament", 10, 7);
        var va = Committee("va", "Verwaltungsausschuss", "VA", "Hauptausschuss", 10, 7);
        var fpa = Committee("fpa", "Finanz- und Personalausschuss", "FPA", "Ausschuss", 10, 7);
        var plua = Committee("plua", "Planungs- und Umweltausschuss", "PlUA", "Ausschuss", 10, 7);
        var sbr = Committee("sbr-112", "Stadtbezirksrat 112 Wabe-Schunter-Beberbach", "SBR 112", "Stadtbezirksrat", 10, 7);
        var sbr120 = Committee("sbr-120", "Stadtbezirksrat 120 Östliches Ringgebiet", "SBR 120", "Stadtbezirksrat", 10, 7);
        Office("fb10", "10 Fachbereich Zentrale Dienste", "fb10@braunschweig.example");
        Office("fb01", "01 Fachbereich Zentrale Steuerung", "fb01@braunschweig.example");
        Office("fb20", "20 Fachbereich Finanzen", "fb20@braunschweig.example");
        Office("fb61", "61 Fachbereich Stadtplanung und Geoinformation", "fb61@braunschweig.example");

        string[] names =
        [
            "Jana Beispiel", "Tobias Muster", "Aylin Demir", "Klaus Hartmann", "Maria Lehmann", "Jonas Weber",
            "Sabine Krüger", "Felix Schulz", "Ingrid Brandt", "Murat Kaya", "Petra Vogel", "Lars Neumann",
        ];
        var persons = names.Select(name =>
        {
            var parts = name.Split(' ');
            var local = $"{parts[0]}.{parts[1]}".ToLowerInvariant().Replace("ü", "ue", StringComparison.Ordinal);
            return Add(new Person
            {
                Id = Guid.CreateVersion7(now), BodyId = body.Id, Name = name, GivenName = parts[0], FamilyName = parts[1],
                Email = $"{local}@rat.braunschweig.example", Created = now, Modified = now,
            });
        }).ToList();

        void Members(Organization committee, params int[] indexes)
        {
            for (var i = 0; i < indexes.Length; i++)
            {
                Add(new Membership
                {
                    Id = Guid.CreateVersion7(now), BodyId = body.Id, PersonId = persons[indexes[i]].Id, OrganizationId = committee.Id,
                    Role = i == 0 ? "Vorsitz" : "Mitglied", StartDate = new DateOnly(2016, 11, 1), Created = now, Modified = now,
                });
            }
        }

        Members(rat, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        Members(va, 1, 3, 5, 7, 9);
        Members(fpa, 3, 0, 2, 6, 10);
        Members(plua, 4, 5, 8, 11);
        Members(sbr, 7, 9, 10);
        Members(sbr120, 2, 6, 11);

        const string ratssaal = "Rathaus, Großer Sitzungssaal, Platz der Deutschen Einheit 1, 38100 Braunschweig";
        const string raum = "Rathaus, Raum A1.129, Platz der Deutschen Einheit 1, 38100 Braunschweig";
        Meeting(body, rat, "Sitzung des Rates", new(2021, 3, 23, 14, 0, 0), ratssaal, MeetingPublicity.Mixed, now, held: true);
        Meeting(body, rat, "Sitzung des Rates", new(2021, 5, 18, 14, 0, 0), ratssaal, MeetingPublicity.Mixed, now);
        Meeting(body, rat, "Sitzung des Rates", new(2021, 6, 22, 14, 0, 0), ratssaal, MeetingPublicity.Mixed, now);
        Meeting(body, va, "Sitzung des Verwaltungsausschusses", new(2021, 4, 20, 15, 0, 0), raum, MeetingPublicity.NonPublic, now);
        Meeting(body, va, "Sitzung des Verwaltungsausschusses", new(2021, 5, 4, 15, 0, 0), raum, MeetingPublicity.NonPublic, now);
        Meeting(body, va, "Sitzung des Verwaltungsausschusses", new(2021, 6, 8, 15, 0, 0), raum, MeetingPublicity.NonPublic, now);
        Meeting(body, fpa, "Sitzung des Finanz- und Personalausschusses", new(2021, 3, 11, 15, 0, 0), raum, MeetingPublicity.Mixed, now);
        Meeting(body, fpa, "Sitzung des Finanz- und Personalausschusses", new(2021, 4, 29, 15, 0, 0), raum, MeetingPublicity.Mixed, now);
        Meeting(body, fpa, "Sitzung des Finanz- und Personalausschusses", new(2021, 6, 10, 15, 0, 0), raum, MeetingPublicity.Mixed, now);
        Meeting(body, plua, "Sitzung des Planungs- und Umweltausschusses", new(2021, 4, 14, 15, 0, 0), raum, MeetingPublicity.Mixed, now);
        Meeting(body, plua, "Sitzung des Planungs- und Umweltausschusses", new(2021, 5, 26, 15, 0, 0), raum, MeetingPublicity.Mixed, now);
        Meeting(body, sbr, "Sitzung des Stadtbezirksrates 112", new(2021, 4, 13, 19, 0, 0), "Gemeinschaftshaus Querum", MeetingPublicity.Public, now);
        Meeting(body, sbr120, "Sitzung des Stadtbezirksrates 120", new(2021, 4, 15, 18, 0, 0), "Stadtteilzentrum Ringgebiet", MeetingPublicity.Public, now);

        // A calendar ahead, so papers registered today find their meetings: a four-week cycle from the first Thursday a
        // week or more from now, each committee on its own weekday as councils meet (FPA Thursday, PlUA Friday, VA and
        // Rat on the Tuesdays after, the Stadtbezirksräte in the evenings before), and a meeting whose day is a public
        // holiday in Lower Saxony on the next working day (no FPA on New Year's Day).
        var from = BodyClock.ToLocal(now, Berlin).Date;
        if (from < new DateTime(2021, 7, 1))
        {
            from = new DateTime(2021, 7, 1);
        }

        var firstThursday = from.AddDays(7 + (((int)DayOfWeek.Thursday - (int)from.AddDays(7).DayOfWeek + 7) % 7));
        foreach (var (committee, offsetDays, hour, location, publicity) in new[]
                 {
                     (fpa, 0, 15, raum, MeetingPublicity.Mixed), (plua, 1, 15, raum, MeetingPublicity.Mixed),
                     (va, 5, 15, raum, MeetingPublicity.NonPublic), (rat, 12, 14, ratssaal, MeetingPublicity.Mixed),
                     (sbr, -1, 19, "Gemeinschaftshaus Querum", MeetingPublicity.Public),
                     (sbr120, -2, 18, "Stadtteilzentrum Ringgebiet", MeetingPublicity.Public),
                 })
        {
            for (var cycle = 0; cycle < 13; cycle++)
            {
                var day = DateOnly.FromDateTime(firstThursday.AddDays((cycle * 28) + offsetDays));
                while (!Deadlines.IsWorkingDay(day, body))
                {
                    day = day.AddDays(1);
                }

                Meeting(body, committee, $"Sitzung: {committee.Name}", day.ToDateTime(new TimeOnly(hour, 0)), location, publicity, now);
            }
        }

        var secretaryScopes = new Dictionary<string, Guid[]>
        {
            ["sekretariat-fpa"] = [fpa.Id],
            ["sekretariat-va"] = [va.Id, rat.Id],
            ["sekretariat-plua"] = [plua.Id, sbr.Id, sbr120.Id],
        };
        AddUser(body, "admin", "Sitzungsdienst (Admin)", UserRole.Admin, [], null, now);
        foreach (var (userName, committees) in secretaryScopes)
        {
            AddUser(body, userName, Accounts.Single(a => a.UserName == userName).Description, UserRole.Secretary, committees, null, now);
        }

        AddUser(body, "ratsmitglied", persons[0].Name, UserRole.Councillor, [], persons[0].Id, now);
        return body;
    }

    private Task SeedWolfenbuettelAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        var body = new Body
        {
            Id = Guid.CreateVersion7(now), Key = WolfenbuettelKey, Name = "Stadt Wolfenbüttel", ShortName = "Wolfenbüttel",
            Ags = "03158037", Created = now, Modified = now,
        };
        db.Bodies.Add(body);
        var rat = Add(new Organization
        {
            Id = Guid.CreateVersion7(now), BodyId = body.Id, Key = "rat", Name = "Rat der Stadt Wolfenbüttel", ShortName = "Rat",
            Kind = OrganizationKind.Committee, Classification = "Parlament", Created = now, Modified = now,
        });
        Add(new Organization
        {
            Id = Guid.CreateVersion7(now), BodyId = body.Id, Key = "fb1", Name = "Fachbereich 1 Zentrale Dienste",
            Kind = OrganizationKind.AdministrativeOffice, Email = "fb1@wolfenbuettel.example", Created = now, Modified = now,
        });
        Meeting(body, rat, "Sitzung des Rates", new(2021, 5, 12, 17, 0, 0), "Rathaus Wolfenbüttel, Ratssaal", MeetingPublicity.Mixed, now);
        AddUser(body, "admin-wf", "Sitzungsdienst Wolfenbüttel (Admin)", UserRole.Admin, [], null, now);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The papers travel through the real use cases, on a clock set to their historic dates. So each step takes the API's
    /// path through the unit of work (UnitOfWorkTransaction: one transaction, a step undone by a deadlock or a workflow
    /// loop run again, the journal written), with a runner of its own only for the clock; the runner is never called
    /// directly here. What was seeded before is saved already: a step run again starts from an emptied change tracker.
    /// </summary>
    private async Task SeedPapersAsync(Body body, CancellationToken cancellationToken)
    {
        var admin = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "admin", cancellationToken);
        var caller = new Caller(admin.Id, admin.UserName, body.Id, UserRole.Admin, new HashSet<Guid>(), null);
        var history = new HistoricClock(BodyClock.FromLocal(new DateTime(2021, 3, 1, 9, 0, 0), Berlin));
        var runner = ActivatorUtilities.CreateInstance<WorkflowRunner>(services, history);
        var register = ActivatorUtilities.CreateInstance<RegisterPaper>(services, runner, history);
        var record = ActivatorUtilities.CreateInstance<RecordOutcome>(services, runner, history);

        // 21-15513-01: the administration's Stellungnahme, noted by the Rat on 23.03.2021.
        var statement = await register.HandleAsync(caller, new RegisterPaperRequest(
            "21-15513-01", "Sachstand zur Umsetzung der Smart City Strategie", "Stellungnahme", "fb10", ["fb01"], true,
            new DateOnly(2021, 3, 1), null), cancellationToken);
        history.Set(BodyClock.FromLocal(new DateTime(2021, 3, 23, 17, 30, 0), Berlin));
        await record.HandleAsync(caller, statement.Consultations[0].Id,
            new RecordOutcomeRequest(nameof(Outcome.Noted), "zur Kenntnis genommen", null), null, cancellationToken);

        // The staffing decision the Stellungnahme announced: FPA 29.04.2021 → VA 04.05.2021 → Rat.
        history.Set(BodyClock.FromLocal(new DateTime(2021, 4, 1, 9, 0, 0), Berlin));
        var decision = await register.HandleAsync(caller, new RegisterPaperRequest(
            "21-15813", "Smart City: Einrichtung einer Stabsstelle und Stellenplanänderung", "Beschlussvorlage", "fb10", ["fb01", "fb20"], true,
            new DateOnly(2021, 4, 1), null), cancellationToken);
        // Its Vorlage, as the office uploads it with the paper: the page lists it, OParl serves it as the paper's mainFile.
        var upload = ActivatorUtilities.CreateInstance<UploadPaperFile>(services, history);
        await using (var vorlage = new MemoryStream(DemoVorlage.Build()))
        {
            await upload.HandleAsync(caller, decision.Id, new PaperFileUpload(DemoVorlage.FileName, "Beschlussvorlage", "main", vorlage), cancellationToken);
        }

        history.Set(BodyClock.FromLocal(new DateTime(2021, 4, 29, 18, 0, 0), Berlin));
        var afterFpa = await record.HandleAsync(caller, decision.Consultations[0].Id,
            new RecordOutcomeRequest(nameof(Outcome.Adopted), "einstimmig beschlossen", null), null, cancellationToken);
        history.Set(BodyClock.FromLocal(new DateTime(2021, 5, 4, 17, 0, 0), Berlin));
        await record.HandleAsync(caller, afterFpa.Value.Paper.Consultations[1].Id,
            new RecordOutcomeRequest(nameof(Outcome.Adopted), "beschlossen", null), null, cancellationToken);
    }

    /// <summary>
    /// What the OParl interface shows beyond the papers above: the Wahlperioden, the Anfrage 21-15513 that the
    /// Stellungnahme 21-15513-01 answers (superordinated and subordinated papers), the staffing decision 21-15813 as a
    /// related paper of the Stellungnahme, and a non-public paper decided in the non-public part of the FPA (it must
    /// never appear there). The older papers were decided before the service ran, so they carry no workflow.
    /// </summary>
    private async Task SeedOParlCaseAsync(Body body, DateTimeOffset now, CancellationToken cancellationToken)
    {
        db.LegislativeTerms.Add(new LegislativeTerm
        {
            Id = Guid.CreateVersion7(now), BodyId = body.Id, Name = "Wahlperiode 2016–2021", StartDate = new DateOnly(2016, 11, 1),
            EndDate = new DateOnly(2021, 10, 31), Created = now, Modified = now,
        });
        db.LegislativeTerms.Add(new LegislativeTerm
        {
            Id = Guid.CreateVersion7(now), BodyId = body.Id, Name = "Wahlperiode 2021–2026", StartDate = new DateOnly(2021, 11, 1),
            EndDate = new DateOnly(2026, 10, 31), Created = now, Modified = now,
        });

        var offices = await db.Organizations.Where(o => o.BodyId == body.Id).ToDictionaryAsync(o => o.Key, cancellationToken);
        var papers = await db.Papers.Where(p => p.BodyId == body.Id).ToDictionaryAsync(p => p.Reference, cancellationToken);
        var asked = BodyClock.FromLocal(new DateTime(2021, 2, 15, 10, 0, 0), Berlin);
        var question = new Paper
        {
            Id = Guid.CreateVersion7(asked), BodyId = body.Id, Reference = "21-15513", Name = "Sachstand zur Umsetzung der Smart City Strategie",
            PaperType = "Anfrage", Date = new DateOnly(2021, 2, 15), LeadOfficeId = offices["fb10"].Id, Status = PaperStatus.Done,
            Created = asked, Modified = asked,
        };
        db.Papers.Add(question);
        papers["21-15513-01"].SuperordinatedPaperId = question.Id;
        papers["21-15513-01"].Modified = clock.GetUtcNow();
        papers["21-15813"].RelatedPaperIds = [papers["21-15513-01"].Id];
        papers["21-15813"].Modified = clock.GetUtcNow();

        var fpaMeeting = await db.Meetings.FirstAsync(m => m.OrganizationId == offices["fpa"].Id && m.Start < BodyClock.FromLocal(new DateTime(2021, 3, 12), Berlin), cancellationToken);
        var registered = BodyClock.FromLocal(new DateTime(2021, 2, 22, 9, 0, 0), Berlin);
        var decided = BodyClock.FromLocal(new DateTime(2021, 3, 11, 17, 0, 0), Berlin);
        var confidential = new Paper
        {
            Id = Guid.CreateVersion7(registered), BodyId = body.Id, Reference = "21-15490", Name = "Grundstücksangelegenheit: Verkauf einer städtischen Teilfläche",
            PaperType = "Beschlussvorlage", Date = new DateOnly(2021, 2, 22), LeadOfficeId = offices["fb20"].Id, IsPublic = false, Status = PaperStatus.Done,
            Created = registered, Modified = decided,
        };
        db.Papers.Add(confidential);
        db.Consultations.Add(new Consultation
        {
            Id = Guid.CreateVersion7(registered), BodyId = body.Id, PaperId = confidential.Id, OrganizationId = offices["fpa"].Id, MeetingId = fpaMeeting.Id,
            Position = 1, Role = ConsultationRole.Decision, RoleText = "Entscheidung", Authoritative = true, Status = ConsultationStatus.Done,
            Outcome = Outcome.Adopted, ResultText = "einstimmig beschlossen", RecordedAt = decided, RecordedBy = "admin", Created = registered, Modified = decided,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    private void Meeting(Body body, Organization committee, string name, DateTime localStart, string location, MeetingPublicity publicity, DateTimeOffset now, bool held = false)
    {
        var start = BodyClock.FromLocal(localStart, Berlin);
        Add(new Meeting
        {
            Id = Guid.CreateVersion7(now), BodyId = body.Id, OrganizationId = committee.Id, Name = name, Start = start,
            End = start.AddHours(3), Location = location, Publicity = publicity, State = held ? MeetingState.Held : MeetingState.Scheduled,
            Created = now, Modified = now,
        });
    }

    private void AddUser(Body body, string userName, string displayName, UserRole role, Guid[] committees, Guid? personId, DateTimeOffset now)
    {
        var user = new UserAccount
        {
            Id = Guid.CreateVersion7(now), BodyId = body.Id, UserName = userName, DisplayName = displayName, Role = role,
            CommitteeIds = [.. committees], PersonId = personId, PasswordHash = "", Created = now,

            // Secretaries receive the escalations of their committees' overdue steps.
            Email = role == UserRole.Secretary ? $"{userName}@{body.Key}.example" : null,
        };
        user.PasswordHash = hasher.HashPassword(user, Password);
        db.Users.Add(user);
    }

    private T Add<T>(T entity)
        where T : class
    {
        db.Add(entity);
        return entity;
    }

    /// <summary>A clock standing at a chosen moment, so the demo's history is made by the same code as today's papers.</summary>
    private sealed class HistoricClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public void Set(DateTimeOffset now) => _now = now;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
