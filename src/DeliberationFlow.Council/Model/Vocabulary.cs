namespace DeliberationFlow.Council.Model;

/// <summary>Normalised consultation roles; the raw wording is kept beside them.</summary>
public enum ConsultationRole
{
    Hearing,
    PreDeliberation,
    Decision,
    Noting,
    Deliberation,
    Unknown,
}

/// <summary>Normalised consultation outcomes; the raw wording is kept beside them.</summary>
public enum Outcome
{
    Adopted,
    AdoptedAmended,
    Rejected,
    Noted,
    Deferred,
    Referred,
    Withdrawn,

    /// <summary>Abgesetzt: taken off this meeting's agenda; the paper comes up again in the next meeting.</summary>
    RemovedFromAgenda,

    /// <summary>Empfohlen / vorberaten: a preparing committee's recommendation.</summary>
    Recommended,

    /// <summary>Keine Abstimmung: deliberated without a vote.</summary>
    NoVote,

    /// <summary>
    /// Erledigt: the matter is settled without a decision on it ("erledigt durch Stellungnahme der Verwaltung", "mit
    /// Stellungnahme einverstanden"), the usual end of an Antrag the administration has answered. Called Settled, not
    /// Done, so it is not taken for the engine's Done port.
    /// </summary>
    Settled,

    /// <summary>Gewählt: an election held in the meeting (Schöffen, a Schiedsperson, a committee's chair).</summary>
    Elected,
}

/// <summary>
/// Maps the free wording found in council systems (ALLRIS, SessionNet, OParl data) to the normalised
/// values, and gives the German label for each.
/// </summary>
public static class Vocabulary
{
    public static ConsultationRole NormaliseRole(string? text) => Clean(text) switch
    {
        "anhörung" => ConsultationRole.Hearing,
        "vorberatung" or "empfehlung" or "federführende beratung" => ConsultationRole.PreDeliberation,
        "entscheidung" or "beschlussfassung" or "zustimmung" => ConsultationRole.Decision,
        "kenntnisnahme" => ConsultationRole.Noting,
        "beratung" or "behandlung" or "1. lesung" => ConsultationRole.Deliberation,
        _ => ConsultationRole.Unknown,
    };

    /// <summary>The role wordings a workflow may use, one per known role (the synonyms above are read as well).</summary>
    public static IReadOnlyList<string> RoleLabels { get; } =
        [.. Enum.GetValues<ConsultationRole>().Where(r => r != ConsultationRole.Unknown).Select(Label)];

    public static string Label(ConsultationRole role) => role switch
    {
        ConsultationRole.Hearing => "Anhörung",
        ConsultationRole.PreDeliberation => "Vorberatung",
        ConsultationRole.Decision => "Entscheidung",
        ConsultationRole.Noting => "Kenntnisnahme",
        ConsultationRole.Deliberation => "Beratung",
        _ => "unbekannt",
    };

    /// <summary>Reads a result as minutes word it; <c>null</c> when the wording is not recognised.</summary>
    public static Outcome? NormaliseOutcome(string? text)
    {
        var clean = Clean(text);
        if (clean.Length == 0)
        {
            return null;
        }

        if (clean.StartsWith("verwiesen", StringComparison.Ordinal) || clean.StartsWith("weiterbehandlung", StringComparison.Ordinal))
        {
            return Outcome.Referred;
        }

        if (clean.Contains("kenntnis", StringComparison.Ordinal))
        {
            return Outcome.Noted;
        }

        if (clean.Contains("abgelehnt", StringComparison.Ordinal))
        {
            return Outcome.Rejected;
        }

        if (clean.Contains("vertagt", StringComparison.Ordinal) || clean.Contains("zurückgestellt", StringComparison.Ordinal))
        {
            return Outcome.Deferred;
        }

        if (clean.Contains("zurückgezogen", StringComparison.Ordinal))
        {
            return Outcome.Withdrawn;
        }

        if (clean.Contains("abgesetzt", StringComparison.Ordinal) || clean.Contains("von der tagesordnung", StringComparison.Ordinal))
        {
            return Outcome.RemovedFromAgenda;
        }

        if (clean.StartsWith("erledigt", StringComparison.Ordinal) || clean.Contains("mit stellungnahme einverstanden", StringComparison.Ordinal))
        {
            return Outcome.Settled;
        }

        if (clean.Contains("gewählt", StringComparison.Ordinal))
        {
            return Outcome.Elected;
        }

        if (clean.Contains("keine abstimmung", StringComparison.Ordinal) || clean.Contains("nicht zur abstimmung", StringComparison.Ordinal))
        {
            return Outcome.NoVote;
        }

        if ((clean.Contains("geändert", StringComparison.Ordinal) && !clean.Contains("ungeändert", StringComparison.Ordinal))
            || clean.Contains("mit änderungen", StringComparison.Ordinal)
            || clean.Contains("geändertem", StringComparison.Ordinal))
        {
            return Outcome.AdoptedAmended;
        }

        if (clean.Contains("empfohlen", StringComparison.Ordinal) || clean.Contains("empfehlung", StringComparison.Ordinal)
            || clean.Contains("vorberaten", StringComparison.Ordinal))
        {
            return Outcome.Recommended;
        }

        if (clean.Contains("beschlossen", StringComparison.Ordinal) || clean.Contains("zugestimmt", StringComparison.Ordinal))
        {
            return Outcome.Adopted;
        }

        return Enum.TryParse<Outcome>(text, ignoreCase: true, out var parsed) ? parsed : null;
    }

    public static string Label(Outcome outcome) => outcome switch
    {
        Outcome.Adopted => "beschlossen",
        Outcome.AdoptedAmended => "geändert beschlossen",
        Outcome.Rejected => "abgelehnt",
        Outcome.Noted => "zur Kenntnis genommen",
        Outcome.Deferred => "vertagt",
        Outcome.Referred => "verwiesen",
        Outcome.Withdrawn => "zurückgezogen",
        Outcome.RemovedFromAgenda => "abgesetzt",
        Outcome.Recommended => "empfohlen",
        Outcome.NoVote => "keine Abstimmung",
        Outcome.Settled => "erledigt",
        Outcome.Elected => "gewählt",
        _ => outcome.ToString(),
    };

    public static string Label(ConsultationStatus status) => status switch
    {
        ConsultationStatus.Planned => "Geplant",
        ConsultationStatus.Done => "Erledigt",
        ConsultationStatus.Deferred => "Vertagt",
        ConsultationStatus.Withdrawn => "Zurückgezogen",
        ConsultationStatus.Skipped => "Entfallen",
        _ => status.ToString(),
    };

    public static string Label(PaperStatus status) => status switch
    {
        PaperStatus.InProgress => "In Beratung",
        PaperStatus.Done => "Erledigt",
        PaperStatus.Withdrawn => "Zurückgezogen",
        _ => status.ToString(),
    };

    private static string Clean(string? text) => (text ?? "").Trim().ToLowerInvariant();
}
