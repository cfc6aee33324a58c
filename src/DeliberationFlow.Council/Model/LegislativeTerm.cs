namespace DeliberationFlow.Council.Model;

/// <summary>A Wahlperiode of the body's council.</summary>
public sealed class LegislativeTerm
{
    public Guid Id { get; init; }
    public Guid BodyId { get; init; }
    public required string Name { get; set; }
    public DateOnly? StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Modified { get; set; }

    /// <summary>Soft deletion (OParl): the row stays, with <c>Modified</c> set to the time it was deleted.</summary>
    public bool Deleted { get; set; }
}
