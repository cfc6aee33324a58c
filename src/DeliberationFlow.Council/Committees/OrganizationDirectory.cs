using System.Collections.Concurrent;
using System.Collections.Frozen;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Committees;

/// <summary>
/// The organizations of each body (committees, offices, factions, parties) as this node last read them, with the body's
/// <see cref="Body.OrganizationsRevision"/> of that moment. A step asks for the next committee by its key and for the
/// names of its paper's committees and offices; they change a few times a year, and a step loads its body anyway, so
/// while the body shows the same revision they come from here instead of two queries per step. The revision is counted
/// up by a trigger on the organizations' table, so a change on any node, by the import or by hand in SQL holds from the
/// next step on.
/// </summary>
/// <remarks>
/// The entities are shared by every request and not in any unit of work: for reading only. A use case that changes an
/// organization loads it tracked, as before.
/// </remarks>
public sealed class OrganizationDirectory
{
    private readonly ConcurrentDictionary<Guid, BodyOrganizations> _bodies = new();

    /// <summary>
    /// The body's organizations that are not deleted, as of the revision of the body the unit of work holds (or, when it
    /// holds none, of the database now).
    /// </summary>
    public async Task<BodyOrganizations> OfAsync(ICouncilDb db, Guid bodyId, CancellationToken cancellationToken)
    {
        var revision = db.Bodies.FindTracked(bodyId)?.OrganizationsRevision ?? await RevisionQuery.For(db)(db.Context, bodyId, cancellationToken);
        if (_bodies.TryGetValue(bodyId, out var known) && known.Revision == revision)
        {
            return known;
        }

        var rows = await OrganizationsQuery.For(db)(db.Context, bodyId).ToListAsync(cancellationToken);
        var loaded = new BodyOrganizations(
            rows.Count == 0 ? revision : rows[0].Revision,
            rows.Where(r => r.Organization is not null).Select(r => r.Organization!).ToFrozenDictionary(o => o.Id));

        // Two requests may read at once; the later state stays.
        return _bodies.AddOrUpdate(bodyId, loaded, (_, old) => old.Revision > loaded.Revision ? old : loaded);
    }

    // The revision and the organizations in one statement, so they belong to the same moment.
    private static readonly CompiledQuery<Func<DbContext, Guid, IAsyncEnumerable<OrganizationRow>>> OrganizationsQuery = new(() => EF.CompileAsyncQuery(
        (DbContext db, Guid bodyId) =>
            from body in db.Set<Body>().AsNoTracking()
            where body.Id == bodyId
            join organization in db.Set<Organization>().AsNoTracking() on body.Id equals organization.BodyId into organizations
            from organization in organizations.DefaultIfEmpty()
            select new OrganizationRow(body.OrganizationsRevision, organization)));

    private static readonly CompiledQuery<Func<DbContext, Guid, CancellationToken, Task<long>>> RevisionQuery = new(() => EF.CompileAsyncQuery(
        (DbContext db, Guid bodyId, CancellationToken _) => db.Set<Body>().Where(b => b.Id == bodyId).Select(b => b.OrganizationsRevision).Single()));

    private sealed record OrganizationRow(long Revision, Organization? Organization);
}

/// <summary>A body's organizations at one revision, by id and (committees) by key.</summary>
public sealed class BodyOrganizations(long revision, FrozenDictionary<Guid, Organization> byId)
{
    private readonly FrozenDictionary<string, Organization> _committeesByKey =
        byId.Values.Where(o => o.Kind == OrganizationKind.Committee).ToFrozenDictionary(o => o.Key, StringComparer.Ordinal);

    public long Revision { get; } = revision;

    public Organization? Find(Guid id) => byId.GetValueOrDefault(id);

    public Organization? Committee(string key) => _committeesByKey.GetValueOrDefault(key);
}
