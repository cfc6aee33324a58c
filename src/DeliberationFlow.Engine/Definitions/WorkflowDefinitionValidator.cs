using System.Text.Json;
using DeliberationFlow.Engine.Activities;

namespace DeliberationFlow.Engine.Definitions;

/// <summary>Checks a definition against the registered activity types and reports every problem at once.</summary>
public sealed class WorkflowDefinitionValidator(IActivityRegistry activities)
{
    /// <summary>
    /// A council workflow has tens of steps; beyond these a document is refused before anything else is checked,
    /// so an oversized one costs a count, not a graph walk (and a script or template parse per activity).
    /// </summary>
    public const int MaxActivities = 500;

    /// <summary>Several outcomes per activity at most, each connected once.</summary>
    public const int MaxConnections = 2000;

    public IReadOnlyList<DefinitionProblem> Validate(WorkflowDefinition definition) => Validate(definition, DefinitionValidationContext.Empty);

    public IReadOnlyList<DefinitionProblem> Validate(WorkflowDefinition definition, DefinitionValidationContext context)
    {
        context = context with { Definition = definition };
        var problems = new List<DefinitionProblem>();
        if (definition.Activities.Count > MaxActivities)
        {
            problems.Add(new("$.activities", $"The workflow has {definition.Activities.Count} activities; keep it to {MaxActivities} (split it into several workflows)."));
        }

        if (definition.Connections.Count > MaxConnections)
        {
            problems.Add(new("$.connections", $"The workflow has {definition.Connections.Count} connections; keep it to {MaxConnections}."));
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        if (DefinitionIds.Problem(definition.DefinitionId) is { } idProblem)
        {
            problems.Add(new("$.definitionId", idProblem));
        }

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
            foreach (var problem in SafeValidate(type, activity, context))
            {
                problems.Add(new(problem.Path is null ? $"$.activities[{i}]" : $"$.activities[{i}].{problem.Path}", problem.Message));
            }
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
                     && SafeOutcomes(source, definition.Activities[sourceIndex]) is var outcomes
                     && !outcomes.Contains(connection.Outcome, StringComparer.Ordinal))
            {
                problems.Add(new($"$.connections[{i}].outcome",
                    $"Activity '{connection.Source}' ({source.Descriptor.Type}) has no outcome '{connection.Outcome}'; use one of: {(outcomes.Count == 0 ? "none, it ends the workflow" : string.Join(", ", outcomes))}."));
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

        // Connections by source and by target, built once: looking them up per activity must not scan them all.
        var outgoing = definition.Connections.ToLookup(c => c.Source, StringComparer.Ordinal);
        var incoming = definition.Connections.ToLookup(c => c.Target, StringComparer.Ordinal);
        ValidateOpenPorts(problems, definition, outgoing);
        if (starts.Count == 1)
        {
            var reachable = Reachable(outgoing, starts[0].Id);
            ValidateReachability(problems, definition, starts[0].Id, reachable);
            ValidateWayOut(problems, definition, incoming, reachable);
        }

        return problems;
    }

    /// <summary>An outcome without a connection would leave an instance stranded when it happens.</summary>
    private void ValidateOpenPorts(List<DefinitionProblem> problems, WorkflowDefinition definition, ILookup<string, Connection> outgoing)
    {
        for (var i = 0; i < definition.Activities.Count; i++)
        {
            var activity = definition.Activities[i];
            if (activities.Find(activity.Type) is not { } type)
            {
                continue;
            }

            var connected = outgoing[activity.Id].Select(c => c.Outcome).ToHashSet(StringComparer.Ordinal);
            foreach (var outcome in SafeOutcomes(type, activity).Where(o => !connected.Contains(o)))
            {
                problems.Add(new($"$.activities[{i}]",
                    $"Outcome '{outcome}' of '{activity.Id}' has no connection; connect it to the next activity (or to an 'End')."));
            }
        }
    }

    /// <summary>Every activity the flow can reach must be able to reach an end; otherwise it loops with no way out.</summary>
    private void ValidateWayOut(List<DefinitionProblem> problems, WorkflowDefinition definition, ILookup<string, Connection> incoming, HashSet<string> reachable)
    {
        var ends = definition.Activities.Where(a => activities.Find(a.Type)?.Descriptor.IsEnd == true).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var canFinish = new HashSet<string>(ends, StringComparer.Ordinal);
        var queue = new Queue<string>(ends);
        while (queue.TryDequeue(out var id))
        {
            foreach (var connection in incoming[id])
            {
                if (canFinish.Add(connection.Source))
                {
                    queue.Enqueue(connection.Source);
                }
            }
        }

        for (var i = 0; i < definition.Activities.Count; i++)
        {
            var id = definition.Activities[i].Id;
            if (reachable.Contains(id) && !canFinish.Contains(id) && ends.Count > 0)
            {
                problems.Add(new($"$.activities[{i}]",
                    $"From '{id}' no path leads to an 'End': the flow would loop with no way out. Connect one of its outcomes towards an end."));
            }
        }
    }

    private static IReadOnlyList<string> SafeOutcomes(IActivity activity, ActivityDefinition definition)
    {
        try
        {
            return activity.OutcomesOf(definition);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Malformed properties are reported by the property check; fall back to the type's ports.
            return activity.Descriptor.Outcomes;
        }
    }

    private static List<ActivityProblem> SafeValidate(IActivity activity, ActivityDefinition definition, DefinitionValidationContext context)
    {
        try
        {
            return activity.Validate(definition, context).ToList();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A check that breaks on odd input must not break validation: it becomes one more reported problem.
            return [new(null, $"The properties of '{definition.Id}' could not be checked: {ex.Message}")];
        }
    }

    private static HashSet<string> Reachable(ILookup<string, Connection> outgoing, string startId)
    {
        var reachable = new HashSet<string>(StringComparer.Ordinal) { startId };
        var queue = new Queue<string>([startId]);
        while (queue.TryDequeue(out var id))
        {
            foreach (var connection in outgoing[id])
            {
                if (reachable.Add(connection.Target))
                {
                    queue.Enqueue(connection.Target);
                }
            }
        }

        return reachable;
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
                PropertyKind.Number => value.ValueKind == JsonValueKind.Number,
                PropertyKind.TextList => value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0
                                         && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(TryGetString(e))),
                _ => false,
            };
            if (!fits)
            {
                var expected = property.Kind switch
                {
                    PropertyKind.Boolean => "true or false",
                    PropertyKind.Number => "a number",
                    PropertyKind.TextList => "a non-empty list of texts",
                    _ => "a non-empty text",
                };
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

    private static void ValidateReachability(List<DefinitionProblem> problems, WorkflowDefinition definition, string startId, HashSet<string> reachable)
    {
        for (var i = 0; i < definition.Activities.Count; i++)
        {
            if (!reachable.Contains(definition.Activities[i].Id))
            {
                problems.Add(new($"$.activities[{i}]", $"Activity '{definition.Activities[i].Id}' cannot be reached from '{startId}'; connect it or remove it."));
            }
        }
    }
}
