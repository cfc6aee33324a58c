using DeliberationFlow.Council.Model;

namespace DeliberationFlow.Server.Components.Studio.Designer;

/// <summary>German wording of the engine's names (outcome ports, states) for the studio.</summary>
public static class StudioTexts
{
    // Times as the body's clerks read them: in the body's configured zone (CallerBodyZone), whatever the server's zone.
    public static string Time(DateTimeOffset instant, TimeZoneInfo bodyZone) => TimeZoneInfo.ConvertTime(instant, bodyZone).ToString("dd.MM.yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public static string Date(DateTimeOffset instant, TimeZoneInfo bodyZone) => TimeZoneInfo.ConvertTime(instant, bodyZone).ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture);

    public static string Outcome(string outcome) => outcome switch
    {
        "True" => "ja",
        "False" => "nein",
        "Done" => "weiter",
        _ when Enum.TryParse<Outcome>(outcome, out var parsed) && Enum.IsDefined(parsed) => Vocabulary.Label(parsed),
        _ => outcome,
    };

    public static string DefinitionState(string state) => state switch
    {
        "Draft" => "Entwurf",
        "Published" => "Veröffentlicht",
        "Retracted" => "Zurückgezogen",
        _ => state,
    };

    public static string InstanceStatus(string status) => status switch
    {
        "Running" => "Läuft",
        "Suspended" => "Wartet",
        "Finished" => "Beendet",
        "Faulted" => "Störung",
        _ => status,
    };

    public static string Property(string name) => name switch
    {
        "authoritative" => "Beschlussfassend",
        "reminder" => "Erinnerung am Vortag der Sitzung",
        "expression" => "Bedingung (ein JavaScript-Ausdruck über paper, z. B. paper.consultations.some(c => c.outcome === 'Rejected'))",
        "subject" => "Betreff (Liquid)",
        "text" => "Text (Liquid)",
        "until" => "Warten bis (Datum und Uhrzeit)",
        "daysAfterLastMeeting" => "Tage nach der letzten Sitzung",
        "role" => "Rolle",
        _ => name,
    };

    /// <summary>The outcomes a consultation can route on (vertagt and verwiesen are handled inside it).</summary>
    public static readonly string[] RoutableConsultationOutcomes =
        [nameof(Council.Model.Outcome.Adopted), nameof(Council.Model.Outcome.AdoptedAmended), nameof(Council.Model.Outcome.Rejected),
         nameof(Council.Model.Outcome.Noted), nameof(Council.Model.Outcome.Withdrawn), nameof(Council.Model.Outcome.Recommended),
         nameof(Council.Model.Outcome.NoVote), nameof(Council.Model.Outcome.Settled), nameof(Council.Model.Outcome.Elected)];

    public static readonly string[] Roles = ["Vorberatung", "Entscheidung", "Anhörung", "Kenntnisnahme"];
}
