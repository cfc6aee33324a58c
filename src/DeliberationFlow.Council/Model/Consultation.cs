namespace DeliberationFlow.Council.Model;

/// <summary>One step of a paper's Beratungsfolge: the paper in one committee, in one meeting, with one outcome.</summary>
public sealed class Consultation
{
    public Guid Id { get; init; }
    public Guid BodyId { get; init; }
    public Guid PaperId { get; init; }
    public Guid OrganizationId { get; set; }
    public Guid? MeetingId { get; set; }

    /// <summary>Position in the Beratungsfolge (1-based).</summary>
    public int Position { get; init; }

    public ConsultationRole Role { get; set; }

    /// <summary>The role as the body words it ("Vorberatung", "Entscheidung").</summary>
    public required string RoleText { get; set; }

    /// <summary>A decision is taken in this consultation.</summary>
    public bool Authoritative { get; set; }

    public ConsultationStatus Status { get; set; } = ConsultationStatus.Planned;
    public Outcome? Outcome { get; set; }

    /// <summary>The result as the minutes word it ("einstimmig beschlossen").</summary>
    public string? ResultText { get; set; }

    public string? ResolutionText { get; set; }

    /// <summary>The vote as the minutes record it (NKomVG § 68: results of votes must be recorded).</summary>
    public int? VotesFor { get; set; }

    public int? VotesAgainst { get; set; }

    public int? Abstentions { get; set; }
    public DateTimeOffset? RecordedAt { get; set; }

    /// <summary>Decided by Umlaufverfahren (§ 78(3) NKomVG) instead of in a meeting; <see cref="RecordedAt"/> is when it closed.</summary>
    public bool DecidedByCirculation { get; set; }
    public string? RecordedBy { get; set; }

    /// <summary>
    /// Eilentscheidung (§ 89 NKomVG): the committee this step was taken from because it could not be asked in time (the
    /// Rat); the step now lies with the Verwaltungsausschuss (<see cref="OrganizationId"/>). Null for every ordinary step.
    /// </summary>
    public Guid? UrgentDecisionInsteadOfId { get; set; }

    /// <summary>Who moved the step to the Verwaltungsausschuss (§ 89), when, and the reason of urgency given.</summary>
    public string? UrgentDecisionBy { get; set; }

    public DateTimeOffset? UrgentDecisionAt { get; set; }
    public string? UrgentDecisionReason { get; set; }

    /// <summary>
    /// An Unterrichtung (§ 89 Satz 2 NKomVG): this step informs its committee (the Rat) of the Eilentscheidung taken in the
    /// consultation with this id. No workflow activity plans or waits for it; it is recorded as "zur Kenntnis genommen".
    /// </summary>
    public Guid? InformsOfUrgentDecisionId { get; set; }

    /// <summary>Manual position on the meeting's agenda (within its public or non-public part); null keeps the planning order.</summary>
    public int? AgendaOrder { get; set; }

    /// <summary>Put on the agenda after the invitation went out (Nachtrag).</summary>
    public bool LateAddition { get; set; }

    /// <summary>The workflow activity that planned this consultation.</summary>
    public string? ActivityId { get; set; }

    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Modified { get; set; }

    /// <summary>Soft deletion (OParl): the row stays, with <c>Modified</c> set to the time it was deleted.</summary>
    public bool Deleted { get; set; }

    /// <summary>Optimistic concurrency: two outcomes for one consultation cannot both commit.</summary>
    public int Revision { get; set; }
}

public enum ConsultationStatus
{
    Planned,
    Done,
    Deferred,
    Withdrawn,

    /// <summary>Will not take place: another hearing decided the step, or the paper was withdrawn.</summary>
    Skipped,
}
