using System.Text.Json;
using DeliberationFlow.Engine.Definitions;

namespace DeliberationFlow.Server.Components.Studio.Designer;

public enum DiffKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>One line of a version comparison, worded for an admin (not a text diff of the JSON).</summary>
public sealed record DiffLine(DiffKind Kind, string Text);

/// <summary>
/// Compares two versions of a workflow by meaning: activities added, removed or changed (type, label, each property),
/// connections added, removed or redirected. Moves on the canvas are summed up in one line, since they change nothing
/// an instance does.
/// </summary>
public static class DefinitionDiff
{
    public static IReadOnlyList<DiffLine> Compare(WorkflowDefinition older, WorkflowDefinition newer)
    {
        var lines = new List<DiffLine>();
        if (older.Name != newer.Name)
        {
            lines.Add(new(DiffKind.Changed, $"Name: „{older.Name}“ → „{newer.Name}“"));
        }

        if (older.Description != newer.Description)
        {
            lines.Add(new(DiffKind.Changed, "Beschreibung geändert"));
        }

        foreach (var name in older.Properties.Keys.Union(newer.Properties.Keys).Order(StringComparer.Ordinal))
        {
            CompareValue(lines, $"Ablauf-Eigenschaft '{name}'", older.Properties, newer.Properties, name);
        }

        var before = older.Activities.GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var after = newer.Activities.GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var activity in newer.Activities.Where(a => !before.ContainsKey(a.Id)))
        {
            lines.Add(new(DiffKind.Added, $"Schritt hinzugefügt: {Label(activity)}"));
        }

        foreach (var activity in older.Activities.Where(a => !after.ContainsKey(a.Id)))
        {
            lines.Add(new(DiffKind.Removed, $"Schritt entfernt: {Label(activity)}"));
        }

        var moved = 0;
        foreach (var activity in newer.Activities.Where(a => before.ContainsKey(a.Id)))
        {
            var old = before[activity.Id];
            if (old.Type != activity.Type)
            {
                lines.Add(new(DiffKind.Changed, $"Schritt '{activity.Id}': Typ {old.Type} → {activity.Type}"));
            }

            if (old.DisplayName != activity.DisplayName)
            {
                lines.Add(new(DiffKind.Changed, $"Schritt '{activity.Id}': Bezeichnung „{old.DisplayName ?? "–"}“ → „{activity.DisplayName ?? "–"}“"));
            }

            foreach (var name in old.Properties.Keys.Union(activity.Properties.Keys).Order(StringComparer.Ordinal))
            {
                CompareValue(lines, $"Schritt '{activity.Id}': '{name}'", old.Properties, activity.Properties, name);
            }

            if ((old.Designer?.X, old.Designer?.Y) != (activity.Designer?.X, activity.Designer?.Y))
            {
                moved++;
            }
        }

        var oldPorts = older.Connections.GroupBy(c => (c.Source, c.Outcome)).ToDictionary(g => g.Key, g => g.First().Target);
        var newPorts = newer.Connections.GroupBy(c => (c.Source, c.Outcome)).ToDictionary(g => g.Key, g => g.First().Target);
        foreach (var ((source, outcome), target) in newPorts)
        {
            if (!oldPorts.TryGetValue((source, outcome), out var oldTarget))
            {
                lines.Add(new(DiffKind.Added, $"Verbindung hinzugefügt: '{source}' ({outcome}) → '{target}'"));
            }
            else if (oldTarget != target)
            {
                lines.Add(new(DiffKind.Changed, $"Verbindung umgelegt: '{source}' ({outcome}) → '{oldTarget}' wird → '{target}'"));
            }
        }

        foreach (var ((source, outcome), target) in oldPorts.Where(p => !newPorts.ContainsKey(p.Key)))
        {
            lines.Add(new(DiffKind.Removed, $"Verbindung entfernt: '{source}' ({outcome}) → '{target}'"));
        }

        if (moved > 0)
        {
            lines.Add(new(DiffKind.Changed, moved == 1 ? "1 Schritt im Diagramm verschoben" : $"{moved} Schritte im Diagramm verschoben"));
        }

        return lines;
    }

    private static void CompareValue(List<DiffLine> lines, string what, IReadOnlyDictionary<string, JsonElement> older, IReadOnlyDictionary<string, JsonElement> newer, string name)
    {
        var had = older.TryGetValue(name, out var oldValue);
        var has = newer.TryGetValue(name, out var newValue);
        if (had && has)
        {
            if (!JsonElement.DeepEquals(oldValue, newValue))
            {
                lines.Add(new(DiffKind.Changed, $"{what}: {Show(oldValue)} → {Show(newValue)}"));
            }
        }
        else if (has)
        {
            lines.Add(new(DiffKind.Added, $"{what} gesetzt: {Show(newValue)}"));
        }
        else if (had)
        {
            lines.Add(new(DiffKind.Removed, $"{what} entfernt (war {Show(oldValue)})"));
        }
    }

    private static string Label(ActivityDefinition activity) =>
        activity.DisplayName is { Length: > 0 } name ? $"„{name}“ ({activity.Type}, '{activity.Id}')" : $"'{activity.Id}' ({activity.Type})";

    private static string Show(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? $"„{value.GetString()}“" : value.GetRawText();
        return text.Length > 120 ? text[..117] + "…" : text;
    }
}
