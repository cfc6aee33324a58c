using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DeliberationFlow.Council.OParl;

public sealed record ImportOParlRequest(string? Source);

/// <summary>
/// What one import did, per OParl type, what it could not map, and which pages of the source it could not read (each
/// with its URL and why; what they hold is missing, and a later import brings it once the source has mended them).
/// <paramref name="CutShort"/>: null when the source was read to its end; else where and why reading stopped early (the
/// time limit, the bound of pages). What was read before is imported, whole, in the import's one transaction.
/// </summary>
public sealed record OParlImportReport(
    string Source,
    IReadOnlyDictionary<string, OParlImportCounts> Counts,
    IReadOnlyList<string> Unmapped,
    IReadOnlyDictionary<string, int> UnmappedRoles,
    IReadOnlyDictionary<string, int> UnmappedResults,
    IReadOnlyList<OParlNotRead> NotRead,
    string? CutShort);

public sealed record OParlImportCounts(int Created, int Updated, int Unchanged, int Deleted);

/// <summary>
/// Imports bodies' data from another council information system (ALLRIS, SessionNet …) that speaks OParl: legislative
/// terms, organizations, persons with memberships, meetings with agenda items, papers with their Beratungsfolge.
/// Raw role and result wording is kept and mapped to the normalised values. Each object is found again by its OParl id,
/// so a second import of the same source changes nothing, and one of a newer state updates, adds and soft-deletes.
/// </summary>
public sealed class ImportOParl(ICouncilDb db, OParlSourceReader reader, TimeProvider clock, IOptions<OParlImportOptions> options)
{
    private readonly Dictionary<string, int[]> _counts = [];
    private readonly List<string> _unmapped = [];
    private readonly Dictionary<string, int> _unmappedRoles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _unmappedResults = new(StringComparer.Ordinal);
    private Dictionary<string, OParlSourceLink> _links = [];
    private Dictionary<Guid, string>? _externalIds;
    private readonly Dictionary<string, List<string>> _problems = new(StringComparer.Ordinal);
    private Guid _bodyId;
    private DateTimeOffset _now;

    /// <param name="actor">Who imports: the admin's user name, or what ran the command line; named in the Änderungsprotokoll.</param>
    public async Task<OParlImportReport> HandleAsync(Guid bodyId, ImportOParlRequest request, bool adoptBodyName, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Source))
        {
            throw RequestValidationException.For("source", "Name an OParl URL (its System, a Body, a list or an object) or a folder of OParl JSON files.");
        }

        // The time limit ends reading the server, the part that waits on it; what was read is then saved in the one
        // transaction below, whole or not at all, so an import cut short leaves every object it brought with its links.
        var source = await reader.ReadAsync(request.Source.Trim(), options.Value.TimeLimit, cancellationToken);
        _unmapped.AddRange(source.Problems);
        _bodyId = bodyId;
        _now = clock.GetUtcNow();
        _links = await db.OParlSourceLinks.Where(l => l.BodyId == bodyId).ToDictionaryAsync(l => l.ExternalId, StringComparer.Ordinal, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ImportBodiesAsync(source, adoptBodyName, cancellationToken);
        await ImportOrganizationsAsync(source, cancellationToken);
        await ImportPersonsAsync(source, cancellationToken);
        await ImportMeetingsAsync(source, cancellationToken);
        await ImportPapersAsync(source, cancellationToken);
        foreach (var orphan in source.OfType("Consultation").Where(c => Resolve(Str(c, "paper"), "Paper") is null))
        {
            Unmapped(orphan, "Consultation", "its paper is not in the source");
        }

        await db.SaveChangesAsync(cancellationToken);
        await LinkAsync(source, cancellationToken);
        _unmapped.AddRange(_problems.Select(p => $"{p.Key} ({p.Value.Count}): {string.Join(", ", p.Value.Take(5))}{(p.Value.Count > 5 ? ", …" : "")}"));
        var report = new OParlImportReport(request.Source.Trim(),
            _counts.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => new OParlImportCounts(c.Value[0], c.Value[1], c.Value[2], c.Value[3])),
            _unmapped, _unmappedRoles, _unmappedResults, source.NotRead, source.CutShort);

        // The import changes committees, persons and seats an admin could change by hand: the record says so, in its save.
        db.AuditEntries.Add(AuditEntry.By(bodyId, actor, AuditAreas.Import, Texts.Cut(report.Source, 200), Summary(report, source.CutShortAt), _now));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return report;
    }

    /// <summary>One line of the record: per OParl type what was added, changed and deleted (unchanged ones left out), what was not mapped and not read.</summary>
    private static string Summary(OParlImportReport report, Uri? cutShortAt)
    {
        var changed = report.Counts.Where(c => c.Value.Created + c.Value.Updated + c.Value.Deleted > 0)
            .Select(c => $"{c.Key} {c.Value.Created} neu, {c.Value.Updated} geändert, {c.Value.Deleted} gelöscht").ToList();
        var text = $"OParl-Import: {(changed.Count == 0 ? "nichts geändert" : string.Join("; ", changed))}" +
                   $"{(report.Unmapped.Count == 0 ? "" : $"; nicht zugeordnet: {report.Unmapped.Count}")}" +
                   $"{(report.NotRead.Count == 0 ? "" : $"; nicht gelesen: {report.NotRead.Count}")}" +
                   $"{(cutShortAt is null ? "" : $"; vorzeitig beendet, ab {cutShortAt} nicht gelesen")}.";
        return Texts.Cut(text, 4000);
    }

    // ---------- Bodies and legislative terms ----------

    private async Task ImportBodiesAsync(OParlSource source, bool adoptBodyName, CancellationToken cancellationToken)
    {
        var bodies = source.OfType("Body").ToList();
        var body = await db.Bodies.GetAsync(_bodyId, cancellationToken);
        foreach (var obj in bodies)
        {
            var (_, isNew) = Link(obj, "Body", _bodyId);
            if (adoptBodyName && bodies.Count == 1)
            {
                body.Name = Str(obj, "name") ?? body.Name;
                body.ShortName = Str(obj, "shortName") ?? body.ShortName;
                body.Ags = Str(obj, "ags") ?? body.Ags;
            }

            Count("Body", isNew ? 0 : 2);
        }

        foreach (var obj in source.OfType("LegislativeTerm"))
        {
            var (term, state) = await UpsertAsync(obj, "LegislativeTerm", db.LegislativeTerms, id => new LegislativeTerm
            {
                Id = id, BodyId = _bodyId, Name = Str(obj, "name") ?? "Wahlperiode", Created = Created(obj), Modified = _now,
            }, cancellationToken);
            if (term is null)
            {
                continue;
            }

            term.Name = Str(obj, "name") ?? term.Name;
            term.StartDate = Day(obj, "startDate");
            term.EndDate = Day(obj, "endDate");
            term.Deleted = state == Change.Deleted;
        }
    }

    // ---------- Organizations ----------

    private async Task ImportOrganizationsAsync(OParlSource source, CancellationToken cancellationToken)
    {
        var keys = (await db.Organizations.IgnoreQueryFilters().Where(o => o.BodyId == _bodyId).Select(o => o.Key).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var offices = source.OfType("Paper").SelectMany(p => Urls(p, "underDirectionOf")).ToHashSet(StringComparer.Ordinal);
        foreach (var obj in source.OfType("Organization"))
        {
            var (organization, state) = await UpsertAsync(obj, "Organization", db.Organizations, id =>
            {
                var key = UniqueKey(Str(obj, "shortName") ?? Str(obj, "name") ?? Tail(Str(obj, "id")!), keys);
                return new Organization { Id = id, BodyId = _bodyId, Key = key, Name = Str(obj, "name") ?? key, Created = Created(obj), Modified = _now };
            }, cancellationToken);
            if (organization is null)
            {
                continue;
            }

            organization.Name = Str(obj, "name") ?? organization.Name;
            organization.ShortName = Str(obj, "shortName");
            organization.Classification = Str(obj, "classification") ?? organization.Classification;
            organization.Kind = KindOf(obj, offices);
            organization.Deleted = state == Change.Deleted;
        }
    }

    /// <summary>
    /// A Gremium or a Verwaltungsbereich: by organizationType where the source says it, else a body that meets or has members
    /// (or is classified) is a committee, and one that only leads papers is an office.
    /// </summary>
    private static OrganizationKind KindOf(JsonObject obj, HashSet<string> offices) => Str(obj, "organizationType") switch
    {
        "Verwaltungsbereich" => OrganizationKind.AdministrativeOffice,
        "Gremium" or "externes Gremium" => OrganizationKind.Committee,
        // Factions and parties have members but are not consulted: kept apart, they stay out of every choice of committee.
        "Fraktion" => OrganizationKind.Faction,
        "Partei" => OrganizationKind.Party,
        _ when obj["meeting"] is not null || obj["membership"] is not null || Str(obj, "classification") is not null => OrganizationKind.Committee,
        _ when offices.Contains(Str(obj, "id")!) => OrganizationKind.AdministrativeOffice,
        _ => OrganizationKind.AdministrativeOffice,
    };

    // ---------- Persons and memberships ----------

    private async Task ImportPersonsAsync(OParlSource source, CancellationToken cancellationToken)
    {
        foreach (var obj in source.OfType("Person"))
        {
            var (person, state) = await UpsertAsync(obj, "Person", db.Persons, id => new Person
            {
                Id = id, BodyId = _bodyId, Name = Str(obj, "name") ?? "?", Created = Created(obj), Modified = _now,
            }, cancellationToken);
            if (person is null)
            {
                continue;
            }

            person.Name = Str(obj, "name") ?? string.Join(" ", new[] { Str(obj, "givenName"), Str(obj, "familyName") }.Where(n => n is not null));
            person.GivenName = Str(obj, "givenName");
            person.FamilyName = Str(obj, "familyName");
            person.FormOfAddress = Str(obj, "formOfAddress");
            person.Deleted = state == Change.Deleted;
        }

        foreach (var obj in source.OfType("Membership"))
        {
            var personId = Resolve(Str(obj, "person"), "Person");
            var organizationId = Resolve(Str(obj, "organization"), "Organization");
            if (personId is null || organizationId is null)
            {
                Unmapped(obj, "Membership", personId is null ? "its person is not in the source" : "its organization is not in the source");
                continue;
            }

            var (membership, state) = await UpsertAsync(obj, "Membership", db.Memberships, id => new Membership
            {
                Id = id, BodyId = _bodyId, PersonId = personId.Value, OrganizationId = organizationId.Value, Created = Created(obj), Modified = _now,
            }, cancellationToken);
            if (membership is null)
            {
                continue;
            }

            membership.Role = Str(obj, "role");
            membership.VotingRight = Bool(obj, "votingRight") ?? true;
            membership.StartDate = Day(obj, "startDate");
            membership.EndDate = Day(obj, "endDate");
            membership.Deleted = state == Change.Deleted;
        }
    }

    // ---------- Meetings and agenda items ----------

    private async Task ImportMeetingsAsync(OParlSource source, CancellationToken cancellationToken)
    {
        foreach (var obj in source.OfType("Meeting"))
        {
            var organizationId = Urls(obj, "organization").Select(u => Resolve(u, "Organization")).FirstOrDefault(id => id is not null);
            var start = Instant(obj, "start");
            if (organizationId is null || start is null)
            {
                Unmapped(obj, "Meeting", organizationId is null ? "its organization is not in the source" : "it has no start");
                continue;
            }

            var (meeting, state) = await UpsertAsync(obj, "Meeting", db.Meetings, id => new Meeting
            {
                Id = id, BodyId = _bodyId, OrganizationId = organizationId.Value, Name = Str(obj, "name") ?? "Sitzung", Created = Created(obj), Modified = _now,
            }, cancellationToken);
            if (meeting is null)
            {
                continue;
            }

            var items = (obj["agendaItem"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            meeting.Name = Str(obj, "name") ?? meeting.Name;
            meeting.Start = start.Value;
            meeting.End = Instant(obj, "end");
            meeting.Cancelled = Bool(obj, "cancelled") ?? false;
            meeting.Location = LocationText(obj["location"] as JsonObject);
            meeting.State = Str(obj, "meetingState")?.ToLowerInvariant() switch
            {
                "eingeladen" => MeetingState.Invited,
                "durchgeführt" => MeetingState.Held,
                "terminiert" => MeetingState.Scheduled,
                _ => items.Any(i => Str(i, "result") is not null) || start < _now ? MeetingState.Held : MeetingState.Scheduled,
            };
            meeting.Publicity = items.Count > 0 && items.All(i => Bool(i, "public") == false) ? MeetingPublicity.NonPublic
                : items.Any(i => Bool(i, "public") == false) ? MeetingPublicity.Mixed : MeetingPublicity.Public;
            meeting.Deleted = state == Change.Deleted;

            // Agenda items that the source no longer lists are gone there; here they are soft-deleted.
            var listed = items.Select(i => Str(i, "id")).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var row in await db.AgendaItems.Where(r => r.MeetingId == meeting.Id).ToListAsync(cancellationToken))
            {
                if (ExternalIdOf(row.Id) is { } externalId && !listed.Contains(externalId))
                {
                    row.Deleted = true;
                    Count("AgendaItem", (int)Change.Deleted);
                }
            }

            var order = 0;
            // An item without an id was skipped by the source, and said there; it cannot be found again by a later import.
            foreach (var itemObj in items.Select(i => Str(i, "id")).OfType<string>().Select(id => source.Objects.GetValueOrDefault(id)).OfType<JsonObject>())
            {
                var (item, itemState) = await UpsertAsync(itemObj, "AgendaItem", db.AgendaItems, id => new AgendaItem
                {
                    Id = id, BodyId = _bodyId, MeetingId = meeting.Id, Created = Created(itemObj), Modified = _now,
                }, cancellationToken);
                order++;
                if (item is null)
                {
                    continue;
                }

                item.MeetingId = meeting.Id;
                item.Number = Str(itemObj, "number");
                item.Order = Int(itemObj, "order") ?? order;
                item.Name = Str(itemObj, "name");
                item.Public = Bool(itemObj, "public") ?? true;
                item.ResultText = Str(itemObj, "result");
                item.Outcome = Result(item.ResultText);
                item.ResolutionText = Str(itemObj, "resolutionText");
                item.Start = Instant(itemObj, "start");
                item.End = Instant(itemObj, "end");
                item.Deleted = itemState == Change.Deleted || meeting.Deleted;
            }
        }
    }

    private static string? LocationText(JsonObject? location)
    {
        if (location is null)
        {
            return null;
        }

        var place = string.Join(" ", new[] { Str(location, "postalCode"), Str(location, "locality") }.Where(p => p is not null));
        var parts = new[] { Str(location, "description"), Str(location, "room"), Str(location, "streetAddress"), place.Length > 0 ? place : null }
            .Where(p => p is not null).Distinct().ToList();
        return parts.Count == 0 ? null : Texts.Cut(string.Join(", ", parts), 500);
    }

    // ---------- Papers and their Beratungsfolge ----------

    private async Task ImportPapersAsync(OParlSource source, CancellationToken cancellationToken)
    {
        var references = (await db.Papers.IgnoreQueryFilters().Where(p => p.BodyId == _bodyId).Select(p => new { p.Id, p.Reference }).ToListAsync(cancellationToken))
            .ToDictionary(p => p.Reference, p => p.Id, StringComparer.Ordinal);
        foreach (var obj in source.OfType("Paper"))
        {
            var reference = Texts.Cut(Str(obj, "reference") ?? Tail(Str(obj, "id")!), 40);

            // A paper that is already here under its reference (a first import into a body that registered it) is adopted.
            if (!_links.ContainsKey(Str(obj, "id")!) && references.TryGetValue(reference, out var existing))
            {
                _links[Str(obj, "id")!] = NewLink(Str(obj, "id")!, "Paper", existing, null);
            }

            var (paper, state) = await UpsertAsync(obj, "Paper", db.Papers, id => new Paper
            {
                Id = id, BodyId = _bodyId, Reference = reference, Name = Str(obj, "name") ?? reference, PaperType = Str(obj, "paperType") ?? "unbekannt",
                Created = Created(obj), Modified = _now,
            }, cancellationToken);
            if (paper is null)
            {
                continue;
            }

            references[reference] = paper.Id;
            paper.Name = Texts.Cut(Str(obj, "name") ?? paper.Name, 1000);
            paper.PaperType = Texts.Cut(Str(obj, "paperType") ?? paper.PaperType, 100);
            paper.Date = Day(obj, "date") ?? DateOnly.FromDateTime(Created(obj).UtcDateTime);
            paper.LeadOfficeId = Urls(obj, "underDirectionOf").Select(u => Resolve(u, "Organization")).FirstOrDefault(id => id is not null) ?? paper.LeadOfficeId;
            paper.Deleted = state == Change.Deleted;
            if (Urls(obj, "underDirectionOf").Any() && paper.LeadOfficeId is null)
            {
                Unmapped(obj, "Paper", "its lead office (underDirectionOf) is not in the source");
            }

            await ImportConsultationsAsync(source, obj, paper, cancellationToken);
        }
    }

    private async Task ImportConsultationsAsync(OParlSource source, JsonObject paperObj, Paper paper, CancellationToken cancellationToken)
    {
        var listed = (paperObj["consultation"] as JsonArray ?? []).OfType<JsonObject>().Select(c => Str(c, "id")).OfType<string>().ToList();

        // Stand-alone consultations of this paper that the paper itself does not embed (e.g. from a consultation list).
        listed.AddRange(source.OfType("Consultation").Where(c => Str(c, "paper") == Str(paperObj, "id") && !listed.Contains(Str(c, "id")!)).Select(c => Str(c, "id")!));
        var existing = await db.Consultations.IgnoreQueryFilters().Where(c => c.PaperId == paper.Id).ToListAsync(cancellationToken);
        foreach (var gone in existing.Where(c => !c.Deleted && ExternalIdOf(c.Id) is { } externalId && !listed.Contains(externalId)))
        {
            gone.Deleted = true;
            Count("Consultation", (int)Change.Deleted);
        }

        var position = existing.Select(c => c.Position).DefaultIfEmpty(0).Max();
        foreach (var id in listed)
        {
            // One without a type was skipped by the source, and said there.
            if (!source.Objects.TryGetValue(id, out var obj))
            {
                continue;
            }

            var organizationId = Urls(obj, "organization").Select(u => Resolve(u, "Organization")).FirstOrDefault(o => o is not null);
            if (organizationId is null && !_links.ContainsKey(id))
            {
                Unmapped(obj, "Consultation", "its organization is not in the source");
                continue;
            }

            var roleText = Texts.Cut(Str(obj, "role") ?? "unbekannt", 100);
            var (consultation, state) = await UpsertAsync(obj, "Consultation", db.Consultations, newId => new Consultation
            {
                Id = newId, BodyId = _bodyId, PaperId = paper.Id, OrganizationId = organizationId!.Value, Position = ++position, RoleText = roleText,
                Created = Created(obj), Modified = _now,
            }, cancellationToken);
            if (consultation is null)
            {
                continue;
            }

            consultation.OrganizationId = organizationId ?? consultation.OrganizationId;
            consultation.RoleText = roleText;
            consultation.Role = Vocabulary.NormaliseRole(roleText);
            if (consultation.Role == ConsultationRole.Unknown && !roleText.Equals("unbekannt", StringComparison.OrdinalIgnoreCase))
            {
                _unmappedRoles[roleText] = _unmappedRoles.GetValueOrDefault(roleText) + 1;
            }

            consultation.Authoritative = Bool(obj, "authoritative") ?? false;
            consultation.Deleted = state == Change.Deleted || paper.Deleted;
        }
    }

    // ---------- Links between the imported objects ----------

    /// <summary>
    /// After every object exists: consultations meet their meetings and agenda items (whose result becomes the
    /// consultation's outcome), papers their related, superordinated and subordinated papers.
    /// </summary>
    private async Task LinkAsync(OParlSource source, CancellationToken cancellationToken)
    {
        var touchedPapers = new HashSet<Guid>();
        var itemOfConsultation = source.OfType("AgendaItem").Where(i => Str(i, "consultation") is not null)
            .GroupBy(i => Str(i, "consultation")!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Str(g.First(), "id"), StringComparer.Ordinal);
        foreach (var obj in source.OfType("Consultation"))
        {
            if (Resolve(Str(obj, "id"), "Consultation") is not { } consultationId
                || await db.Consultations.IgnoreQueryFilters().SingleOrDefaultAsync(c => c.Id == consultationId, cancellationToken) is not { } consultation)
            {
                continue;
            }

            touchedPapers.Add(consultation.PaperId);
            if (Resolve(Str(obj, "meeting"), "Meeting") is { } meetingId)
            {
                consultation.MeetingId = meetingId;
            }

            var itemId = Resolve(Str(obj, "agendaItem"), "AgendaItem") ?? Resolve(itemOfConsultation.GetValueOrDefault(Str(obj, "id")!), "AgendaItem");
            if (itemId is { } id && await db.AgendaItems.IgnoreQueryFilters().SingleOrDefaultAsync(r => r.Id == id, cancellationToken) is { } item)
            {
                item.ConsultationId = consultation.Id;
                consultation.MeetingId = item.MeetingId;
                consultation.ResultText = item.ResultText;
                consultation.ResolutionText = item.ResolutionText;
                consultation.Outcome = item.Outcome;
                consultation.Status = item.ResultText is null ? ConsultationStatus.Planned : item.Outcome switch
                {
                    Outcome.Deferred or Outcome.RemovedFromAgenda => ConsultationStatus.Deferred,
                    Outcome.Withdrawn => ConsultationStatus.Withdrawn,
                    _ => ConsultationStatus.Done,
                };
                consultation.RecordedAt ??= item.ResultText is null ? null : _now;
                consultation.RecordedBy ??= item.ResultText is null ? null : "OParl-Import";
            }
        }

        // Agenda items of earlier imports whose consultation arrives only now.
        foreach (var obj in source.OfType("AgendaItem"))
        {
            if (Resolve(Str(obj, "id"), "AgendaItem") is { } itemId && Resolve(Str(obj, "consultation"), "Consultation") is { } consultationId
                && await db.AgendaItems.IgnoreQueryFilters().SingleOrDefaultAsync(r => r.Id == itemId, cancellationToken) is { ConsultationId: null } item)
            {
                item.ConsultationId = consultationId;
                var consultation = await db.Consultations.IgnoreQueryFilters().SingleAsync(c => c.Id == consultationId, cancellationToken);
                consultation.MeetingId = item.MeetingId;
                consultation.ResultText ??= item.ResultText;
                consultation.Outcome ??= item.Outcome;
                consultation.ResolutionText ??= item.ResolutionText;
                if (item.ResultText is not null && consultation.Status == ConsultationStatus.Planned)
                {
                    consultation.Status = ConsultationStatus.Done;
                }

                touchedPapers.Add(consultation.PaperId);
            }
        }

        foreach (var obj in source.OfType("Paper"))
        {
            if (Resolve(Str(obj, "id"), "Paper") is not { } paperId
                || await db.Papers.IgnoreQueryFilters().SingleOrDefaultAsync(p => p.Id == paperId, cancellationToken) is not { } paper)
            {
                continue;
            }

            touchedPapers.Add(paper.Id);
            var parent = Urls(obj, "superordinatedPaper").Select(u => Resolve(u, "Paper")).FirstOrDefault(p => p is not null);
            if (parent is not null && parent != paper.Id)
            {
                paper.SuperordinatedPaperId = parent;
            }

            foreach (var childId in Urls(obj, "subordinatedPaper").Select(u => Resolve(u, "Paper")).OfType<Guid>())
            {
                if (childId != paper.Id && await db.Papers.IgnoreQueryFilters().SingleOrDefaultAsync(p => p.Id == childId, cancellationToken) is { } child)
                {
                    child.SuperordinatedPaperId = paper.Id;
                }
            }

            var related = Urls(obj, "relatedPaper").Select(u => Resolve(u, "Paper")).OfType<Guid>().Where(id => id != paper.Id).ToList();
            if (!related.Order().SequenceEqual(paper.RelatedPaperIds.Order()))
            {
                paper.RelatedPaperIds = related;
            }

            var missing = Urls(obj, "superordinatedPaper").Concat(Urls(obj, "subordinatedPaper")).Concat(Urls(obj, "relatedPaper"))
                .Count(u => Resolve(u, "Paper") is null);
            if (missing > 0)
            {
                Unmapped(obj, "Paper", $"{missing} related paper(s) are not in the source");
            }
        }

        await db.SaveChangesAsync(cancellationToken);

        // A paper whose last step has a result is done, unless a workflow of ours runs it.
        foreach (var paperId in touchedPapers)
        {
            var paper = await db.Papers.IgnoreQueryFilters().SingleAsync(p => p.Id == paperId, cancellationToken);
            if (paper.WorkflowInstanceId is not null)
            {
                continue;
            }

            var last = await db.Consultations.Where(c => c.PaperId == paperId).OrderByDescending(c => c.Position).FirstOrDefaultAsync(cancellationToken);
            var status = last is { Status: ConsultationStatus.Done or ConsultationStatus.Withdrawn }
                ? last.Status == ConsultationStatus.Withdrawn ? PaperStatus.Withdrawn : PaperStatus.Done
                : PaperStatus.InProgress;
            if (paper.Status != status)
            {
                paper.Status = status;
            }
        }

        foreach (var result in source.OfType("AgendaItem").Select(i => Str(i, "result")).OfType<string>().Where(r => Vocabulary.NormaliseOutcome(r) is null))
        {
            _unmappedResults[result] = _unmappedResults.GetValueOrDefault(result) + 1;
        }
    }

    // ---------- Upsert by OParl id ----------

    private enum Change
    {
        Created,
        Updated,
        Unchanged,
        Deleted,
    }

    /// <summary>
    /// The record an OParl object became (created on first sight), or null for an object deleted at the source that never
    /// came here. Counts what happens: created, updated (its <c>modified</c> moved), unchanged, deleted.
    /// </summary>
    private async Task<(T? Entity, Change State)> UpsertAsync<T>(JsonObject obj, string kind, DbSet<T> set, Func<Guid, T> create, CancellationToken cancellationToken)
        where T : class
    {
        var externalId = Str(obj, "id")!;
        var deleted = Bool(obj, "deleted") == true;
        var sourceModified = Instant(obj, "modified");
        if (_links.TryGetValue(externalId, out var link))
        {
            var entity = await set.IgnoreQueryFilters().SingleOrDefaultAsync(e => EF.Property<Guid>(e, "Id") == link.EntityId, cancellationToken);
            if (entity is not null)
            {
                var wasDeleted = (bool)db.ChangeTracker.Entries<T>().Single(e => e.Entity == entity).Property("Deleted").CurrentValue!;
                var state = deleted ? wasDeleted ? Change.Unchanged : Change.Deleted
                    : link.SourceModified == sourceModified && link.SourceModified is not null && !wasDeleted ? Change.Unchanged : Change.Updated;
                link.SourceModified = sourceModified;
                link.Imported = _now;
                Count(kind, (int)state);
                return (entity, deleted ? Change.Deleted : state);
            }
        }

        if (deleted)
        {
            Count(kind, (int)Change.Unchanged);
            return (null, Change.Deleted);
        }

        var id = Guid.CreateVersion7(_now);
        var created = create(id);
        set.Add(created);
        Link(obj, kind, id);
        Count(kind, (int)Change.Created);
        return (created, Change.Created);
    }

    private (OParlSourceLink Link, bool IsNew) Link(JsonObject obj, string kind, Guid entityId)
    {
        var externalId = Str(obj, "id")!;
        if (_links.TryGetValue(externalId, out var known))
        {
            known.SourceModified = Instant(obj, "modified");
            known.Imported = _now;
            return (known, false);
        }

        var link = NewLink(externalId, kind, entityId, Instant(obj, "modified"));
        _links[externalId] = link;
        _externalIds?.TryAdd(entityId, externalId);
        return (link, true);
    }

    private OParlSourceLink NewLink(string externalId, string kind, Guid entityId, DateTimeOffset? sourceModified)
    {
        var link = new OParlSourceLink { BodyId = _bodyId, ExternalId = externalId, Kind = kind, EntityId = entityId, SourceModified = sourceModified, Imported = _now };
        db.OParlSourceLinks.Add(link);
        return link;
    }

    private string? ExternalIdOf(Guid entityId)
    {
        _externalIds ??= _links.Values.GroupBy(l => l.EntityId).ToDictionary(g => g.Key, g => g.First().ExternalId);
        return _externalIds.GetValueOrDefault(entityId);
    }

    private Guid? Resolve(string? externalId, string kind) =>
        externalId is not null && _links.TryGetValue(externalId, out var link) && link.Kind == kind ? link.EntityId : null;

    private void Count(string kind, int index)
    {
        if (!_counts.TryGetValue(kind, out var counts))
        {
            _counts[kind] = counts = new int[4];
        }

        counts[index]++;
    }

    /// <summary>What could not be mapped, grouped by reason, so a source with hundreds of such objects still gives a readable report.</summary>
    private void Unmapped(JsonObject obj, string kind, string why)
    {
        var reason = $"{kind}: {why}";
        if (!_problems.TryGetValue(reason, out var ids))
        {
            _problems[reason] = ids = [];
        }

        ids.Add(Str(obj, "id") ?? "?");
    }

    private static Outcome? Result(string? text) => text is null ? null : Vocabulary.NormaliseOutcome(text);

    private DateTimeOffset Created(JsonObject obj) => Instant(obj, "created") is { } created && created <= _now ? created : _now;

    // ---------- Reading fields ----------

    private static string? Str(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

    private static bool? Bool(JsonObject obj, string name) => obj[name] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    private static int? Int(JsonObject obj, string name) => obj[name] is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    private static IEnumerable<string> Urls(JsonObject obj, string name) => obj[name] switch
    {
        JsonArray array => array.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>(),
        JsonValue value when value.TryGetValue<string>(out var single) => [single],
        _ => [],
    };

    /// <summary>Instants are stored in UTC (PostgreSQL's timestamptz and SQLite's sortable form both need it).</summary>
    private static DateTimeOffset? Instant(JsonObject obj, string name) =>
        Str(obj, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant.ToUniversalTime()
            : null;

    private static DateOnly? Day(JsonObject obj, string name) =>
        Str(obj, name) is { } text && DateOnly.TryParse(text.Length >= 10 ? text[..10] : text, CultureInfo.InvariantCulture, out var day) ? day : null;

    private static string Tail(string url) => url.TrimEnd('/').Split('/')[^1];

    /// <summary>A committee key for workflows: the short name in lower case, made unique within the body.</summary>
    private static string UniqueKey(string name, HashSet<string> taken)
    {
        var builder = new StringBuilder();
        foreach (var c in name.ToLowerInvariant().Replace("ä", "ae", StringComparison.Ordinal).Replace("ö", "oe", StringComparison.Ordinal)
                     .Replace("ü", "ue", StringComparison.Ordinal).Replace("ß", "ss", StringComparison.Ordinal))
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        var key = string.Join("-", builder.ToString().Split('-', StringSplitOptions.RemoveEmptyEntries));
        key = key.Length == 0 ? "gremium" : key[..Math.Min(key.Length, 90)];
        var candidate = key;
        for (var i = 2; !taken.Add(candidate); i++)
        {
            candidate = $"{key}-{i}";
        }

        return candidate;
    }
}
