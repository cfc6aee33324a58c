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

    /// <summary>The Hauptausschuss (in Lower Saxony the Verwaltungsausschuss) always sits in private (§ 78 Abs. 2 NKomVG).</summary>
    public bool MeetsInPrivate => IsPrivateClassification(Classification);

    public static bool IsPrivateClassification(string? classification) => string.Equals(classification, "Hauptausschuss", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where an office receives mail (the lead office's outcome notices).</summary>
    public string? Email { get; set; }

    /// <summary>A paper must be final this many days before the meeting (Vorlagenfrist).</summary>
    public int SubmissionDeadlineDays { get; set; } = 10;

    /// <summary>Whether the Vorlagenfrist counts working days (without weekends and the state's public holidays) or calendar days.</summary>
    public bool SubmissionDeadlineInWorkingDays { get; set; } = true;

    /// <summary>The invitation goes out this many calendar days before the meeting (Ladungsfrist, set by the Geschäftsordnung).</summary>
    public int NoticePeriodDays { get; set; } = 7;

    /// <summary>The Vorlagenfrist for an urgent paper (Dringlichkeit), in the same unit as the normal one.</summary>
    public int UrgentSubmissionDeadlineDays { get; set; } = 2;

    /// <summary>The Ladungsfrist in urgent cases, in calendar days (e.g. 24 hours: 1).</summary>
    public int UrgentNoticePeriodDays { get; set; } = 1;

    /// <summary>Members are reminded this many days before a meeting.</summary>
    public int ReminderDaysBefore { get; set; } = 1;

    /// <summary>A step whose meeting passed this many days ago without an outcome is reported to the secretaries and the lead office.</summary>
    public int EscalationDays { get; set; } = 14;

    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Modified { get; set; }

    /// <summary>Soft deletion (OParl): the row stays, with <c>Modified</c> set to the time it was deleted.</summary>
    public bool Deleted { get; set; }
}

/// <summary>What an organization is (OParl <c>organizationType</c>).</summary>
public enum OrganizationKind
{
    /// <summary>Gremium: the Rat, a committee, a Stadtbezirksrat; it meets and papers are consulted in it.</summary>
    Committee,

    /// <summary>Verwaltungsbereich: an office of the administration that leads or takes part in papers.</summary>
    AdministrativeOffice,

    /// <summary>Fraktion: a political group of the council; it has members but holds none of the council's meetings.</summary>
    Faction,

    /// <summary>Partei: a party, as some council information systems list them beside the factions.</summary>
    Party,
}

public static class OrganizationKinds
{
    /// <summary>OParl's word for the kind (<c>organizationType</c>).</summary>
    public static string OParlType(OrganizationKind kind) => kind switch
    {
        OrganizationKind.Committee => "Gremium",
        OrganizationKind.Faction => "Fraktion",
        OrganizationKind.Party => "Partei",
        _ => "Verwaltungsbereich",
    };
}
