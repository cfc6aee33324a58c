using System.Text.RegularExpressions;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Committees;

/// <summary>
/// A committee (Gremium) or an office of the administration (Verwaltungsbereich) as admins keep it. <see cref="Imported"/>:
/// it came with another council information system's OParl data, which keeps its name and classification.
/// </summary>
public sealed record OrganizationView(
    Guid Id, string Key, string Name, string? ShortName, string Kind, string? Classification, string? Email, bool Imported);

/// <summary>
/// A new organization, or the changes to one. <see cref="Key"/> (lower case, e.g. "jha") is what workflow definitions and
/// the API name it by and <see cref="Kind"/> ("Committee" or "AdministrativeOffice") what it is; neither changes later.
/// Omitted fields of a change stay as they are; an empty text clears an optional one.
/// </summary>
public sealed record SaveOrganizationRequest(string? Key, string? Name, string? ShortName, string? Kind, string? Classification, string? Email);

/// <summary>
/// Gremien und Ämter: admins add the committees and offices of their body and keep their names, OParl classification and
/// e-mail address (an office's address receives the outcome notices and escalations of the papers it leads; before, only
/// the demo data set one, so a body set up by an OParl import never told its lead offices anything). An imported
/// organization keeps its name and classification in its source (409 here); its e-mail address, which OParl does not
/// carry, is kept here. Every change is written to the Änderungsprotokoll in the same save.
/// </summary>
public sealed partial class ManageOrganizations(ICouncilDb db, TimeProvider clock)
{
    /// <summary>The classifications OParl's examples and the NKomVG use; others may be typed.</summary>
    public static readonly IReadOnlyList<string> Classifications =
        ["Parlament", "Hauptausschuss", "Ausschuss", "Stadtbezirksrat", "Ortsrat", "Beirat", "Verwaltungsbereich"];

    public async Task<IReadOnlyList<OrganizationView>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        var organizations = await db.Organizations.AsNoTracking().Where(o => o.BodyId == caller.BodyId).ToListAsync(cancellationToken);
        var imported = await ImportedAsync(caller, cancellationToken);
        return organizations.OrderBy(o => o.Kind).ThenBy(o => o.Name, StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("de-DE"), false))
            .Select(o => View(o, imported.Contains(o.Id))).ToList();
    }

    public async Task<OrganizationView> CreateAsync(Caller caller, SaveOrganizationRequest request, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        var errors = new ValidationErrors();
        var key = request.Key?.Trim() ?? "";
        if (!KeyPattern().IsMatch(key))
        {
            errors.Add("key", "A key is 1 to 40 lower-case letters, digits or hyphens, starting with a letter or digit (e.g. \"jha\" or \"sbr-112\"); workflows name the committee by it.");
        }
        else if (await db.Organizations.IgnoreQueryFilters().AnyAsync(o => o.BodyId == caller.BodyId && o.Key == key, cancellationToken))
        {
            errors.Add("key", $"The key '{key}' is taken in this body; choose another.");
        }

        errors.Required("name", request.Name);
        var kind = OrganizationKind.Committee;
        if (string.IsNullOrWhiteSpace(request.Kind) || !EnumNames.TryParse(request.Kind, out kind))
        {
            errors.Add("kind", $"Say what it is: {nameof(OrganizationKind.Committee)} (a Gremium that meets), {nameof(OrganizationKind.AdministrativeOffice)} (an office that leads papers), {nameof(OrganizationKind.Faction)} or {nameof(OrganizationKind.Party)}.");
        }

        CheckFields(errors, request);
        errors.ThrowIfAny();

        var now = clock.GetUtcNow();
        var organization = new Organization
        {
            Id = Guid.CreateVersion7(now),
            BodyId = caller.BodyId,
            Key = key,
            Name = request.Name!.Trim(),
            ShortName = Text(request.ShortName),
            Kind = kind,
            Classification = Text(request.Classification) ?? (kind == OrganizationKind.AdministrativeOffice ? "Verwaltungsbereich" : null),
            Email = Text(request.Email),
            Created = now,
            Modified = now,
        };
        db.Organizations.Add(organization);
        db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Committee, organization.Name,
            $"{Noun(kind)} angelegt: Schlüssel {key}, {Describe(organization)}.", now));
        await db.SaveChangesAsync(cancellationToken);
        return View(organization, imported: false);
    }

    public async Task<OrganizationView> UpdateAsync(Caller caller, string key, SaveOrganizationRequest request, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.BodyId == caller.BodyId && o.Key == key, cancellationToken)
                           ?? throw new NotFoundException($"No committee or office '{key}'.");
        var errors = new ValidationErrors();
        if (request.Key is { } newKey && newKey.Trim() != organization.Key)
        {
            errors.Add("key", $"The key stays '{organization.Key}': workflow definitions and running papers name the organization by it.");
        }

        if (request.Kind is { } newKind && (!EnumNames.TryParse<OrganizationKind>(newKind, out var parsedKind) || parsedKind != organization.Kind))
        {
            errors.Add("kind", $"'{organization.Name}' stays a {organization.Kind}; add a new organization for the other kind.");
        }

        if (request.Name is not null)
        {
            errors.Required("name", request.Name);
        }

        CheckFields(errors, request);
        errors.ThrowIfAny();

        var imported = await db.OParlSourceLinks.AnyAsync(l => l.BodyId == caller.BodyId && l.EntityId == organization.Id, cancellationToken);
        var before = Describe(organization);
        var (name, shortName, classification) = (request.Name?.Trim() ?? organization.Name,
            request.ShortName is null ? organization.ShortName : Text(request.ShortName),
            request.Classification is null ? organization.Classification : Text(request.Classification));
        if (imported && (name, shortName, classification) != (organization.Name, organization.ShortName, organization.Classification))
        {
            throw new ConflictException(
                $"'{organization.Name}' was imported from another council information system; its name and classification are changed there and come with the next import. Its e-mail address is kept here.");
        }

        (organization.Name, organization.ShortName, organization.Classification) = (name, shortName, classification);
        organization.Email = request.Email is null ? organization.Email : Text(request.Email);
        var after = Describe(organization);
        if (after != before)
        {
            organization.Modified = clock.GetUtcNow();
            db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Committee, organization.Name, $"Geändert: {before} → {after}.", organization.Modified));
            await db.SaveChangesAsync(cancellationToken);
        }

        return View(organization, imported);
    }

    private static void CheckFields(ValidationErrors errors, SaveOrganizationRequest request)
    {
        if (request.Name?.Trim().Length > 200)
        {
            errors.Add("name", "A name has at most 200 characters.");
        }

        if (request.ShortName?.Trim().Length > 50)
        {
            errors.Add("shortName", "A short name has at most 50 characters (e.g. \"FPA\").");
        }

        if (request.Classification?.Trim().Length > 100)
        {
            errors.Add("classification", $"At most 100 characters; usual are {string.Join(", ", Classifications)}.");
        }

        errors.MailAddress("email", request.Email, "fb20@stadt.example", "the outcome notices of the papers it leads go to it");
    }

    private static void RequireAdmin(Caller caller)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Committees and offices are kept by admins.");
        }
    }

    private async Task<HashSet<Guid>> ImportedAsync(Caller caller, CancellationToken cancellationToken) =>
        (await db.OParlSourceLinks.AsNoTracking().Where(l => l.BodyId == caller.BodyId && l.Kind == "Organization").Select(l => l.EntityId).ToListAsync(cancellationToken)).ToHashSet();

    private static OrganizationView View(Organization o, bool imported) =>
        new(o.Id, o.Key, o.Name, o.ShortName, o.Kind.ToString(), o.Classification, o.Email, imported);

    private static string Describe(Organization o) =>
        string.Join(", ", new[] { o.Name, o.ShortName, o.Classification, o.Email ?? "ohne E-Mail" }.Where(p => !string.IsNullOrEmpty(p)));

    private static string Noun(OrganizationKind kind) => kind switch
    {
        OrganizationKind.Committee => "Gremium",
        OrganizationKind.AdministrativeOffice => "Amt",
        _ => OrganizationKinds.OParlType(kind),
    };

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex KeyPattern();
}
