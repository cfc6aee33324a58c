using System.Collections.Concurrent;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Engine.Definitions;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Definitions;

/// <summary>
/// Definitions from the database. A stored version's document never changes after publishing, so its parsed
/// form is cached for the life of the process; the database is asked only which version is the latest.
/// </summary>
public sealed class CouncilDefinitionStore(ICouncilDb db, ParsedDefinitionCache cache) : IWorkflowDefinitionStore
{
    public async Task<WorkflowDefinition?> FindAsync(Guid tenantId, string definitionId, int version, CancellationToken cancellationToken)
    {
        var row = await db.WorkflowDefinitions.AsNoTracking()
            .SingleOrDefaultAsync(d => d.TenantId == tenantId && d.DefinitionId == definitionId && d.Version == version, cancellationToken);
        return row is null ? null : cache.Parse(row);
    }

    public async Task<WorkflowDefinition?> FindPinnedAsync(Guid tenantId, string definitionId, int version, CancellationToken cancellationToken)
    {
        if (cache.FindPublished(tenantId, definitionId, version) is { } known)
        {
            return known;
        }

        // Every step of every running instance asks for its version; only the first one per version reads the row.
        return await FindAsync(tenantId, definitionId, version, cancellationToken);
    }

    public async Task<WorkflowDefinition?> FindLatestPublishedAsync(Guid tenantId, string definitionId, CancellationToken cancellationToken)
    {
        var row = await db.WorkflowDefinitions.AsNoTracking()
            .Where(d => d.TenantId == tenantId && d.DefinitionId == definitionId && d.State == DefinitionState.Published)
            .OrderByDescending(d => d.Version)
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : cache.Parse(row);
    }

    public async Task<IReadOnlyList<WorkflowDefinition>> ListPublishedAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var rows = await db.WorkflowDefinitions.AsNoTracking()
            .Where(d => d.TenantId == tenantId && d.State == DefinitionState.Published)
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.DefinitionId).Select(g => cache.Parse(g.MaxBy(r => r.Version)!)).ToList();
    }
}

/// <summary>
/// Parsed definitions by tenant, id, version and document, shared by all requests; and the versions seen after
/// publishing by tenant, id and version alone, whose activities and connections can no longer change.
/// </summary>
public sealed class ParsedDefinitionCache
{
    private readonly ConcurrentDictionary<(Guid, string, int, string), WorkflowDefinition> _parsed = new();
    private readonly ConcurrentDictionary<(Guid, string, int), WorkflowDefinition> _published = new();

    public WorkflowDefinition? FindPublished(Guid tenantId, string definitionId, int version) =>
        _published.TryGetValue((tenantId, definitionId, version), out var definition) ? definition : null;

    public WorkflowDefinition Parse(StoredWorkflowDefinition row)
    {
        var definition = ParseDocument(row);
        if (row.State != DefinitionState.Draft)
        {
            _published.TryAdd((row.TenantId, row.DefinitionId, row.Version), definition);
        }

        return definition;
    }

    private WorkflowDefinition ParseDocument(StoredWorkflowDefinition row) =>
        _parsed.GetOrAdd((row.TenantId, row.DefinitionId, row.Version, row.Document), _ =>
        {
            var read = WorkflowDefinitionReader.Read(row.Document);
            return read.Definition is null
                ? throw new InvalidOperationException($"Stored workflow '{row.DefinitionId}' v{row.Version} does not read: {string.Join("; ", read.Problems)}")
                : read.Definition;
        }) with { State = row.State, Version = row.Version };
}
