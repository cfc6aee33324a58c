namespace DeliberationFlow.Council.Model;

/// <summary>
/// A Tagesordnungspunkt kept as a row of its own: imported from another system (with its number, order and result
/// as that system had them), or a point without a paper ("Mitteilungen", "Mündliche Fragen"). The agenda items of
/// papers planned here are drawn from their consultations instead (see <c>Meetings/Agenda</c>).
/// </summary>
public sealed class AgendaItem
{
    public Guid Id { get; init; }
    public Guid BodyId { get; init; }
    public Guid MeetingId { get; set; }

    /// <summary>The consultation of a paper that this item deliberates, when there is one.</summary>
    public Guid? ConsultationId { get; set; }

    /// <summary>Free text as on the agenda: "4", "4.1", "c)".</summary>
    public string? Number { get; set; }

    /// <summary>Position within the meeting.</summary>
    public int Order { get; set; }

    public string? Name { get; set; }
    public bool Public { get; set; } = true;

    /// <summary>The result as the minutes word it ("mehrheitlich beschlossen").</summary>
    public string? ResultText { get; set; }

    public Outcome? Outcome { get; set; }
    public string? ResolutionText { get; set; }
    public DateTimeOffset? Start { get; set; }
    public DateTimeOffset? End { get; set; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Modified { get; set; }

    /// <summary>Soft deletion (OParl): the row stays, with <c>Modified</c> set to the time it was deleted.</summary>
    public bool Deleted { get; set; }
}
