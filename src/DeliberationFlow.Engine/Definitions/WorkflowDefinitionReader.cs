using System.Text.Json;

namespace DeliberationFlow.Engine.Definitions;

/// <summary>
/// Reads a definition document (the JSON in <c>workflows/</c>) and reports what is wrong, with JSON paths.
/// It walks the parsed JSON field by field instead of deserialising into classes: a serializer stops at the first
/// value of the wrong kind and names .NET types, while this reports every misplaced value at once, in the terms of
/// the document (a text, a number, an object, a list).
/// </summary>
public static class WorkflowDefinitionReader
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Skip,
    };

    private static readonly string[] DocumentMembers = ["$schema", "definitionId", "version", "name", "description", "state", "properties", "activities", "connections"];
    private static readonly string[] ActivityMembers = ["id", "type", "displayName", "properties", "designer"];
    private static readonly string[] DesignerMembers = ["x", "y", "width", "height"];
    private static readonly string[] ConnectionMembers = ["source", "outcome", "target"];

    public static DefinitionReadResult Read(string json)
    {
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(json, Options);
        }
        catch (JsonException ex)
        {
            return DefinitionReadResult.Failed(new DefinitionProblem(ex.Path ?? "$", Describe(ex)));
        }
        catch (ArgumentException)
        {
            // Only a string that is not valid UTF-16 (an unpaired surrogate) fails before the JSON is parsed.
            return DefinitionReadResult.Failed(new DefinitionProblem("$", "The text contains an unpaired surrogate character; save the file as UTF-8 and check it for broken characters."));
        }

        using (parsed)
        {
            var root = parsed.RootElement;
            if (root.ValueKind == JsonValueKind.Null)
            {
                return DefinitionReadResult.Failed(new DefinitionProblem("$", "The document is empty; expected a workflow definition object."));
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return DefinitionReadResult.Failed(new DefinitionProblem("$",
                    $"Expected a workflow definition object (with definitionId, version, name, activities and connections), not {Kind(root)}."));
            }

            var problems = new List<DefinitionProblem>();
            var repeatedSettings = new List<RepeatedSetting>();
            var definition = ReadDocument(root, problems, repeatedSettings);
            return new DefinitionReadResult(definition, problems) { RepeatedSettings = repeatedSettings };
        }
    }

    private static WorkflowDefinition ReadDocument(JsonElement root, List<DefinitionProblem> problems, List<RepeatedSetting> repeatedSettings)
    {
        var members = Members(root, "$", DocumentMembers, "a workflow definition", problems);
        Text(members, "$schema", "$", problems, required: false);
        var definitionId = Text(members, "definitionId", "$", problems, required: true);
        var name = Text(members, "name", "$", problems, required: true);
        var description = Text(members, "description", "$", problems, required: false);
        var version = 0;
        if (members.TryGetValue("version", out var versionValue))
        {
            if (versionValue.ValueKind != JsonValueKind.Number || !versionValue.TryGetInt32(out version))
            {
                problems.Add(new("$.version", $"Expected a whole number here, not {Kind(versionValue)}."));
            }
        }

        if (version < 1 && !problems.Any(p => p.Path == "$.version"))
        {
            problems.Add(new DefinitionProblem("$.version", "Set a version number of 1 or more."));
        }

        DefinitionState? state = null;
        if (members.TryGetValue("state", out var stateValue) && stateValue.ValueKind != JsonValueKind.Null)
        {
            state = stateValue.ValueKind == JsonValueKind.String && stateValue.TryGetString() is { } text && text.All(char.IsAsciiLetter)
                    && Enum.TryParse<DefinitionState>(text, ignoreCase: true, out var parsed)
                ? parsed
                : null;
            if (state is null)
            {
                problems.Add(new("$.state", $"Expected one of \"draft\", \"published\" or \"retracted\" here, not {Kind(stateValue)}."));
            }
        }

        var properties = PropertyBag(members, "$", problems, out _);
        // An element that is no object stays as an empty placeholder: the checks of meaning report at the
        // document's positions, and a dropped element would shift the index of every one after it.
        var activities = new List<ActivityDefinition>();
        foreach (var (element, path) in List(members, "activities", "$", "activity", problems))
        {
            activities.Add(element is { } activity
                ? ReadActivity(activity, activities.Count, path, problems, repeatedSettings)
                : new ActivityDefinition { Id = "", Type = "" });
        }

        var connections = new List<Connection>();
        foreach (var (element, path) in List(members, "connections", "$", "connection", problems))
        {
            if (element is not { } connection)
            {
                connections.Add(new Connection("", "", ""));
                continue;
            }

            var fields = Members(connection, path, ConnectionMembers, "a connection", problems);
            var source = Text(fields, "source", path, problems, required: true);
            var outcome = Text(fields, "outcome", path, problems, required: true);
            var target = Text(fields, "target", path, problems, required: true);
            connections.Add(new Connection(source ?? "", outcome ?? "", target ?? ""));
        }

        return new WorkflowDefinition
        {
            DefinitionId = definitionId ?? "",
            Version = version,
            Name = name ?? "",
            Description = description,
            State = state ?? DefinitionState.Published,
            Properties = properties,
            Activities = activities,
            Connections = connections,
        };
    }

    private static ActivityDefinition ReadActivity(JsonElement element, int index, string path, List<DefinitionProblem> problems, List<RepeatedSetting> repeatedSettings)
    {
        var fields = Members(element, path, ActivityMembers, "an activity", problems);
        var id = Text(fields, "id", path, problems, required: true);
        var type = Text(fields, "type", path, problems, required: true);
        var displayName = Text(fields, "displayName", path, problems, required: false);
        var properties = PropertyBag(fields, path, problems, out var repeated);
        repeatedSettings.AddRange(repeated.Select(name => new RepeatedSetting(index, name, $"{path}.properties.{name}")));
        DesignerPosition? designer = null;
        if (fields.TryGetValue("designer", out var designerValue) && designerValue.ValueKind != JsonValueKind.Null)
        {
            var designerPath = $"{path}.designer";
            if (designerValue.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new(designerPath, $"Expected an object with x and y here, not {Kind(designerValue)}."));
            }
            else
            {
                var position = Members(designerValue, designerPath, DesignerMembers, "a designer position", problems);
                var x = Number(position, "x", designerPath, problems, required: true);
                var y = Number(position, "y", designerPath, problems, required: true);
                var width = Number(position, "width", designerPath, problems, required: false);
                var height = Number(position, "height", designerPath, problems, required: false);
                designer = x is { } left && y is { } top ? new DesignerPosition(left, top, width, height) : null;
            }
        }

        return new ActivityDefinition { Id = id ?? "", Type = type ?? "", DisplayName = displayName, Properties = properties, Designer = designer };
    }

    /// <summary>
    /// The members of an object by their known names (matched regardless of case, as before); unknown ones are reported,
    /// and so is a known one given more than once. With <paramref name="known"/> null every name is known as written:
    /// the settings of a properties object, whose names the activity's type knows, not the reader.
    /// </summary>
    private static Fields Members(JsonElement element, string path, string[]? known, string what, List<DefinitionProblem> problems)
    {
        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var unknown = new HashSet<string>(StringComparer.Ordinal);
        HashSet<string>? repeated = null;
        foreach (var (memberName, value) in ReadableMembers(element, path, problems))
        {
            var name = known is null ? memberName : known.FirstOrDefault(k => string.Equals(k, memberName, StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                // A typo in a property name must not silently drop a setting. JSON lets a name occur twice in one object;
                // the second occurrence of an unknown name would be the same report at the same path, so it is made once.
                if (unknown.Add(memberName))
                {
                    problems.Add(new($"{path}.{memberName}", $"'{memberName}' is not a property of {what}; known properties: {string.Join(", ", known!)}."));
                }

                continue;
            }

            // A known name given twice ("type": "Start" … "type": "End", "outcomes" twice in the properties) kept the
            // last value without a word, so a document could say two things and be saved meaning one. Neither value is
            // taken: which one is meant is the user's to say. Reported once at its path, however often it repeats.
            if (!members.TryAdd(name, value) && (repeated ??= new(StringComparer.Ordinal)).Add(name))
            {
                problems.Add(new($"{path}.{name}", Repeated(memberName, name, what)));
            }
        }

        foreach (var name in repeated ?? [])
        {
            members.Remove(name);
        }

        return new Fields(members, repeated);
    }

    private static string Repeated(string memberName, string name, string what) => memberName == name
        ? $"'{name}' is given twice in {what}; only one value can count. Keep one '{name}' and remove the other."
        : $"'{memberName}' gives '{name}' a second time in {what} (names are read regardless of case); only one value can count. Keep one '{name}' and remove the other.";

    /// <summary>The known members of an object; a repeated one has no value here, and its problem is reported already.</summary>
    private sealed class Fields(Dictionary<string, JsonElement> values, HashSet<string>? repeated)
    {
        public IReadOnlyDictionary<string, JsonElement> Values => values;

        public bool TryGetValue(string name, out JsonElement value) => values.TryGetValue(name, out value);

        public bool Repeats(string name) => repeated?.Contains(name) == true;

        /// <summary>The names given more than once, as their problems name them.</summary>
        public IReadOnlyCollection<string> Repeated => repeated ?? [];
    }

    /// <summary>
    /// The elements of a list member with their paths; a missing list is empty, anything but an object in it is
    /// reported and comes back as null in its place.
    /// </summary>
    private static List<(JsonElement? Element, string Path)> List(Fields members, string name, string path, string what, List<DefinitionProblem> problems)
    {
        var elements = new List<(JsonElement?, string)>();
        if (!members.TryGetValue(name, out var value))
        {
            return elements;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Add(new($"{path}.{name}", $"Expected a list of {what} objects here, not {Kind(value)}."));
            return elements;
        }

        var i = 0;
        foreach (var element in value.EnumerateArray())
        {
            var elementPath = $"{path}.{name}[{i++}]";
            if (element.ValueKind == JsonValueKind.Object)
            {
                elements.Add((element, elementPath));
            }
            else
            {
                elements.Add((null, elementPath));
                problems.Add(new(elementPath, element.ValueKind == JsonValueKind.Null
                    ? $"Expected {Article(what)} {what} object here, not null."
                    : $"Expected {Article(what)} {what} object here, not {Kind(element)}."));
            }
        }

        return elements;
    }

    /// <summary>The settings of a properties object; <paramref name="repeated"/> names those given twice (and left out).</summary>
    private static Dictionary<string, JsonElement> PropertyBag(Fields members, string path, List<DefinitionProblem> problems, out IReadOnlyCollection<string> repeated)
    {
        repeated = [];
        if (!members.TryGetValue("properties", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return new(StringComparer.Ordinal);
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new($"{path}.properties", $"Expected an object of settings here, not {Kind(value)}."));
            return new(StringComparer.Ordinal);
        }

        // Cloned: the definition outlives the parsed document. A setting given twice ("outcomes" twice) is taken neither
        // way, as a repeated member is; without it, the checks of meaning leave the activity's outcomes alone.
        var settings = Members(value, $"{path}.properties", known: null, "these properties", problems);
        repeated = settings.Repeated;
        return settings.Values.ToDictionary(setting => setting.Key, setting => setting.Value.Clone(), StringComparer.Ordinal);
    }

    private static string? Text(Fields members, string name, string path, List<DefinitionProblem> problems, bool required)
    {
        var at = $"{path}.{name}";
        if (!members.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required && !members.Repeats(name))
            {
                problems.Add(new DefinitionProblem(at, "This value is required; give a non-empty text."));
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add(new(at, $"Expected a text here, not {Kind(value)}."));
            return null;
        }

        if (value.TryGetString() is not { } text)
        {
            problems.Add(new(at, "The text contains a broken escape (an unpaired surrogate such as \\ud800); remove or correct it."));
            return null;
        }

        if (required && string.IsNullOrWhiteSpace(text))
        {
            problems.Add(new DefinitionProblem(at, "This value is required; give a non-empty text."));
        }

        return text;
    }

    private static double? Number(Fields members, string name, string path, List<DefinitionProblem> problems, bool required)
    {
        var at = $"{path}.{name}";
        if (!members.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required && !members.Repeats(name))
            {
                problems.Add(new(at, "This value is required; give a number."));
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            problems.Add(new(at, $"Expected a number here, not {Kind(value)}."));
            return null;
        }

        return number;
    }

    /// <summary>
    /// The members of an object whose names read. Names whose escapes do not form valid UTF-16 are left out and reported
    /// at the object, once however many there are: such a name cannot be shown, so a report per name would repeat the
    /// first at the same path in the same words.
    /// </summary>
    private static List<(string Name, JsonElement Value)> ReadableMembers(JsonElement element, string path, List<DefinitionProblem> problems)
    {
        var members = new List<(string, JsonElement)>();
        var broken = false;
        foreach (var member in element.EnumerateObject())
        {
            try
            {
                members.Add((member.Name, member.Value));
            }
            catch (InvalidOperationException)
            {
                broken = true;
            }
        }

        if (broken)
        {
            problems.Add(new(path, "A property name contains a broken escape (an unpaired surrogate such as \\ud800); remove or correct it."));
        }

        return members;
    }

    /// <summary>What a value is, in the terms of the document, with a short excerpt of texts and numbers.</summary>
    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.TryGetString() is { } text ? $"the text \"{Excerpt(text)}\"" : "a text",
        JsonValueKind.Number => value.GetRawText() is { Length: <= 30 } raw ? $"the number {raw}" : "a number",
        JsonValueKind.True or JsonValueKind.False => $"the value {value.GetRawText()}",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        _ => "null",
    };

    private static string Excerpt(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static string Article(string word) => word[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a";

    private static string Describe(JsonException ex)
    {
        // The reader appends "LineNumber: … | BytePositionInLine: …" (and the serializer "Path: …"); both are given separately.
        var message = ex.Message;
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            message = cut > 0 ? message[..cut] : message;
        }

        var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : "";
        return message + where;
    }
}

/// <summary>What the reader made of a document.</summary>
/// <param name="Partial">
/// Every part of the document that could be read, for the checks of meaning, also when <paramref name="Problems"/> is not
/// empty: a value of the wrong kind is left out (an empty text where a text is required), an element of the activities or
/// connections that is no object is an empty placeholder in its place, so indices stay the document's. Null only when the
/// document is no object at all. Not for running: use <see cref="Definition"/>.
/// </param>
/// <param name="Problems">The values of the wrong kind and the missing ones, each with its JSON path.</param>
public sealed record DefinitionReadResult(WorkflowDefinition? Partial, IReadOnlyList<DefinitionProblem> Problems)
{
    /// <summary>The definition, when the document read without a problem; null otherwise.</summary>
    public WorkflowDefinition? Definition => Problems.Count == 0 ? Partial : null;

    /// <summary>
    /// The settings given twice in an activity's properties, each also among <see cref="Problems"/> at its path: the
    /// reader knows no activity types, so the validator decides whether the type has such a setting at all (and then
    /// tells that instead).
    /// </summary>
    public IReadOnlyList<RepeatedSetting> RepeatedSettings { get; init; } = [];

    public static DefinitionReadResult Failed(DefinitionProblem problem) => new(null, [problem]);
}

/// <summary>A setting <paramref name="Name"/> given twice in the properties of activity <paramref name="Activity"/> (its index), reported at <paramref name="Path"/>.</summary>
public sealed record RepeatedSetting(int Activity, string Name, string Path);
