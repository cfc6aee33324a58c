namespace DeliberationFlow.Engine.Definitions;

/// <summary>
/// One version of a definition as stored for one tenant (body): the JSON document as written, its state and
/// history. A version's document never changes once published, so instances pinned to it stay on exactly it.
/// </summary>
public sealed class StoredWorkflowDefinition
{
    public Guid TenantId { get; init; }
    public required string DefinitionId { get; init; }
    public int Version { get; init; }
    public required string Name { get; set; }
    public DefinitionState State { get; set; }
    public required string Document { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset? PublishedAt { get; set; }
    public DateTimeOffset? RetractedAt { get; set; }
}

/// <summary>The definitions of a tenant, by version. New instances start on the latest published version.</summary>
public interface IWorkflowDefinitionStore
{
    Task<WorkflowDefinition?> FindAsync(Guid tenantId, string definitionId, int version, CancellationToken cancellationToken);

    /// <summary>
    /// The version an instance is pinned to, to run it. A version's activities and connections never change once it
    /// has been published, so the store may answer from memory; the <see cref="WorkflowDefinition.State"/> of the
    /// answer may then be out of date (retracted since), which does not matter to an instance already running on it.
    /// Ask <see cref="FindAsync"/> where the state decides.
    /// </summary>
    Task<WorkflowDefinition?> FindPinnedAsync(Guid tenantId, string definitionId, int version, CancellationToken cancellationToken);

    Task<WorkflowDefinition?> FindLatestPublishedAsync(Guid tenantId, string definitionId, CancellationToken cancellationToken);

    /// <summary>The latest published version of every definition of the tenant.</summary>
    Task<IReadOnlyList<WorkflowDefinition>> ListPublishedAsync(Guid tenantId, CancellationToken cancellationToken);
}
