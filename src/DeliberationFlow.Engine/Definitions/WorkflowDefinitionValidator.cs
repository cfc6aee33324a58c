using System.Text.Json;
using DeliberationFlow.Engine.Activities;

namespace DeliberationFlow.Engine.Definitions;

/// <summary>Checks a definition against the registered activity types and reports every problem at once.</summary>
public sealed class WorkflowDefinitionValidator(IActivityRegistry activities)
{
    public IReadOnlyList<DefinitionProblem> Validate(WorkflowDefinition definition)
    {
        var problems = new List<DefinitionProblem>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);

        for (var i = 0; i < definition.Activities.Count; i++)
        {
            var activity = definition.Activities[i];
            if (!index.TryAdd(activity.Id, i))
            {
                problems.Add(new($"$.activities[{i}].id", $"The id '{activity.Id}' is used by activity {index[activity.Id]} already; give each activity its own id."));
            }

            var type = activities.Find(activity.Type);
            if (type is null)
            {
                var known = string.Join(", ", activities.Descriptors.Select(d => d.Type).Order(StringComparer.Ordinal));
                problems.Add(new($"$.activities[{i}].type", $"Unknown activity type '{activity.Type}'; use one of: {known}."));
                continue;
            }

            ValidateProperties(problems, i, activity, type.Descriptor);
        }

        var starts = definition.Activities.Where(a => activities.Find(a.Type)?.Descriptor.IsStart == true).ToList();
        if (starts.Count == 0)
        {
            problems.Add(new("$.activities", $"Add one activity of type '{StartActivity.TypeName}'; every workflow begins there."));
        }
        else if (starts.Count > 1)
        {
            problems.Add(new("$.activities", $"Keep exactly one '{StartActivity.TypeName}' activity; found {starts.Count}: {string.Join(", ", starts.Select(s => s.Id))}."));
        }

        if (!definition.Activities.Any(a => activities.Find(a.Type)?.Descriptor.IsEnd == true))
        {
            problems.Add(new("$.activities", $"Add an activity of type '{EndActivity.TypeName}'; an instance must be able to finish."));
        }

        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < definition.Connections.Count; i++)
        {
            var connection = definition.Connections[i];
            if (!index.TryGetValue(connection.Source, out var sourceIndex))
            {
                problems.Add(new($"$.connections[{i}].source", $"No activity has the id '{connection.Source}'; connect an existing activity."));
            }
            else if (activities.Find(definition.Activities[sourceIndex].Type) is { } source
                     && !source.Descriptor.Outcomes.Contains(connection.Outcome, StringComparer.Ordinal))
            {
                problems.Add(new($"$.connections[{i}].outcome",
                    $"Activity '{connection.Source}' ({source.Descriptor.Type}) has no outcome '{connection.Outcome}'; use one of: {string.Join(", ", source.Descriptor.Outcomes)}."));
            }

            if (!index.ContainsKey(connection.Target))
            {
                problems.Add(new($"$.connections[{i}].target", $"No activity has the id '{connection.Target}'; connect to an existing activity."));
            }

            if (!seen.Add((connection.Source, connection.Outcome)))
            {
                problems.Add(new($"$.connections[{i}]", $"Outcome '{connection.Outcome}' of '{connection.Source}' is connected twice; keep one connection per outcome."));
            }
        }

        if (starts.Count == 1)
        {
            ValidateReachability(problems, definition, starts[0].Id);
        }

        return problems;
    }

    private static void ValidateProperties(List<DefinitionProblem> problems, int i, ActivityDefinition activity, ActivityDescriptor descriptor)
    {
        foreach (var property in descriptor.Properties)
        {
            var path = $"$.activities[{i}].properties.{property.Name}";
            if (!activity.Properties.TryGetValue(property.Name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                if (property.Required)
                {
                    problems.Add(new(path, $"Set '{property.Name}': {property.Description}"));
                }

                continue;
            }

            var fits = property.Kind switch
            {
                PropertyKind.Text => value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(TryGetString(value)),
                PropertyKind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
                _ => false,
            };
            if (!fits)
            {
                var expected = property.Kind == PropertyKind.Boolean ? "true or false" : "a non-empty text";
                problems.Add(new(path, $"'{property.Name}' must be {expected}."));
            }
        }

        foreach (var name in activity.Properties.Keys.Where(k => descriptor.Properties.All(p => p.Name != k)))
        {
            var known = descriptor.Properties.Count == 0 ? "none" : string.Join(", ", descriptor.Properties.Select(p => p.Name));
            problems.Add(new($"$.activities[{i}].properties.{name}", $"'{descriptor.Type}' has no property '{name}'; known properties: {known}."));
        }
    }

    /// <summary>The text of a string value, or null when its escapes do not form valid UTF-16 (a lone surrogate such as "\\ud800").</summary>
    private static string? TryGetString(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static void ValidateReachability(List<DefinitionProblem> problems, WorkflowDefinition definition, string startId)
    {
        var reachable = new HashSet<string>(StringComparer.Ordinal) { startId };
        var queue = new Queue<string>([startId]);
        while (queue.TryDequeue(out var id))
        {
            foreach (var connection in definition.Connections.Where(c => c.Source == id))
            {
                if (reachable.Add(connection.Target))
                {
                    queue.Enqueue(connection.Target);
                }
            }
        }

        for (var i = 0; i < definition.Activities.Count; i++)
        {
            if (!reachable.Contains(definition.Activities[i].Id))
            {
                problems.Add(new($"$.activities[{i}]", $"Activity '{definition.Activities[i].Id}' cannot be reached from '{startId}'; connect it or remove it."));
            }
        }
    }
}
