using System.Text.Json;

namespace DeliberationFlow.Server.Components.Studio.Designer;

/// <summary>
/// One entry of the designer's palette: an activity type of the engine, maybe with preset properties
/// (a consultation in the role of a decision). Entries without a type only explain (deferral and referral are
/// handled by every consultation itself; the engine has no separate step for them).
/// </summary>
public sealed record PaletteItem(string Key, string Label, string? Type, string Hint, IReadOnlyDictionary<string, JsonElement> Preset)
{
    public bool CanAdd => Type is not null;
}

public static class StudioPalette
{
    // Declared before Items: static fields initialise in text order.
    private static readonly IReadOnlyDictionary<string, JsonElement> Empty = new Dictionary<string, JsonElement>();

    public static IReadOnlyList<PaletteItem> Items { get; } =
    [
        Item("consultation", "Beratung (Vorberatung)", "Consultation",
            "Plant die Vorlage in die nächste mögliche Sitzung eines Gremiums und wartet auf das Ergebnis.", ("role", "Vorberatung")),
        Item("decision", "Beratung (Entscheidung)", "Consultation",
            "Das Gremium entscheidet abschließend (beschlussfassend).", ("role", "Entscheidung"), ("authoritative", true)),
        Item("noting", "Kenntnisnahme", "Consultation", "Das Gremium nimmt die Vorlage zur Kenntnis.", ("role", "Kenntnisnahme")),
        Item("hearing", "Anhörung mehrerer Gremien", "Hearing", "Hört mehrere Gremien (z. B. Stadtbezirksräte, § 94 NKomVG) und geht weiter, wenn alle (oder eines) gehört sind."),
        Item("outcome-decision", "Entscheidung nach Ergebnis", "OutcomeDecision", "Verzweigt nach dem Ergebnis einer früheren Beratung oder Anhörung."),
        Item("condition", "Bedingung", "Condition", "Verzweigt nach einer JavaScript-Bedingung über die Vorlage (paper)."),
        Item("notify", "Benachrichtigung", "Notify", "Schickt eine E-Mail an federführende Stelle, beteiligte Stellen oder Gremienmitglieder."),
        Item("wait", "Warten", "Wait", "Wartet bis zu einem Zeitpunkt oder einige Tage nach der letzten Sitzung (z. B. Beschlusskontrolle)."),
        new("deferral", "Vertagung", null,
            "Keine eigene Aktivität: wird eine Beratung „vertagt“, plant sie die Vorlage selbst in die nächste Sitzung des Gremiums.", Empty),
        new("referral", "Verweisung", null,
            "Keine eigene Aktivität: „verwiesen an …“ (referTo) schickt die Vorlage aus der Beratung heraus an das genannte Gremium und danach zurück.", Empty),
        Item("withdraw", "Zurückziehen", "Withdraw", "Markiert die Vorlage als zurückgezogen; geplante Beratungen entfallen."),
        Item("start", "Start", "Start", "Hier beginnt jeder Ablauf (genau einmal)."),
        Item("end", "Ende", "End", "Hier endet der Ablauf."),
    ];

    public static PaletteItem? Find(string key) => Items.FirstOrDefault(i => i.Key == key);

    private static PaletteItem Item(string key, string label, string type, string hint, params (string Name, object Value)[] preset) =>
        new(key, label, type, hint, preset.ToDictionary(p => p.Name, p => JsonSerializer.SerializeToElement(p.Value)));
}
