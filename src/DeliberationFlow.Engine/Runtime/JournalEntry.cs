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
    /// <summary>
    /// Cut to <see cref="MaxMessageLength"/>: a message carries texts of the definition and the body (an activity's display
    /// name, a notice's recipients), and one longer than the column failed the whole step on PostgreSQL.
    /// </summary>
    public required string Message
    {
        get;
        init => field = Texts.Cut(value, MaxMessageLength);
    }

    /// <summary>The length of the column that stores <see cref="Message"/> (journal.message).</summary>
    public const int MaxMessageLength = 2000;
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
