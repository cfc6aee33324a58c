namespace DeliberationFlow.Council.Model;

/// <summary>A Vorlage (Drucksache) travelling through its committees.</summary>
public sealed class Paper
{
    public Guid Id { get; init; }
    public Guid BodyId { get; init; }

    /// <summary>The paper's number, e.g. <c>21-15513-01</c>.</summary>
    public required string Reference { get; init; }

    public required string Name { get; set; }

    /// <summary>Free text as the body uses it ("Beschlussvorlage", "Mitteilung", "Stellungnahme").</summary>
    public required string PaperType { get; set; }

    /// <summary>
    /// The paper's date as the administration dates it (OParl <c>date</c>). The Vorlagenfrist is met by the moment the
    /// paper reached the Sitzungsdienst (<see cref="Created"/>), not by this date, which an author may set back.
    /// </summary>
    public DateOnly Date { get; set; }

    /// <summary>The lead office (Federführung, OParl <c>underDirectionOf</c>).</summary>
    public Guid? LeadOfficeId { get; set; }

    /// <summary>Participating offices (Beteiligt).</summary>
    public List<Guid> ParticipatingOfficeIds { get; set; } = [];

    public Guid? SuperordinatedPaperId { get; set; }

    /// <summary>Papers on the same matter (OParl <c>relatedPaper</c>), other than the superordinated and subordinated ones.</summary>
    public List<Guid> RelatedPaperIds { get; set; } = [];
    public bool IsPublic { get; set; } = true;

    /// <summary>
    /// When a public paper was made non-public (EditPaper), while it stays so. The public OParl interface then serves it
    /// as deleted, so that portals which mirrored it drop it; a paper non-public from the start is never mentioned there.
    /// </summary>
    public DateTimeOffset? WithdrawnFromPublic { get; set; }

    /// <summary>Urgent (Dringlichkeit): the committees' shorter deadlines apply.</summary>
    public bool IsUrgent { get; set; }
    public PaperStatus Status { get; set; } = PaperStatus.InProgress;
    public Guid? WorkflowInstanceId { get; set; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Modified { get; set; }

    /// <summary>Soft deletion (OParl): the row stays, with <c>Modified</c> set to the time it was deleted.</summary>
    public bool Deleted { get; set; }
}

public enum PaperStatus
{
    InProgress,
    Done,
    Withdrawn,
}
