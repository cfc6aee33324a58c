using System.Text.Json;

namespace DeliberationFlow.Engine.Definitions;

/// <summary>One version of a workflow: a flowchart of activities joined by outcome connections.</summary>
public sealed record WorkflowDefinition
{
    public required string DefinitionId { get; init; }
    public required int Version { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
    public DefinitionState State { get; init; } = DefinitionState.Published;

    /// <summary>Free properties of the definition as a whole (the council reads <c>paperTypes</c> here).</summary>
    public IReadOnlyDictionary<string, JsonElement> Properties { get; init; } = new Dictionary<string, JsonElement>();

    public IReadOnlyList<ActivityDefinition> Activities { get; init; } = [];
    public IReadOnlyList<Connection> Connections { get; init; } = [];

    public ActivityDefinition GetActivity(string activityId) =>
        Activities.FirstOrDefault(a => a.Id == activityId)
        ?? throw new InvalidOperationException($"Workflow '{DefinitionId}' v{Version} has no activity '{activityId}'.");

    public Connection? FindConnection(string sourceActivityId, string outcome) =>
        Connections.FirstOrDefault(c => c.Source == sourceActivityId && c.Outcome == outcome);

    public IEnumerable<string> ConnectedOutcomes(string sourceActivityId) =>
        Connections.Where(c => c.Source == sourceActivityId).Select(c => c.Outcome);
}

public enum DefinitionState
{
    Draft,
    Published,
    Retracted,
}

public sealed record ActivityDefinition
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public string? DisplayName { get; init; }
    public IReadOnlyDictionary<string, JsonElement> Properties { get; init; } = new Dictionary<string, JsonElement>();
    public DesignerPosition? Designer { get; init; }

    public string? GetString(string name) =>
        Properties.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public bool? GetBoolean(string name) =>
        Properties.TryGetValue(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;
}

/// <summary>Where the studio draws an activity.</summary>
public sealed record DesignerPosition(double X, double Y, double? Width = null, double? Height = null);

/// <summary>Leaving <see cref="Source"/> through the port <see cref="Outcome"/> continues at <see cref="Target"/>.</summary>
public sealed record Connection(string Source, string Outcome, string Target);

public static class ActivityDefinitionExtensions
{
    public static IReadOnlyList<string>? GetTextList(this ActivityDefinition activity, string name) =>
        activity.Properties.TryGetValue(name, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.Array
            ? value.EnumerateArray().Where(e => e.ValueKind == System.Text.Json.JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : null;

    public static double? GetNumber(this ActivityDefinition activity, string name) =>
        activity.Properties.TryGetValue(name, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.Number ? value.GetDouble() : null;
}
