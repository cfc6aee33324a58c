using System.Globalization;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Persons;

/// <summary>
/// A seat of a person in a committee. <see cref="Imported"/>: it came from another council information system's OParl
/// data and is kept there (the next import would overwrite a change made here).
/// </summary>
public sealed record MembershipView(
    Guid Id, string CommitteeKey, string CommitteeName, string? Role, bool VotingRight, DateOnly? StartDate, DateOnly? EndDate, bool Imported);

public sealed record PersonView(
    Guid Id, string Name, string? GivenName, string? FamilyName, string? FormOfAddress, string? Email, bool Imported, IReadOnlyList<MembershipView> Memberships);

public sealed record CommitteeChoice(string Key, string Name);

/// <summary>
/// The body's persons and committees. <see cref="Today"/>: the body's calendar day the list was read on, so a page tells
/// an ended seat by the body's day, not by UTC's (which is still yesterday from 00:00 to 01:00, 02:00 in summer).
/// </summary>
/// <see cref="Total"/>: how many persons match in all, of which <see cref="Persons"/> is page <see cref="Page"/> of
/// <see cref="PageSize"/> (the admins' page reads them all on one).
/// </summary>
public sealed record PersonDirectory(
    IReadOnlyList<PersonView> Persons, IReadOnlyList<CommitteeChoice> Committees, DateOnly Today, int Total, int Page, int PageSize);

/// <summary>
/// Which persons to list: <see cref="Q"/> is found in the name, given name, family name or e-mail (case-insensitive).
/// Pages count from 1; a page holds 25 persons unless <see cref="PageSize"/> says otherwise (at most 100), as the papers' list.
/// </summary>
public sealed record ListPersonsRequest(string? Q = null, int? Page = null, int? PageSize = null);

/// <summary>A person's name and address as invitations use them; <see cref="Name"/> is how lists and mails show the person.</summary>
public sealed record SavePersonRequest(string? Name, string? GivenName, string? FamilyName, string? FormOfAddress, string? Email);

/// <summary>A new seat: the committee's key, the role as the body writes it ("Mitglied", "Vorsitz", "Stellvertretung"), from when.</summary>
public sealed record AddMembershipRequest(string? Committee, string? Role, bool? VotingRight, DateOnly? StartDate);

/// <summary>The last day of the seat.</summary>
public sealed record EndMembershipRequest(DateOnly? EndDate);

/// <summary>
/// Personen und Mitgliedschaften: who sits in which committee, and where their invitations go. Admins keep them here for
/// bodies that do not import them from another council information system; what was imported stays with its source
/// (refused here with 409) so the next import does not silently undo a change. Every change is written to the
/// Änderungsprotokoll in the same save; the OParl interface serves the change at once.
/// </summary>
public sealed class ManagePersons(ICouncilDb db, TimeProvider clock)
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>The whole directory on one page, for the admins' page, which filters it as one types (by committee too).</summary>
    public Task<PersonDirectory> ListAsync(Caller caller, CancellationToken cancellationToken) => ReadAsync(caller, null, cancellationToken);

    /// <summary>The persons matching <see cref="ListPersonsRequest.Q"/>, a page at a time (the API's list).</summary>
    public Task<PersonDirectory> ListAsync(Caller caller, ListPersonsRequest request, CancellationToken cancellationToken) =>
        ReadAsync(caller, request, cancellationToken);

    private async Task<PersonDirectory> ReadAsync(Caller caller, ListPersonsRequest? request, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        var errors = new ValidationErrors();
        var (page, pageSize) = Paging.Check(errors, request?.Page, request?.PageSize, "persons");

        if (request?.Q is { Length: > 200 })
        {
            errors.Add("q", "Search for at most 200 characters.");
        }

        errors.ThrowIfAny();
        var committees = await CommitteesAsync(caller, cancellationToken);
        var query = db.Persons.AsNoTracking().Where(p => p.BodyId == caller.BodyId);
        if (request?.Q?.Trim() is { Length: > 0 } text)
        {
            // Lower-cased on both sides; on SQLite lower() is .NET's (SqliteUnicodeCase), so "KRÜGER" finds Krüger there too.
            var needle = text.ToLowerInvariant();
            query = query.Where(p => p.Name.ToLower().Contains(needle)
                                     || (p.GivenName != null && p.GivenName.ToLower().Contains(needle))
                                     || (p.FamilyName != null && p.FamilyName.ToLower().Contains(needle))
                                     || (p.Email != null && p.Email.ToLower().Contains(needle)));
        }

        // Ordered here by German rules (Ö with O), which neither database's collation knows, and then cut into the page:
        // a body's directory is a few hundred rows, read without their seats; only the page's seats are read.
        var persons = (await query.ToListAsync(cancellationToken))
            .OrderBy(p => p.FamilyName ?? p.Name, StringComparer.Create(German, false)).ThenBy(p => p.Name, StringComparer.Create(German, false)).ToList();
        if (request is null)
        {
            pageSize = Math.Max(persons.Count, 1);
        }

        var shown = persons.Skip(Paging.Offset(page, pageSize)).Take(pageSize).ToList();
        var ids = shown.Select(p => p.Id).ToList();
        var memberships = await db.Memberships.AsNoTracking().Where(m => m.BodyId == caller.BodyId && (request == null || ids.Contains(m.PersonId)))
            .ToListAsync(cancellationToken);
        var imported = await ImportedAsync(caller, cancellationToken);
        var names = committees.ToDictionary(c => c.Id);
        return new PersonDirectory(
            shown.Select(p => View(p, memberships.Where(m => m.PersonId == p.Id && names.ContainsKey(m.OrganizationId)).ToList(), names, imported)).ToList(),
            committees.Select(c => new CommitteeChoice(c.Key, c.Name)).ToList(),
            BodyClock.LocalDay(clock.GetUtcNow(), (await db.Bodies.GetAsync(caller.BodyId, cancellationToken)).Zone),
            persons.Count, page, pageSize);
    }

    public async Task<PersonView> CreateAsync(Caller caller, SavePersonRequest request, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        var (name, given, family, address, email) = Validate(request);
        var now = clock.GetUtcNow();
        var person = new Person
        {
            Id = Guid.CreateVersion7(now), BodyId = caller.BodyId, Name = name, GivenName = given, FamilyName = family, FormOfAddress = address,
            Email = email, Created = now, Modified = now,
        };
        db.Persons.Add(person);
        db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Person, person.Name, $"Person angelegt: {Describe(person)}.", now));
        await db.SaveChangesAsync(cancellationToken);
        return await ViewAsync(caller, person.Id, cancellationToken);
    }

    public async Task<PersonView> UpdateAsync(Caller caller, Guid personId, SavePersonRequest request, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        var person = await FindPersonAsync(caller, personId, cancellationToken);
        var (name, given, family, address, email) = Validate(request);
        await RefuseImportedAsync(caller, person.Id, $"{person.Name} was imported", cancellationToken);
        var before = Describe(person);
        (person.Name, person.GivenName, person.FamilyName, person.FormOfAddress, person.Email) = (name, given, family, address, email);
        var after = Describe(person);
        if (after != before)
        {
            person.Modified = clock.GetUtcNow();
            db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Person, person.Name, $"Person geändert. Vorher: {before}. Jetzt: {after}.", person.Modified));
            await db.SaveChangesAsync(cancellationToken);
        }

        return await ViewAsync(caller, person.Id, cancellationToken);
    }

    public async Task<PersonView> AddMembershipAsync(Caller caller, Guid personId, AddMembershipRequest request, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        var person = await FindPersonAsync(caller, personId, cancellationToken);
        var committees = await CommitteesAsync(caller, cancellationToken);
        var errors = new ValidationErrors();
        errors.Required("committee", request.Committee);
        var committee = committees.FirstOrDefault(c => c.Key == request.Committee);
        if (committee is null && !string.IsNullOrWhiteSpace(request.Committee))
        {
            errors.Add("committee", $"No committee '{request.Committee}' in this body; choose one of: {string.Join(", ", committees.Select(c => c.Key))}.");
        }

        if (request.Role is { Length: > 100 })
        {
            errors.Add("role", "A role has at most 100 characters.");
        }

        errors.ThrowIfAny();
        var start = request.StartDate ?? DateOnly.FromDateTime(BodyNow(await db.Bodies.GetAsync(caller.BodyId, cancellationToken)).DateTime);
        var seats = await db.Memberships.Where(m => m.PersonId == person.Id && m.OrganizationId == committee!.Id).ToListAsync(cancellationToken);
        if (seats.FirstOrDefault(m => m.EndDate is null || m.EndDate >= start) is { } open)
        {
            throw RequestValidationException.For("startDate",
                $"{person.Name} already sits in '{committee!.Name}' {Period(open)}; end that seat before {start.ToString("dd.MM.yyyy", German)} first.");
        }

        var now = clock.GetUtcNow();
        var membership = new Membership
        {
            Id = Guid.CreateVersion7(now), BodyId = caller.BodyId, PersonId = person.Id, OrganizationId = committee!.Id,
            Role = string.IsNullOrWhiteSpace(request.Role) ? "Mitglied" : request.Role.Trim(), VotingRight = request.VotingRight ?? true, StartDate = start,
            Created = now, Modified = now,
        };
        db.Memberships.Add(membership);
        db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Person, person.Name,
            $"Mitgliedschaft in {committee.Name}: {membership.Role}, {(membership.VotingRight ? "stimmberechtigt" : "ohne Stimmrecht")}, {Period(membership)}.", now));
        await db.SaveChangesAsync(cancellationToken);
        return await ViewAsync(caller, person.Id, cancellationToken, committees);
    }

    public async Task<PersonView> EndMembershipAsync(Caller caller, Guid membershipId, EndMembershipRequest request, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.Id == membershipId && m.BodyId == caller.BodyId, cancellationToken)
                         ?? throw new NotFoundException($"No membership with id {membershipId}.");
        if (request.EndDate is not { } end)
        {
            throw RequestValidationException.For("endDate", "Give the seat's last day (yyyy-MM-dd).");
        }

        if (membership.StartDate is { } start && end < start)
        {
            throw RequestValidationException.For("endDate", $"The seat began on {start.ToString("dd.MM.yyyy", German)}; it cannot end before that.");
        }

        await RefuseImportedAsync(caller, membership.Id, "This membership was imported", cancellationToken);
        if (membership.EndDate is { } ended && ended <= end)
        {
            throw new ConflictException($"The seat already ended on {ended.ToString("dd.MM.yyyy", German)}.");
        }

        var person = await FindPersonAsync(caller, membership.PersonId, cancellationToken);
        var committee = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == membership.OrganizationId, cancellationToken);
        membership.EndDate = end;
        membership.Modified = clock.GetUtcNow();
        db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Person, person.Name,
            $"Mitgliedschaft in {committee.Name} endet am {end.ToString("dd.MM.yyyy", German)}.", membership.Modified));
        await db.SaveChangesAsync(cancellationToken);
        return await ViewAsync(caller, person.Id, cancellationToken);
    }

    /// <param name="committees">The body's committees when the use case has read them already.</param>
    private async Task<PersonView> ViewAsync(Caller caller, Guid personId, CancellationToken cancellationToken, List<Organization>? committees = null)
    {
        var person = await db.Persons.AsNoTracking().SingleAsync(p => p.Id == personId, cancellationToken);
        var byId = (committees ?? await CommitteesAsync(caller, cancellationToken)).ToDictionary(c => c.Id);
        var memberships = await db.Memberships.AsNoTracking().Where(m => m.PersonId == personId).ToListAsync(cancellationToken);
        return View(person, memberships.Where(m => byId.ContainsKey(m.OrganizationId)).ToList(), byId, await ImportedAsync(caller, cancellationToken));
    }

    private static PersonView View(Person person, List<Membership> memberships, Dictionary<Guid, Organization> committees, HashSet<Guid> imported) => new(
        person.Id, person.Name, person.GivenName, person.FamilyName, person.FormOfAddress, person.Email, imported.Contains(person.Id),
        memberships.OrderBy(m => m.EndDate is not null).ThenBy(m => committees[m.OrganizationId].Name).ThenBy(m => m.StartDate)
            .Select(m => new MembershipView(m.Id, committees[m.OrganizationId].Key, committees[m.OrganizationId].Name, m.Role, m.VotingRight, m.StartDate, m.EndDate,
                imported.Contains(m.Id)))
            .ToList());

    private Task<List<Organization>> CommitteesAsync(Caller caller, CancellationToken cancellationToken) =>
        db.Organizations.AsNoTracking().Where(o => o.BodyId == caller.BodyId && o.Kind == OrganizationKind.Committee).OrderBy(o => o.Name).ToListAsync(cancellationToken);

    /// <summary>The persons and memberships of the body that another system's OParl data brought.</summary>
    private async Task<HashSet<Guid>> ImportedAsync(Caller caller, CancellationToken cancellationToken) =>
        (await db.OParlSourceLinks.AsNoTracking().Where(l => l.BodyId == caller.BodyId && (l.Kind == "Person" || l.Kind == "Membership"))
            .Select(l => l.EntityId).ToListAsync(cancellationToken)).ToHashSet();

    private async Task RefuseImportedAsync(Caller caller, Guid entityId, string what, CancellationToken cancellationToken)
    {
        if (await db.OParlSourceLinks.AnyAsync(l => l.BodyId == caller.BodyId && l.EntityId == entityId, cancellationToken))
        {
            throw new ConflictException($"{what} from another council information system; change it there, the next import brings it here.");
        }
    }

    private async Task<Person> FindPersonAsync(Caller caller, Guid personId, CancellationToken cancellationToken) =>
        await db.Persons.SingleOrDefaultAsync(p => p.Id == personId && p.BodyId == caller.BodyId, cancellationToken)
        ?? throw new NotFoundException($"No person with id {personId}.");

    private DateTimeOffset BodyNow(Body body) => TimeZoneInfo.ConvertTime(clock.GetUtcNow(), body.Zone);

    private static (string Name, string? Given, string? Family, string? Address, string? Email) Validate(SavePersonRequest request)
    {
        var errors = new ValidationErrors();
        errors.Required("name", request.Name);
        Limit(errors, "name", request.Name, 300);
        Limit(errors, "givenName", request.GivenName, 200);
        Limit(errors, "familyName", request.FamilyName, 200);
        Limit(errors, "formOfAddress", request.FormOfAddress, 100);
        var email = NullIfEmpty(request.Email);
        errors.MailAddress("email", email, "jana.beispiel@rat.stadt.example", "invitations go to it");

        errors.ThrowIfAny();
        return (request.Name!.Trim(), NullIfEmpty(request.GivenName), NullIfEmpty(request.FamilyName), NullIfEmpty(request.FormOfAddress), email);
    }

    private static void Limit(ValidationErrors errors, string field, string? value, int length)
    {
        if (value is not null && value.Trim().Length > length)
        {
            errors.Add(field, $"At most {length} characters.");
        }
    }

    private static string Describe(Person person) =>
        string.Join(", ", new[] { person.FormOfAddress, person.Name, person.Email ?? "ohne E-Mail" }.Where(p => !string.IsNullOrEmpty(p)));

    private static string Period(Membership membership) => (membership.StartDate, membership.EndDate) switch
    {
        ({ } from, { } to) => $"vom {from.ToString("dd.MM.yyyy", German)} bis {to.ToString("dd.MM.yyyy", German)}",
        ({ } from, null) => $"ab {from.ToString("dd.MM.yyyy", German)}",
        (null, { } to) => $"bis {to.ToString("dd.MM.yyyy", German)}",
        _ => "ohne Zeitraum",
    };

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static void RequireAdmin(Caller caller)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Only admins keep persons and memberships.");
        }
    }
}
