using System.Text.Json;
using System.Text.RegularExpressions;
using DeliberationFlow.Engine.Activities;

namespace DeliberationFlow.Engine.Definitions;

/// <summary>
/// Checks a definition against the registered activity types and reports every problem at once.
/// </summary>
/// <remarks>
/// <para>
/// A document is checked in two passes that answer together: <see cref="WorkflowDefinitionReader"/> reports the values
/// of the wrong kind and hands over what it could read, and the checks of meaning run on that. A user who fixes a
/// type error must not get a second, different list. The checks of meaning leave out what the reader has reported
/// already and what only follows from it (see <see cref="Unread"/>): a problem at or below a path the reader reported,
/// a missing Start or End while an activity's type did not read, the graph checks while an id or an end of a connection
/// did not read. Those would be guesses about a part the user has not written yet.
/// </para>
/// <para>
/// The type checks stay hand-written rather than coming from <c>workflows/schema/workflow-definition.schema.json</c>
/// through JsonSchema.Net, for these reasons:
/// the reader has to walk the document anyway to build the partial model, and knows for each value whether it took it,
/// so it can say which checks of meaning to leave out; a schema pass would be a second walk whose findings would have
/// to be matched back against the first.
/// Its findings are per keyword and not per value: a missing required member is reported at its parent with the
/// keyword "required", an unknown member at its parent by "additionalProperties", and a type error as the schema
/// type name; translating them back into "Expected a whole number here, not the text \"eins\"" at the member's
/// path would be a hand-written layer as large as the walk, with the excerpt of the wrong value lost.
/// And the two differ on purpose: the reader takes member names regardless of case, null for an optional value and
/// the state in any case, as documents stored before the schema existed do; the schema, which editors use for
/// completion, is strict. The activity types and the id pattern come from the registry and
/// <see cref="DefinitionIds"/>, which the schema only repeats. And JsonSchema.Net (7.4) reads every number as a decimal
/// and throws on one beyond it (a coordinate of 1e400), where every document must get an answer, not an exception.
/// The tests hold schema and reader together: whatever the reader and this validator accept, the schema accepts
/// once those leniencies are written the strict way.
/// </para>
/// </remarks>
public sealed partial class WorkflowDefinitionValidator(IActivityRegistry activities)
{
    /// <summary>
    /// A council workflow has tens of steps; beyond these a document is refused before anything else is checked,
    /// so an oversized one costs a count, not a graph walk (and a script or template parse per activity).
    /// </summary>
    public const int MaxActivities = 500;

    /// <summary>Several outcomes per activity at most, each connected once.</summary>
    public const int MaxConnections = 2000;

    /// <summary>The length of the column that stores a version's name (workflow_definitions.name).</summary>
    public const int MaxNameLength = 300;

    /// <summary>
    /// The length of the columns that store an activity id (an instance's current activity, its bookmarks, timers and
    /// journal): a longer one was saved and published, and every paper reaching that step failed with a database error.
    /// </summary>
    public const int MaxActivityIdLength = 100;

    public IReadOnlyList<DefinitionProblem> Validate(WorkflowDefinition definition) => Validate(definition, DefinitionValidationContext.Empty);

    public IReadOnlyList<DefinitionProblem> Validate(WorkflowDefinition definition, DefinitionValidationContext context) =>
        InPathOrder(Check(definition, context, Unread.Nothing));

    /// <summary>
    /// The reader's problems and those of the checks of meaning on what it could read, in one list ordered by JSON path
    /// (indices by number); empty when the document is a valid definition, which is then <see cref="DefinitionReadResult.Definition"/>.
    /// </summary>
    public IReadOnlyList<DefinitionProblem> Validate(DefinitionReadResult read, DefinitionValidationContext context)
    {
        if (read.Partial is null)
        {
            return read.Problems;
        }

        var told = read.Problems.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        var unknownSettings = read.RepeatedSettings.Select(setting => (setting, Unknown: UnknownSetting(read.Partial, setting, told)))
            .Where(s => s.Unknown is not null).ToDictionary(s => s.setting.Path, s => s.Unknown!, StringComparer.Ordinal);
        var readProblems = read.Problems.Where(p => !unknownSettings.ContainsKey(p.Path)).ToList();

        // An unknown setting, once told as such, hides none of the activity's outcomes: the type reads none from it.
        var unread = new Unread(readProblems, read.RepeatedSettings.Where(s => !unknownSettings.ContainsKey(s.Path)).Select(s => s.Activity));
        return InPathOrder([.. readProblems, .. unknownSettings.Values, .. Check(read.Partial, context, unread).Where(p => !unread.Covers(p.Path))]);
    }

    /// <summary>
    /// What to tell instead of the reader's problem at a setting given twice when the activity's type does not have the
    /// setting. The reader knows no activity types; to the author, that the type has no such setting is the useful part:
    /// "keep one 'comittee'" would have them keep a typo. Null when the type has the setting, or the activity or its type
    /// did not read (the type meant is then not known).
    /// </summary>
    private DefinitionProblem? UnknownSetting(WorkflowDefinition definition, RepeatedSetting setting, HashSet<string> told) =>
        !told.Contains($"$.activities[{setting.Activity}]") && activities.Find(definition.Activities[setting.Activity].Type)?.Descriptor is { } descriptor
        && descriptor.Properties.All(p => p.Name != setting.Name)
            ? new(setting.Path, NoSuchProperty(descriptor, setting.Name))
            : null;

    private List<DefinitionProblem> Check(WorkflowDefinition definition, DefinitionValidationContext context, Unread unread)
    {
        context = context with
        {
            Definition = definition,
            ActivitiesWithoutId = [.. definition.Activities.Where((_, i) => unread.Activity(i) || unread.ActivityId(i))],
        };
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

        if (definition.Name.Length > MaxNameLength)
        {
            problems.Add(new("$.name", $"The name is {definition.Name.Length} characters long; keep it to {MaxNameLength}."));
        }

        for (var i = 0; i < definition.Activities.Count; i++)
        {
            var activity = definition.Activities[i];
            // An id that did not read is no id: a connection naming "" must not find this activity.
            if (!unread.ActivityId(i) && !index.TryAdd(activity.Id, i))
            {
                problems.Add(new($"$.activities[{i}].id", $"The id '{activity.Id}' is used by activity {index[activity.Id]} already; give each activity its own id."));
            }

            if (!unread.ActivityId(i) && activity.Id.Length > MaxActivityIdLength)
            {
                problems.Add(new($"$.activities[{i}].id", $"The activity id is {activity.Id.Length} characters long; keep it to {MaxActivityIdLength}."));
            }

            if (unread.Activity(i))
            {
                continue;
            }

            var type = activities.Find(activity.Type);
            if (type is null)
            {
                var known = string.Join(", ", activities.Descriptors.Select(d => d.Type).Order(StringComparer.Ordinal));
                problems.Add(new($"$.activities[{i}].type", $"Unknown activity type '{activity.Type}'; use one of: {known}."));
                continue;
            }

            var generic = ValidateProperties(problems, i, activity, type.Descriptor);
            foreach (var problem in SafeValidate(type, activity, context))
            {
                var path = problem.Path is null ? $"$.activities[{i}]" : $"$.activities[{i}].{problem.Path}";
                // A value of the wrong kind is reported once, by the generic check, not again as the activity reads it.
                if (!generic.Contains(path))
                {
                    problems.Add(new(path, problem.Message));
                }
            }
        }

        var starts = definition.Activities.Where(a => activities.Find(a.Type)?.Descriptor.IsStart == true).ToList();
        // The activity whose type did not read may well be the Start (or the End) that seems to be missing.
        if (starts.Count == 0 && !unread.AnyActivityType)
        {
            problems.Add(new("$.activities", $"Add one activity of type '{StartActivity.TypeName}'; every workflow begins there."));
        }
        else if (starts.Count > 1)
        {
            problems.Add(new("$.activities", $"Keep exactly one '{StartActivity.TypeName}' activity; found {starts.Count}: {string.Join(", ", starts.Select(s => s.Id))}."));
        }

        if (!unread.AnyActivityType && !definition.Activities.Any(a => activities.Find(a.Type)?.Descriptor.IsEnd == true))
        {
            problems.Add(new("$.activities", $"Add an activity of type '{EndActivity.TypeName}'; an instance must be able to finish."));
        }

        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < definition.Connections.Count; i++)
        {
            var connection = definition.Connections[i];
            if (unread.Connection(i))
            {
                continue;
            }

            if (!index.TryGetValue(connection.Source, out var sourceIndex))
            {
                problems.Add(new($"$.connections[{i}].source", $"No activity has the id '{connection.Source}'; connect an existing activity."));
            }
            else if (!unread.ActivityProperties(sourceIndex)
                     && activities.Find(definition.Activities[sourceIndex].Type) is { } source
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

            if (!unread.ConnectionPort(i) && !seen.Add((connection.Source, connection.Outcome)))
            {
                problems.Add(new($"$.connections[{i}]", $"Outcome '{connection.Outcome}' of '{connection.Source}' is connected twice; keep one connection per outcome."));
            }
        }

        // Connections by source and by target, built once: looking them up per activity must not scan them all.
        var outgoing = definition.Connections.ToLookup(c => c.Source, StringComparer.Ordinal);
        var incoming = definition.Connections.ToLookup(c => c.Target, StringComparer.Ordinal);
        // A connection whose source or outcome did not read may be the one meant for an outcome that looks open.
        if (!unread.AnyConnectionPort)
        {
            ValidateOpenPorts(problems, definition, outgoing, unread);
        }

        // With a node or an edge missing, "cannot be reached" and "no way out" would be guesses about the missing part.
        if (starts.Count == 1 && unread.GraphIsComplete)
        {
            var reachable = Reachable(outgoing, starts[0].Id);
            ValidateReachability(problems, definition, starts[0].Id, reachable);
            ValidateWayOut(problems, definition, incoming, reachable);
        }

        return problems;
    }

    /// <summary>An outcome without a connection would leave an instance stranded when it happens.</summary>
    private void ValidateOpenPorts(List<DefinitionProblem> problems, WorkflowDefinition definition, ILookup<string, Connection> outgoing, Unread unread)
    {
        for (var i = 0; i < definition.Activities.Count; i++)
        {
            var activity = definition.Activities[i];
            // Without its id its connections cannot be told; without its properties its outcomes cannot.
            if (unread.Activity(i) || unread.ActivityId(i) || unread.ActivityProperties(i) || activities.Find(activity.Type) is not { } type)
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

    /// <summary>The activity's ports, each once.</summary>
    private static IReadOnlyList<string> SafeOutcomes(IActivity activity, ActivityDefinition definition)
    {
        try
        {
            // A port is a name: an outcome its properties list twice ("outcomes": ["Rejected", "Rejected"]) is one port,
            // connected or open once, so it must be reported (and offered in "use one of") once, not once per entry.
            return [.. activity.OutcomesOf(definition).Distinct(StringComparer.Ordinal)];
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

    /// <returns>The paths it reported at.</returns>
    private static HashSet<string> ValidateProperties(List<DefinitionProblem> problems, int i, ActivityDefinition activity, ActivityDescriptor descriptor)
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in descriptor.Properties)
        {
            var path = $"$.activities[{i}].properties.{property.Name}";
            if (!activity.Properties.TryGetValue(property.Name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                if (property.Required)
                {
                    problems.Add(new(path, $"Set '{property.Name}': {property.Description}"));
                    reported.Add(path);
                }

                continue;
            }

            var fits = property.Kind switch
            {
                PropertyKind.Text => value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.TryGetString()),
                PropertyKind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
                PropertyKind.Number => value.ValueKind == JsonValueKind.Number,
                PropertyKind.TextList => value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0
                                         && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(e.TryGetString())),
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
                reported.Add(path);
            }
        }

        foreach (var name in activity.Properties.Keys.Where(k => descriptor.Properties.All(p => p.Name != k)))
        {
            problems.Add(new($"$.activities[{i}].properties.{name}", NoSuchProperty(descriptor, name)));
            reported.Add($"$.activities[{i}].properties.{name}");
        }

        return reported;
    }

    private static string NoSuchProperty(ActivityDescriptor descriptor, string name) =>
        $"'{descriptor.Type}' has no property '{name}'; known properties: {(descriptor.Properties.Count == 0 ? "none" : string.Join(", ", descriptor.Properties.Select(p => p.Name)))}.";

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

    /// <summary>Ordered by JSON path, an index by its number ([2] before [10]); problems at one path keep their order.</summary>
    public static List<DefinitionProblem> InPathOrder(IEnumerable<DefinitionProblem> problems) =>
        [.. problems.OrderBy(p => SortKey(p.Path), StringComparer.Ordinal)];

    private static string SortKey(string path) => IndexPattern().Replace(path, m => "[" + m.Groups[1].Value.PadLeft(10, '0') + "]");

    [GeneratedRegex(@"\[(\d+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex IndexPattern();

    /// <summary>Where the reader found a value of the wrong kind, so the checks of meaning neither repeat it nor guess around it.</summary>
    private sealed partial class Unread
    {
        public static readonly Unread Nothing = new([], []);

        private readonly HashSet<string> _paths;

        /// <param name="problems">The reader's problems that stand.</param>
        /// <param name="settingUnread">The activities with a setting given twice that the type has (so taken neither way).</param>
        public Unread(IEnumerable<DefinitionProblem> problems, IEnumerable<int> settingUnread)
        {
            _paths = problems.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
            var activityParts = _paths.Select(p => p == "$.activities" ? "" : Part(ActivityPattern(), p)).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var connectionParts = _paths.Select(p => p == "$.connections" ? "" : Part(ConnectionPattern(), p)).OfType<string>().ToHashSet(StringComparer.Ordinal);
            AnyActivityType = activityParts.Contains("") || activityParts.Contains(".type");
            AnyConnectionPort = connectionParts.Contains("") || connectionParts.Contains(".source") || connectionParts.Contains(".outcome");
            GraphIsComplete = !AnyActivityType && !AnyConnectionPort && !activityParts.Contains(".id") && !connectionParts.Contains(".target");
            // A setting of the type the reader did not take (given twice) may be the one that names the activity's outcomes.
            _settingUnread = [.. settingUnread];
        }

        private readonly HashSet<int> _settingUnread;

        /// <summary>The member of an element a path names ("" for the element itself), or null when it names none of interest.</summary>
        private static string? Part(Regex pattern, string path) => pattern.Match(path) is { Success: true } match ? match.Groups[2].Value : null;

        /// <summary>True when an activity's type (or a whole activity) did not read.</summary>
        public bool AnyActivityType { get; }

        /// <summary>True when a connection's source or outcome (or a whole connection) did not read.</summary>
        public bool AnyConnectionPort { get; }

        /// <summary>True when every activity's id and type and every connection's ends read.</summary>
        public bool GraphIsComplete { get; }

        /// <summary>The element is no object (or one of its member names does not read).</summary>
        public bool Activity(int i) => _paths.Contains($"$.activities[{i}]");

        public bool ActivityId(int i) => _paths.Contains($"$.activities[{i}].id");

        /// <summary>The activity's properties, or one of its settings, did not read: its outcomes cannot be told.</summary>
        public bool ActivityProperties(int i) => Activity(i) || _paths.Contains($"$.activities[{i}].properties") || _settingUnread.Contains(i);

        public bool Connection(int i) => _paths.Contains($"$.connections[{i}]");

        public bool ConnectionPort(int i) => _paths.Contains($"$.connections[{i}].source") || _paths.Contains($"$.connections[{i}].outcome");

        /// <summary>True when <paramref name="path"/> or a path above it was reported: it concerns a value that did not read.</summary>
        public bool Covers(string path)
        {
            if (_paths.Count == 0)
            {
                return false;
            }

            for (var end = 1; end <= path.Length; end++)
            {
                if ((end == path.Length || path[end] is '.' or '[') && _paths.Contains(path[..end]))
                {
                    return true;
                }
            }

            return false;
        }

        [GeneratedRegex(@"^\$\.activities\[(\d+)\](\.id|\.type|\.properties)?$", RegexOptions.CultureInvariant)]
        private static partial Regex ActivityPattern();

        [GeneratedRegex(@"^\$\.connections\[(\d+)\](\.source|\.outcome|\.target)?$", RegexOptions.CultureInvariant)]
        private static partial Regex ConnectionPattern();
    }
}
