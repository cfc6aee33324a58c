namespace DeliberationFlow.Engine.Runtime;

/// <summary>One immutable line of an instance's technical journal.</summary>
public sealed class JournalEntry
{
    /// <summary>Assigned by the database on insert; orders the journal without a per-instance counter to contend on.</summary>
    public long Sequence { get; init; }

    public Guid InstanceId { get; init; }
    public DateTimeOffset Timestamp { get; init; }
    public required JournalEventKind Kind { get; init; }
    public string? ActivityId { get; init; }
    public string? ActivityType { get; init; }
    public string? Outcome { get; init; }
    public required string Actor { get; init; }
    public required string Message { get; init; }
}

public enum JournalEventKind
{
    InstanceStarted,
    ActivityExecuted,
    ActivityCompleted,
    BookmarkCreated,
    BookmarkResumed,
    TimerScheduled,
    TimerFired,
    TimerSkipped,
    NotificationQueued,
    InstanceFinished,
    InstanceFaulted,
    IncidentResolved,
    InstanceMigrated,

    /// <summary>A recorded outcome's wording, resolution or tally corrected afterwards; the decision and its path stay.</summary>
    OutcomeCorrected,

    /// <summary>The paper's particulars (title, offices, date, publicity) corrected; its path stays.</summary>
    PaperEdited,
}
