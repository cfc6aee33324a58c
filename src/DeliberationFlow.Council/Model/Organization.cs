namespace DeliberationFlow.Council.Model;

/// <summary>
/// An OParl Organization: a committee (Gremium: Rat, Ausschuss, Stadtbezirksrat) or an office of the
/// administration (Verwaltungsbereich, e.g. the lead office of a paper).
/// </summary>
public sealed class Organization
{
    public Guid Id { get; init; }
    public Guid BodyId { get; init; }

    /// <summary>Stable short key used by workflow definitions, e.g. <c>fpa</c> or <c>rat</c>.</summary>
    public required string Key { get; init; }

    public required string Name { get; set; }
    public string? ShortName { get; set; }
    public OrganizationKind Kind { get; set; } = OrganizationKind.Committee;

    /// <summary>OParl classification, e.g. "Parlament", "Hauptausschuss", "Ausschuss", "Stadtbezirksrat".</summary>
    public string? Classification { get; set; }

    /// <summary>Where an office receives mail (the lead office's outcome notices).</summary>
    public string? Email { get; set; }

    /// <summary>A paper must be final this many days before the meeting (Vorlagenfrist).</summary>
    public int SubmissionDeadlineDays { get; set; } = 14;

    /// <summary>The invitation goes out this many days before the meeting (Ladungsfrist, set by the Geschäftsordnung).</summary>
    public int NoticePeriodDays { get; set; } = 7;

    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Modified { get; set; }
}

public enum OrganizationKind
{
    Committee,
    AdministrativeOffice,
}
