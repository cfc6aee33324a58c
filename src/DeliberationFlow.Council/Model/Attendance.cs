namespace DeliberationFlow.Council.Model;

/// <summary>
/// Whether a member was at a meeting (Anwesenheit), as the secretary recorded it for the minutes: the basis of the
/// quorum (§ 65 NKomVG) and of OParl's <c>Meeting.participant</c>. One row per meeting and person; recording again
/// replaces it.
/// </summary>
public sealed class Attendance
{
    public Guid MeetingId { get; init; }
    public Guid PersonId { get; init; }
    public Guid BodyId { get; init; }
    public AttendanceStatus Status { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public required string RecordedBy { get; set; }
}

public enum AttendanceStatus
{
    /// <summary>anwesend</summary>
    Present,

    /// <summary>entschuldigt</summary>
    Excused,

    /// <summary>unentschuldigt abwesend</summary>
    Absent,
}
