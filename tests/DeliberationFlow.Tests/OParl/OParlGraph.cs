using System.Text.Json.Nodes;
using Json.Schema;

namespace DeliberationFlow.Tests.OParl;

/// <summary>The OParl 1.1 schemas of the standard and the Karlsruhe example data, kept in the repository (tests/fixtures/oparl).</summary>
public static class OParlFiles
{
    public static string Fixtures { get; } = FindFixtures();

    public static string Schemas => Path.Combine(Fixtures, "schema");

    public static string Karlsruhe => Path.Combine(Fixtures, "karlsruhe");

    /// <summary>Where tests prepare OParl folders of their own; the test host's API may import from it.</summary>
    public static string ScratchRoot { get; } = Path.Combine(Path.GetTempPath(), "deliberationflow-oparl-import");

    public static string NewScratchFolder() => Directory.CreateDirectory(Path.Combine(ScratchRoot, Guid.NewGuid().ToString("N"))).FullName;

    private static string FindFixtures()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "DeliberationFlow.sln")))
        {
            root = root.Parent;
        }

        var fixtures = root is null ? null : Path.Combine(root.FullName, "tests", "fixtures", "oparl");
        return fixtures is not null && Directory.Exists(Path.Combine(fixtures, "schema"))
            ? fixtures
            : throw new InvalidOperationException("The OParl schemas and examples are expected in tests/fixtures/oparl of the repository.");
    }
}

/// <summary>Validates OParl objects, and the objects they embed, against the schema of their type.</summary>
public sealed class OParlSchemas
{
    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
    private readonly Dictionary<string, JsonSchema> _schemas = [];

    static OParlSchemas()
    {
        // The schemas use the format "url" of their own; an OParl URL is an absolute http(s) URL.
        Formats.Register(new PredicateFormat("url", node =>
            node is JsonValue value && value.TryGetValue<string>(out var text) && Uri.TryCreate(text, UriKind.Absolute, out var url)
            && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)));
    }

    public OParlSchemas()
    {
        foreach (var file in Directory.EnumerateFiles(OParlFiles.Schemas, "*.json"))
        {
            _schemas[Path.GetFileNameWithoutExtension(file)] = JsonSchema.FromText(File.ReadAllText(file));
        }
    }

    /// <summary>Every problem of the object and of each object embedded in it, with the path where it sits; empty when valid.</summary>
    public IEnumerable<string> Problems(JsonObject obj, string where)
    {
        var type = (string?)obj["type"] ?? "";
        if (!type.StartsWith("https://schema.oparl.org/1.1/", StringComparison.Ordinal))
        {
            yield return $"{where}: type '{type}' is not an OParl 1.1 type";
            yield break;
        }

        var name = type["https://schema.oparl.org/1.1/".Length..];
        if (!_schemas.TryGetValue(name, out var schema))
        {
            yield return $"{where}: no schema for {name}";
            yield break;
        }

        var result = schema.Evaluate(obj, Options);
        if (!result.IsValid)
        {
            foreach (var detail in result.Details.Where(d => d.HasErrors))
            {
                yield return $"{where} ({name}) at {detail.InstanceLocation}: {string.Join("; ", detail.Errors!.Select(e => $"{e.Key}: {e.Value}"))}";
            }
        }

        if (obj["deleted"] is null && (obj["created"] is null || obj["modified"] is null))
        {
            yield return $"{where} ({name}): created and modified are required on every object, embedded ones too";
        }

        foreach (var (field, value) in obj)
        {
            var embedded = value switch
            {
                JsonObject single when single["type"] is not null => [single],
                JsonArray array => array.OfType<JsonObject>().Where(o => o["type"] is not null).ToList(),
                _ => [],
            };
            foreach (var child in embedded)
            {
                foreach (var problem in Problems(child, $"{where}.{field}"))
                {
                    yield return problem;
                }
            }
        }
    }
}

/// <summary>Every page and object an anonymous client reaches from /oparl/system by following URLs.</summary>
public sealed record OParlWalk(Dictionary<string, JsonObject> Responses, Dictionary<string, JsonObject> Objects, List<string> Texts)
{
    public static async Task<OParlWalk> FromAsync(HttpClient client, string systemUrl, int maxRequests = 3000)
    {
        var prefix = systemUrl[..systemUrl.LastIndexOf('/')];
        var walk = new OParlWalk([], new Dictionary<string, JsonObject>(StringComparer.Ordinal), []);
        var queue = new Queue<string>([systemUrl]);
        while (queue.TryDequeue(out var url))
        {
            if (walk.Responses.ContainsKey(url))
            {
                continue;
            }

            Assert.True(walk.Responses.Count < maxRequests, $"More than {maxRequests} URLs reached from {systemUrl}.");
            var response = await client.GetAsync(url);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{url} answered {(int)response.StatusCode}: {text}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var json = JsonNode.Parse(text)!.AsObject();
            walk.Responses[url] = json;
            walk.Texts.Add(text);
            foreach (var found in Urls(json).Where(u => u.StartsWith(prefix, StringComparison.Ordinal)))
            {
                queue.Enqueue(found);
            }

            foreach (var obj in json["data"] is JsonArray data ? data.OfType<JsonObject>() : [json])
            {
                walk.Objects[(string)obj["id"]!] = obj;
            }
        }

        return walk;
    }

    private static IEnumerable<string> Urls(JsonNode? node) => node switch
    {
        // A File's accessUrl and downloadUrl serve the document itself, no OParl JSON.
        JsonObject obj => obj.Where(p => p.Key is not "type" and not "accessUrl" and not "downloadUrl").SelectMany(p => Urls(p.Value)),
        JsonArray array => array.SelectMany(Urls),
        JsonValue value when value.TryGetValue<string>(out var text) && text.StartsWith("http", StringComparison.Ordinal) => [text],
        _ => [],
    };
}
