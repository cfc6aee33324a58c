using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Engine.Definitions;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Definitions;

public sealed record DefinitionVersionView(int Version, string Name, string State, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? PublishedAt, DateTimeOffset? RetractedAt);

public sealed record DefinitionSummary(string DefinitionId, string Name, int? PublishedVersion, int LatestVersion, IReadOnlyList<DefinitionVersionView> Versions);

public sealed record DefinitionDocumentView(string DefinitionId, int Version, string State, string Document);

/// <summary>The workflow definitions of the admin's body with their version history, and single versions' documents.</summary>
public sealed class ListDefinitions(ICouncilDb db)
{
    public async Task<IReadOnlyList<DefinitionSummary>> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        DefinitionAccess.Check(caller);
        var rows = await db.WorkflowDefinitions.AsNoTracking().Where(d => d.TenantId == caller.BodyId).ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.DefinitionId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var versions = g.OrderBy(r => r.Version).ToList();
            var published = versions.LastOrDefault(v => v.State == DefinitionState.Published);
            return new DefinitionSummary(g.Key, (published ?? versions[^1]).Name, published?.Version, versions[^1].Version, versions.Select(View).ToList());
        }).ToList();
    }

    public async Task<DefinitionDocumentView> DocumentAsync(Caller caller, string definitionId, int version, CancellationToken cancellationToken)
    {
        DefinitionAccess.Check(caller);
        var row = await db.WorkflowDefinitions.AsNoTracking()
                      .SingleOrDefaultAsync(d => d.TenantId == caller.BodyId && d.DefinitionId == definitionId && d.Version == version, cancellationToken)
                  ?? throw new NotFoundException($"No workflow '{definitionId}' v{version}.");
        return new DefinitionDocumentView(row.DefinitionId, row.Version, row.State.ToString(), row.Document);
    }

    internal static DefinitionVersionView View(StoredWorkflowDefinition row) =>
        new(row.Version, row.Name, row.State.ToString(), row.CreatedAt, row.CreatedBy, row.PublishedAt, row.RetractedAt);
}

internal static class DefinitionAccess
{
    public static void Check(Caller caller)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Only admins design and publish workflows.");
        }
    }
}
