namespace DeliberationFlow.Council.Model;

/// <summary>
/// An Umlaufverfahren (§ 78(3) NKomVG): the Verwaltungsausschuss decides a consultation without a meeting, by every member
/// answering a proposed resolution in writing, unless one of them objects to deciding that way. The members are fixed when
/// it starts (one <see cref="CirculationVote"/> each); it ends decided, failed (an objection, or the deadline passed with
/// answers missing) or cancelled.
/// </summary>
public sealed class Circulation
{
    public Guid Id { get; init; }
    public Guid BodyId { get; init; }
    public Guid PaperId { get; init; }
    public Guid ConsultationId { get; init; }
    public Guid OrganizationId { get; init; }

    /// <summary>The proposed resolution (Beschlussvorschlag) the members answer.</summary>
    public required string ResolutionText { get; init; }

    /// <summary>The Frist: answers missing then make the circulation fail.</summary>
    public DateTimeOffset Deadline { get; init; }

    public CirculationStatus Status { get; set; } = CirculationStatus.Open;
    public DateTimeOffset StartedAt { get; init; }
    public required string StartedBy { get; init; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? EndedBy { get; set; }

    /// <summary>Why it ended, as the journal and the secretaries' notice say it.</summary>
    public string? EndReason { get; set; }

    public List<CirculationVote> Votes { get; init; } = [];
}

public enum CirculationStatus
{
    Open,

    /// <summary>Every member answered without objection; the outcome is recorded on the consultation.</summary>
    Decided,

    /// <summary>Gescheitert: a member objected, or the deadline passed with answers missing; the paper goes to a meeting.</summary>
    Failed,

    /// <summary>Called off by a secretary, or the consultation was settled otherwise (the paper withdrawn).</summary>
    Cancelled,
}

/// <summary>One member's part in a circulation: asked when it started, answered at most once.</summary>
public sealed class CirculationVote
{
    public Guid CirculationId { get; init; }
    public Guid PersonId { get; init; }

    /// <summary>The member's name when the circulation started, as its list shows it.</summary>
    public required string Name { get; init; }

    public CirculationAnswer? Answer { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }

    /// <summary>The account that answered, for the journal.</summary>
    public string? AnsweredBy { get; set; }
}

/// <summary>Zustimmung, Ablehnung, Enthaltung, or Widerspruch gegen das Verfahren.</summary>
public enum CirculationAnswer
{
    For,
    Against,
    Abstention,
    Objection,
}
