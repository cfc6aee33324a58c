namespace DeliberationFlow.Engine.Runtime;

/// <summary>One run of a workflow definition, pinned to the version it started on.</summary>
public sealed class WorkflowInstance
{
    public Guid Id { get; init; }
    public required string DefinitionId { get; init; }
    public required int DefinitionVersion { get; set; }

    /// <summary>What the instance is about (for the council: the paper's id). One running instance per correlation.</summary>
    public required string CorrelationId { get; init; }

    /// <summary>The owning tenant (for the council: the body); the engine only carries it.</summary>
    public required Guid TenantId { get; init; }

    public WorkflowStatus Status { get; set; } = WorkflowStatus.Running;
    public string? CurrentActivityId { get; set; }
    public string? Fault { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Optimistic concurrency: every step bumps it, so two nodes never advance one instance twice.</summary>
    public int Revision { get; set; }
}

public enum WorkflowStatus
{
    Running,
    Suspended,
    Finished,
    Faulted,
}
