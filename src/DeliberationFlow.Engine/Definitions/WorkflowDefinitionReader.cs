using System.Text.Json;
using System.Text.Json.Serialization;

namespace DeliberationFlow.Engine.Definitions;

/// <summary>Reads a definition document (the JSON in <c>workflows/</c>) and reports what is wrong, with JSON paths.</summary>
public static class WorkflowDefinitionReader
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // A typo in a property name must not silently drop a setting.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    public static DefinitionReadResult Read(string json)
    {
        DefinitionDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<DefinitionDocument>(json, Options);
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

        if (document is null)
        {
            return DefinitionReadResult.Failed(new DefinitionProblem("$", "The document is empty; expected a workflow definition object."));
        }

        var problems = new List<DefinitionProblem>();
        Require(problems, "$.definitionId", document.DefinitionId);
        Require(problems, "$.name", document.Name);
        if (document.Version < 1)
        {
            problems.Add(new DefinitionProblem("$.version", "Set a version number of 1 or more."));
        }

        for (var i = 0; i < document.Activities.Count; i++)
        {
            if (document.Activities[i] is not { } activity)
            {
                problems.Add(new DefinitionProblem($"$.activities[{i}]", "Expected an activity object here, not null."));
                continue;
            }

            Require(problems, $"$.activities[{i}].id", activity.Id);
            Require(problems, $"$.activities[{i}].type", activity.Type);
        }

        for (var i = 0; i < document.Connections.Count; i++)
        {
            if (document.Connections[i] is not { } connection)
            {
                problems.Add(new DefinitionProblem($"$.connections[{i}]", "Expected a connection object here, not null."));
                continue;
            }

            Require(problems, $"$.connections[{i}].source", connection.Source);
            Require(problems, $"$.connections[{i}].outcome", connection.Outcome);
            Require(problems, $"$.connections[{i}].target", connection.Target);
        }

        if (problems.Count > 0)
        {
            return new DefinitionReadResult(null, problems);
        }

        var definition = new WorkflowDefinition
        {
            DefinitionId = document.DefinitionId!,
            Version = document.Version,
            Name = document.Name!,
            Description = document.Description,
            State = document.State ?? DefinitionState.Published,
            Properties = document.Properties ?? new Dictionary<string, JsonElement>(),
            Activities = document.Activities.Select(a => a!).Select(a => new ActivityDefinition
            {
                Id = a.Id!,
                Type = a.Type!,
                DisplayName = a.DisplayName,
                Properties = a.Properties ?? new Dictionary<string, JsonElement>(),
                Designer = a.Designer,
            }).ToList(),
            Connections = document.Connections.Select(c => new Connection(c!.Source!, c.Outcome!, c.Target!)).ToList(),
        };
        return new DefinitionReadResult(definition, []);
    }

    private static void Require(List<DefinitionProblem> problems, string path, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(new DefinitionProblem(path, "This value is required; give a non-empty text."));
        }
    }

    private static string Describe(JsonException ex)
    {
        // System.Text.Json appends "Path: … | LineNumber …" to its messages; the path is reported separately.
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        message = cut > 0 ? message[..cut] : message;
        var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : "";
        return message + where;
    }

    private sealed class DefinitionDocument
    {
        [JsonPropertyName("$schema")]
        public string? Schema { get; set; }

        public string? DefinitionId { get; set; }
        public int Version { get; set; }
        public string? Name { get; set; }
        public string? Description { get; set; }
        public DefinitionState? State { get; set; }
        public Dictionary<string, JsonElement>? Properties { get; set; }
        // Elements may be null in the document ("activities": [null]); they are reported, not dereferenced.
        public List<ActivityDocument?> Activities { get; set; } = [];
        public List<ConnectionDocument?> Connections { get; set; } = [];
    }

    private sealed class ActivityDocument
    {
        public string? Id { get; set; }
        public string? Type { get; set; }
        public string? DisplayName { get; set; }
        public Dictionary<string, JsonElement>? Properties { get; set; }
        public DesignerPosition? Designer { get; set; }
    }

    private sealed class ConnectionDocument
    {
        public string? Source { get; set; }
        public string? Outcome { get; set; }
        public string? Target { get; set; }
    }
}

public sealed record DefinitionReadResult(WorkflowDefinition? Definition, IReadOnlyList<DefinitionProblem> Problems)
{
    public static DefinitionReadResult Failed(DefinitionProblem problem) => new(null, [problem]);
}
