using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;

namespace DeliberationFlow.Tests.Engine;

/// <summary>
/// Whatever an author writes into <c>workflows/*.json</c>, loading it must end in a clear report rather than
/// a crash: reading and validating never throw, and every rejection names a JSON path and says what is wrong.
/// The definitions are mutated at random from the shipped workflows and from random small graphs, both as
/// JSON trees (structural edits) and as raw text (deleted characters, swapped tokens). CsCheck prints the
/// seed of a failing case in its exception's message ("Set seed: … or -e CsCheck_Seed=…", above the assertion's own
/// message); the environment variable CsCheck_Seed replays it, as no test here passes a seed of its own. The assertions
/// name the document they failed for, so even a report without the seed shows the case.
/// </summary>
public sealed class WorkflowDefinitionMutationTests
{
    private const int Iterations = 3_000;

    private static readonly ActivityRegistry Activities = CouncilActivities.Registry();
    private static readonly WorkflowDefinitionValidator Validator = new(Activities);

    private static readonly string[] Shipped = Directory
        .EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "workflows"), "*.json")
        .Order(StringComparer.Ordinal)
        .Select(File.ReadAllText)
        .ToArray();

    private static readonly string[] Types = ["Start", "End", "Consultation", "consultation", "Voting", "", " "];
    private static readonly string[] Outcomes = ["Done", "Adopted", "AdoptedAmended", "Rejected", "Noted", "Referred", "Withdrawn", "Deferred", "adopted", ""];
    private static readonly string[] Names =
        ["id", "type", "properties", "committee", "role", "authoritative", "source", "target", "outcome", "designer", "x",
         "displayName", "version", "definitionId", "name", "state", "activities", "connections", "$schema", "$id", "$ref", "$type", "$values", "", "tpye"];

    /// <summary>Values of every JSON kind, including ones no property expects.</summary>
    private static readonly string[] Values =
        ["null", "true", "false", "0", "-1", "1.5", "1e400", "99999999999999999999", "\"\"", "\"   \"", "\"fpa\"", "\"Entscheidung\"",
         "\"published\"", "\"draft\"", "\"Retracted\"", "\"start\"", "\"end\"", "[]", "[null]", "[1,\"a\"]", "{}", "{\"x\":1}", "{\"x\":1,\"y\":2}",
         "{\"x\":\"a\",\"y\":2}", "{\"$ref\":\"#\"}", "\"\\u0000\"", "\"Ä👍\""];

    private static readonly string[] Tokens = ["{", "}", "[", "]", ",", ":", "\"", "null", "0", "-", "/*", "//", "\\", "\n", "\"$ref\":", "\"\\u", "\\ud800", "\ud800", "👍"];

    [Fact]
    public void MutatedDefinitions_AreAlwaysEitherValidOrReportedWithPathAndMessage()
    {
        var edits = Gen.Select(Gen.Int[0, 19], Gen.Int[0, 1_000], Gen.Int[0, 1_000], Gen.Int[0, 1_000]).Array[1, 6];
        var cases = Gen.Select(Base(), edits);

        cases.Sample((document, plan) =>
        {
            var node = JsonNode.Parse(document)!;
            foreach (var edit in plan)
            {
                node = Mutate(node, edit);
            }

            AssertReportsOrAccepts(node?.ToJsonString() ?? "null");
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void MutatedJsonText_IsAlwaysEitherValidOrReportedWithPathAndMessage()
    {
        var edits = Gen.Select(Gen.Int[0, 5], Gen.Int[0, 100_000], Gen.Int[0, 100_000], Gen.Int[0, 1_000]).Array[1, 4];
        var cases = Gen.Select(Base(), edits, Gen.Bool);

        cases.Sample((document, plan, indented) =>
        {
            var text = indented ? document : JsonNode.Parse(document)!.ToJsonString();
            foreach (var edit in plan)
            {
                text = MutateText(text, edit);
            }

            AssertReportsOrAccepts(text);
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void UnmutatedBases_AreValid_SoTheMutationsStartFromSoundDefinitions()
    {
        Base().Sample(document => Assert.Empty(ReadAndValidate(document)), iter: 200, threads: 1);
    }

    /// <summary>
    /// The shipped schema and the reader say the same about the shape: whatever the reader and the validator accept, the
    /// schema accepts once the reader's leniencies (a member name in another case, null for an absent value, the state
    /// in any case) are written the strict way; and where the reader finds a value of the wrong kind, so does the schema.
    /// The reader is stricter about numbers (a version beyond a 32-bit number, a coordinate beyond a double), and the
    /// validator about meaning; neither shows here.
    /// </summary>
    [Fact]
    public void MutatedDefinitions_TheSchemaAndTheReaderAgreeOnTheShape()
    {
        var edits = Gen.Select(Gen.Int[0, 19], Gen.Int[0, 1_000], Gen.Int[0, 1_000], Gen.Int[0, 1_000]).Array[0, 3];
        Gen.Select(Base(), edits).Sample((document, plan) =>
        {
            var node = JsonNode.Parse(document)!;
            foreach (var edit in plan)
            {
                node = Mutate(node, edit);
            }

            var json = node?.ToJsonString() ?? "null";
            var read = WorkflowDefinitionReader.Read(json);
            if (SchemaErrors(Strict(JsonNode.Parse(json))) is not { } schema)
            {
                return;
            }

            if (Validator.Validate(read, DefinitionValidationContext.Empty).Count == 0)
            {
                Assert.True(schema.Count == 0, $"The reader accepts, the schema does not: {string.Join("; ", schema)} for: {json}");
            }

            foreach (var problem in read.Problems.Where(p => p.Message.StartsWith("Expected", StringComparison.Ordinal) && !IsAboutANumbersSize(p.Message)))
            {
                Assert.True(schema.ContainsKey(Pointer(problem.Path)), $"The reader reports {problem}, the schema nothing there ({string.Join("; ", schema)}) for: {json}");
            }
        }, iter: Iterations, threads: 1);
    }

    private static readonly Json.Schema.JsonSchema DefinitionSchema =
        Json.Schema.JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "workflows", "schema", "workflow-definition.schema.json")));

    /// <summary>The schema's errors by instance location (a JSON pointer, "" for the document); null when it cannot judge the document.</summary>
    private static Dictionary<string, string>? SchemaErrors(JsonNode? document)
    {
        Json.Schema.EvaluationResults result;
        try
        {
            result = DefinitionSchema.Evaluate(document, new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });
        }
        catch (FormatException)
        {
            // JsonSchema.Net reads every number as a decimal and throws on one beyond it (1e400); the reader reports those itself.
            return null;
        }

        return result.IsValid
            ? []
            : result.Details.Where(d => d.HasErrors).GroupBy(d => d.InstanceLocation.ToString())
                .ToDictionary(g => g.Key, g => string.Join(", ", g.SelectMany(d => d.Errors!.Select(e => $"{e.Key}: {e.Value}"))));
    }

    private static string Pointer(string path) =>
        System.Text.RegularExpressions.Regex.Replace(path[1..], @"\.([^.\[]+)|\[(\d+)\]", m => "/" + (m.Groups[2].Success ? m.Groups[2].Value : m.Groups[1].Value));

    private static bool IsAboutANumbersSize(string message) =>
        message.StartsWith("Expected a number", StringComparison.Ordinal) || message.StartsWith("Expected a whole number", StringComparison.Ordinal)
            ? message.Contains("not the number", StringComparison.Ordinal) || message.Contains("not a number", StringComparison.Ordinal)
            : false;

    private static readonly string[] KnownMembers =
        ["$schema", "definitionId", "version", "name", "description", "state", "properties", "activities", "connections",
         "id", "type", "displayName", "designer", "x", "y", "width", "height", "source", "outcome", "target"];

    /// <summary>The document as the schema wants it: known member names in their case, no null for an absent value, the state in lower case.</summary>
    private static JsonNode? Strict(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var strict = new JsonObject();
                foreach (var (name, value) in obj.ToList())
                {
                    var known = KnownMembers.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? name;
                    // The reader takes null as absent except for the lists, where it expects a list.
                    if (value is null && known is not ("activities" or "connections"))
                    {
                        continue;
                    }

                    var copy = value?.DeepClone();
                    strict[known] = known == "state" && copy is JsonValue state && state.TryGetValue<string>(out var text) ? JsonValue.Create(text.ToLowerInvariant())
                        : known == "properties" ? copy
                        : Strict(copy);
                }

                return strict;
            case JsonArray array:
                return new JsonArray([.. array.Select(e => Strict(e?.DeepClone()))]);
            default:
                return node?.DeepClone();
        }
    }

    [Theory]
    [InlineData("activities", "$.activities[1]")]
    [InlineData("connections", "$.connections[0]")]
    public void Read_NullInsteadOfAnActivityOrConnection_IsReportedWithItsPath(string member, string path)
    {
        var document = JsonNode.Parse(Shipped[0])!.AsObject();
        document[member]!.AsArray()[member == "activities" ? 1 : 0] = null;

        var result = WorkflowDefinitionReader.Read(document.ToJsonString());

        Assert.Null(result.Definition);
        Assert.Contains(result.Problems, p => p.Path == path);
    }

    [Theory]
    [InlineData("\"committee\": \"fpa\\ud800\"", "$.activities[0].properties.committee")]
    [InlineData("\"committee\": \"fpa\", \"role\": \"\\udc00\"", "$.activities[0].properties.role")]
    public void Validate_TextWithABrokenSurrogateEscape_IsReportedWithItsPath(string properties, string path)
    {
        var read = WorkflowDefinitionReader.Read($$"""
            { "definitionId": "x", "version": 1, "name": "X",
              "activities": [ { "id": "c", "type": "Consultation", "properties": { {{properties}} } } ], "connections": [] }
            """);

        var problems = Validator.Validate(read, DefinitionValidationContext.Empty);

        Assert.Contains(problems, p => p.Path == path);
    }

    [Fact]
    public void Read_TextWithAnUnpairedSurrogateCharacter_IsReportedAtTheRoot()
    {
        var result = WorkflowDefinitionReader.Read("{ \"definitionId\": \"x\ud800\" }");

        Assert.Null(result.Definition);
        Assert.Equal("$", Assert.Single(result.Problems).Path);
    }

    /// <summary>Either a shipped workflow or a random valid graph: a chain of consultations with random branches.</summary>
    private static readonly string[] RoutedOutcomes = ["Adopted", "AdoptedAmended", "Rejected", "Noted"];

    private static Gen<string> Base() =>
        Gen.Frequency(
            (1, Gen.Int[0, Shipped.Length - 1].Select(i => Shipped[i])),
            (2, Gen.Select(Gen.Int[0, 5], Gen.Int[0, 1_000].Array[12]).Select(RandomGraph)));

    private static string RandomGraph(int consultations, int[] dice)
    {
        var activities = new JsonArray { new JsonObject { ["id"] = "start", ["type"] = "Start" } };
        var connections = new JsonArray();
        var previous = "start";
        var previousOutcome = "Done";
        for (var i = 0; i < consultations; i++)
        {
            var id = $"c{i}";
            var properties = new JsonObject { ["committee"] = $"k{dice[i] % 4}", ["role"] = dice[i] % 2 == 0 ? "Vorberatung" : "Entscheidung" };
            if (dice[i] % 3 == 0)
            {
                properties["authoritative"] = dice[i] % 5 == 0;
            }

            // Each consultation declares the outcomes it can have; every one of them gets a connection.
            var outcome = RoutedOutcomes[dice[i] % RoutedOutcomes.Length];
            var withdrawal = dice[i + 6 < dice.Length ? i + 6 : 0] % 2 == 0;
            properties["outcomes"] = withdrawal ? new JsonArray(outcome, "Withdrawn") : new JsonArray(outcome);
            activities.Add(new JsonObject { ["id"] = id, ["type"] = "Consultation", ["properties"] = properties });
            connections.Add(Connect(previous, previousOutcome, id));
            if (withdrawal)
            {
                connections.Add(Connect(id, "Withdrawn", "end")); // a branch straight to the end
            }

            previous = id;
            previousOutcome = outcome;
        }

        activities.Add(new JsonObject { ["id"] = "end", ["type"] = "End" });
        connections.Add(Connect(previous, previousOutcome, "end"));
        return new JsonObject
        {
            ["definitionId"] = $"random-{consultations}",
            ["version"] = 1 + (dice[11] % 3),
            ["name"] = "Zufall",
            ["activities"] = activities,
            ["connections"] = connections,
        }.ToJsonString();
    }

    private static JsonObject Connect(string source, string outcome, string target) =>
        new() { ["source"] = source, ["outcome"] = outcome, ["target"] = target };

    /// <summary>One structural edit, chosen and placed by the four numbers of <paramref name="edit"/>.</summary>
    private static JsonNode? Mutate(JsonNode? root, (int Kind, int A, int B, int C) edit)
    {
        if (root is not JsonObject document)
        {
            return edit.Kind % 2 == 0 ? root : JsonNode.Parse(Values[edit.A % Values.Length]);
        }

        var activities = document["activities"] as JsonArray;
        var connections = document["connections"] as JsonArray;
        var activity = Pick(activities, edit.A) as JsonObject;
        var connection = Pick(connections, edit.A) as JsonObject;
        var ids = activities?.OfType<JsonObject>().Select(a => a["id"]?.ToJsonString() is { } id ? JsonNode.Parse(id) : null).ToList() ?? [];
        JsonNode? AnyId(int n) => ids.Count == 0 ? JsonValue.Create("ghost") : ids[n % ids.Count]?.DeepClone() ?? JsonValue.Create("ghost");
        JsonNode? AnyValue(int n) => JsonNode.Parse(Values[n % Values.Length]);

        switch (edit.Kind)
        {
            case 0 when activities is { Count: > 0 }: // drop an activity
                activities.RemoveAt(edit.A % activities.Count);
                break;
            case 1 when activity is not null: // duplicate an activity (same id)
                activities!.Insert(edit.B % (activities.Count + 1), activity.DeepClone());
                break;
            case 2 when activity is not null: // rename an activity (connections keep the old id)
                activity["id"] = edit.B % 3 == 0 ? AnyId(edit.C) : JsonValue.Create($"renamed{edit.C % 7}");
                break;
            case 3 when activity is not null: // change its type
                activity["type"] = JsonValue.Create(Types[edit.B % Types.Length]);
                break;
            case 4 when activity is not null: // remove or corrupt a property with a value of the wrong kind
            {
                var properties = activity["properties"] as JsonObject ?? [];
                activity["properties"] = properties;
                var name = Names[3 + (edit.B % 3)];
                if (edit.C % 4 == 0)
                {
                    properties.Remove(name);
                }
                else
                {
                    properties[name] = AnyValue(edit.C);
                }

                break;
            }
            case 5 when activity is not null: // a property that no activity type knows, or properties of the wrong kind
                if (edit.B % 2 == 0)
                {
                    activity["properties"] = AnyValue(edit.C);
                }
                else
                {
                    (activity["properties"] as JsonObject ?? (JsonObject)(activity["properties"] = new JsonObject()))[Names[edit.C % Names.Length]] = AnyValue(edit.B);
                }

                break;
            case 6 when connections is not null: // add a connection between any two activities (cycles included)
                connections.Add(new JsonObject
                {
                    ["source"] = AnyId(edit.A), ["outcome"] = Outcomes[edit.B % Outcomes.Length], ["target"] = AnyId(edit.C),
                });
                break;
            case 7 when connections is { Count: > 0 }: // remove a connection
                connections.RemoveAt(edit.A % connections.Count);
                break;
            case 8 when connection is not null: // retarget a connection, possibly back to its source or to the start
                connection[edit.B % 2 == 0 ? "target" : "source"] = edit.C % 5 == 0 ? JsonValue.Create("nowhere") : AnyId(edit.C);
                break;
            case 9 when connection is not null: // rename an outcome
                connection["outcome"] = JsonValue.Create(Outcomes[edit.B % Outcomes.Length]);
                break;
            case 10 when connection is not null: // duplicate a connection
                connections!.Add(connection.DeepClone());
                break;
            case 11: // corrupt a top-level member with a value of any kind
                document[Names[13 + (edit.A % 6)]] = AnyValue(edit.B);
                break;
            case 12: // remove a top-level member
                document.Remove(Names[13 + (edit.A % 6)]);
                break;
            case 13 when activity is not null: // corrupt or remove a member of an activity
                if (edit.C % 3 == 0)
                {
                    activity.Remove(Names[edit.B % 3 == 0 ? 9 : edit.B % 2]);
                }
                else
                {
                    activity[Names[edit.B % 3 == 0 ? 9 : edit.B % 2]] = AnyValue(edit.C);
                }

                break;
            case 14 when connection is not null: // corrupt or remove a member of a connection
                if (edit.C % 3 == 0)
                {
                    connection.Remove(Names[6 + (edit.B % 3)]);
                }
                else
                {
                    connection[Names[6 + (edit.B % 3)]] = AnyValue(edit.C);
                }

                break;
            case 15 when activities is not null: // replace an array element by a value of another kind (null, number, array)
                if (activities.Count > 0)
                {
                    activities[edit.A % activities.Count] = AnyValue(edit.B);
                }

                break;
            case 16 when connections is { Count: > 0 }:
                connections[edit.A % connections.Count] = AnyValue(edit.B);
                break;
            case 17 when activity is not null: // an unknown member (a typo) somewhere
                activity[Names[edit.B % Names.Length] + (edit.C % 2 == 0 ? "" : "x")] = AnyValue(edit.C);
                break;
            case 18: // a second start or end
                activities?.Add(new JsonObject { ["id"] = $"extra{edit.A % 3}", ["type"] = edit.B % 2 == 0 ? "Start" : "End" });
                break;
            case 19: // the whole document becomes another kind of value
                return edit.A % 10 == 0 ? AnyValue(edit.B) : document;
        }

        return document;
    }

    private static JsonNode? Pick(JsonArray? array, int n) => array is { Count: > 0 } ? array[n % array.Count] : null;

    /// <summary>One edit of the raw text: delete, duplicate, swap or insert characters and tokens.</summary>
    private static string MutateText(string text, (int Kind, int A, int B, int C) edit)
    {
        if (text.Length == 0)
        {
            return Tokens[edit.C % Tokens.Length];
        }

        var at = edit.A % text.Length;
        var length = 1 + (edit.B % Math.Min(12, text.Length - at));
        switch (edit.Kind)
        {
            case 0: // delete a character
                return text.Remove(at, 1);
            case 1: // delete a run of characters
                return text.Remove(at, length);
            case 2: // duplicate a run
                return text.Insert(at, text.Substring(at, length));
            case 3: // insert a token
                return text.Insert(at, Tokens[edit.C % Tokens.Length]);
            case 4: // swap two tokens
            {
                var tokens = Tokenise(text);
                if (tokens.Count < 2)
                {
                    return text;
                }

                var i = edit.A % tokens.Count;
                var j = edit.B % tokens.Count;
                (tokens[i], tokens[j]) = (tokens[j], tokens[i]);
                return string.Concat(tokens);
            }
            default: // truncate
                return text[..at];
        }
    }

    /// <summary>Splits JSON text into strings, punctuation and runs of other characters.</summary>
    private static List<string> Tokenise(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                Flush();
                var end = i + 1;
                while (end < text.Length && text[end] != '"')
                {
                    end += text[end] == '\\' ? 2 : 1;
                }

                end = Math.Min(end, text.Length - 1);
                tokens.Add(text[i..(end + 1)]);
                i = end;
            }
            else if ("{}[],:".Contains(c, StringComparison.Ordinal) || char.IsWhiteSpace(c))
            {
                Flush();
                tokens.Add(c.ToString());
            }
            else
            {
                current.Append(c);
            }
        }

        Flush();
        return tokens;

        void Flush()
        {
            if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }
    }

    private static IReadOnlyList<DefinitionProblem> ReadAndValidate(string json)
    {
        var read = WorkflowDefinitionReader.Read(json);
        var problems = Validator.Validate(read, DefinitionValidationContext.Empty);
        // The reader's findings are all in the answer, and a valid answer is the read definition. A setting given twice
        // that the activity's type does not have is told as unknown instead, at its path.
        var dropped = read.Problems.Except(problems)
            .Where(p => !problems.Any(q => q.Path == p.Path && q.Message.Contains("' has no property '", StringComparison.Ordinal))).ToList();
        Assert.True(dropped.Count == 0, $"The reader's findings are missing from the answer: {string.Join("; ", dropped)}{Environment.NewLine}for: {json}");
        Assert.True(problems.Count > 0 || read.Definition is not null, $"Nothing reported, but no definition, for: {json}");
        // Each problem once: the same path and words twice would be noise to the author, and point at a check that ran twice.
        var repeated = problems.GroupBy(p => p).Where(g => g.Count() > 1).Select(g => g.Key.ToString()).ToList();
        Assert.True(repeated.Count == 0, $"Reported more than once: {string.Join("; ", repeated)}{Environment.NewLine}for: {json}");
        return problems;
    }

    private static void AssertReportsOrAccepts(string json)
    {
        IReadOnlyList<DefinitionProblem> problems;
        try
        {
            problems = ReadAndValidate(json);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"Reading or validating threw {ex.GetType().Name}: {ex.Message}{Environment.NewLine}for: {json}", ex);
        }

        var document = TryParse(json);
        foreach (var problem in problems)
        {
            Assert.True(problem.Path.StartsWith('$'), $"Path '{problem.Path}' does not start with '$' (message: {problem.Message}) for: {json}");
            Assert.False(string.IsNullOrWhiteSpace(problem.Message), $"Empty message at '{problem.Path}' for: {json}");
            Assert.True(document is null || SafeIndicesExist(document, problem.Path), $"Path '{problem.Path}' names an element the document does not have (message: {problem.Message}) for: {json}");
        }
    }

    private static JsonNode? TryParse(string json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static bool SafeIndicesExist(JsonNode document, string path)
    {
        try
        {
            return IndicesExist(document, path);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // A member named twice, or a name with a broken escape: JsonObject refuses them when first looked into,
            // while the reader reports them; there is nothing to compare the path with.
            return true;
        }
    }

    /// <summary>
    /// True when every index in the path is one of the document's: the partial model keeps unreadable elements in their
    /// place, so a problem of the third activity must not land on the second. Member names are matched regardless of
    /// case, as the reader does; the check stops at a name it does not find (a missing or odd one).
    /// </summary>
    private static bool IndicesExist(JsonNode document, string path)
    {
        JsonNode? node = document;
        foreach (System.Text.RegularExpressions.Match segment in System.Text.RegularExpressions.Regex.Matches(path[1..], @"\.([A-Za-z$]+)|\[(\d+)\]"))
        {
            if (segment.Groups[2].Success)
            {
                if (node is not JsonArray array || !int.TryParse(segment.Groups[2].Value, out var index) || index >= array.Count)
                {
                    return false;
                }

                node = array[index];
            }
            else if (node is JsonObject obj && obj.FirstOrDefault(m => string.Equals(m.Key, segment.Groups[1].Value, StringComparison.OrdinalIgnoreCase)) is { Key: not null } member)
            {
                node = member.Value;
            }
            else
            {
                return true;
            }
        }

        return true;
    }
}
