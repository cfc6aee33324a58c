namespace DeliberationFlow.Council.Model;

/// <summary>A Sitzung of one committee. Start and end are instants; they were entered as local times of the body.</summary>
public sealed class Meeting
{
    public Guid Id { get; init; }
    public Guid BodyId { get; init; }
    public Guid OrganizationId { get; init; }
    public required string Name { get; set; }
    public DateTimeOffset Start { get; set; }
    public DateTimeOffset? End { get; set; }
    public string? Location { get; set; }
    public MeetingState State { get; set; } = MeetingState.Scheduled;
    public bool Cancelled { get; set; }

    /// <summary>Why the meeting was cancelled or moved, as the secretary wrote it.</summary>
    public string? ChangeReason { get; set; }
    public MeetingPublicity Publicity { get; set; } = MeetingPublicity.Public;

    /// <summary>
    /// When the secretary fixed the agenda (Tagesordnung festgeschrieben) before the invitation; null while it is a
    /// draft. The invitation locks it too, whether or not this was set (see <see cref="AgendaLocked"/>).
    /// </summary>
    public DateTimeOffset? AgendaLockedAt { get; set; }

    /// <summary>The user who fixed the agenda.</summary>
    public string? AgendaLockedBy { get; set; }

    /// <summary>Fixed by the secretary, or the invitation has gone out: items then come only as Nachträge or go as Absetzungen.</summary>
    public bool AgendaLocked => AgendaLockedAt is not null || State != MeetingState.Scheduled;
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Modified { get; set; }

    /// <summary>Soft deletion (OParl): the row stays, with <c>Modified</c> set to the time it was deleted.</summary>
    public bool Deleted { get; set; }
}

/// <summary>OParl's recommended meeting states: terminiert, eingeladen, durchgeführt.</summary>
public enum MeetingState
{
    Scheduled,
    Invited,
    Held,
}

public enum MeetingPublicity
{
    Public,
    NonPublic,
    Mixed,
}
