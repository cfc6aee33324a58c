namespace DeliberationFlow.Engine.Runtime;

/// <summary>
/// A timer is a row first and a scheduled job second. The job only carries <see cref="Id"/>;
/// whoever runs it must claim the row (Pending → Fired) with a conditional update, so however many
/// jobs run for one timer, it fires once.
/// </summary>
public sealed class WorkflowTimer
{
    public Guid Id { get; init; }
    public Guid InstanceId { get; init; }
    public required string ActivityId { get; init; }

    /// <summary>Which <see cref="ITimerHandler"/> runs it, e.g. <c>consultation.invitation</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>What the timer is about, e.g. the consultation id.</summary>
    public required string Key { get; init; }

    public DateTimeOffset DueAt { get; set; }
    public TimerStatus Status { get; set; } = TimerStatus.Pending;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? FiredAt { get; set; }

    /// <summary>The scheduler's job that will run this timer (a Hangfire job id), if one was created.</summary>
    public string? JobId { get; set; }

    public string? Note { get; set; }
}

public enum TimerStatus
{
    Pending,
    Fired,
    Cancelled,
    Skipped,
}
