using System.Text.Json;
using System.Text.Json.Nodes;
using DeliberationFlow.Council.Common;

namespace DeliberationFlow.Council.OParl;

/// <summary>Every OParl object found in a source, keyed by its id, with what could not be read.</summary>
public sealed class OParlSource
{
    public Dictionary<string, JsonObject> Objects { get; } = new(StringComparer.Ordinal);
    public List<string> Problems { get; } = [];

    public IEnumerable<JsonObject> OfType(string type) =>
        Objects.Values.Where(o => (string?)o["type"] == OParlJson.TypeUrl(type));

    /// <summary>Adds an object and, with a back-reference to it, the objects it embeds (OParl 1.1, 3.0: an embedded copy omits the reference to its parent).</summary>
    public void Add(JsonObject obj)
    {
        if (obj["id"] is not JsonValue idValue || !idValue.TryGetValue<string>(out var id) || obj["type"] is not JsonValue)
        {
            Problems.Add($"An object without id or type was skipped: {Shorten(obj.ToJsonString())}");
            return;
        }

        // A later copy of the same object (e.g. the stand-alone one after the embedded one) wins only where it is newer.
        if (Objects.TryGetValue(id, out var known) && string.CompareOrdinal((string?)known["modified"], (string?)obj["modified"]) > 0)
        {
            return;
        }

        Objects[id] = obj;
        foreach (var (field, back) in new[] { ("consultation", "paper"), ("agendaItem", "meeting"), ("membership", "person"), ("legislativeTerm", "body") })
        {
            if (obj[field] is JsonArray embedded)
            {
                foreach (var child in embedded.OfType<JsonObject>())
                {
                    var copy = (JsonObject)child.DeepClone();
                    copy[back] ??= id;
                    Add(copy);
                }
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";
}

/// <summary>
/// Reads OParl objects from a folder of JSON files (single objects, list pages or arrays of objects) or from a
/// server, starting at its System, a Body, a list or a single object and following the lists' <c>next</c> links.
/// </summary>
public sealed class OParlSourceReader(HttpClient http)
{
    /// <summary>Guards against a server whose <c>next</c> links never end.</summary>
    public const int MaxPages = 20_000;

    /// <summary>Redirects followed for one request, as browsers and HttpClient limit them.</summary>
    public const int MaxRedirects = 5;

    private static readonly string[] BodyLists = ["organization", "person", "meeting", "paper"];

    public async Task<OParlSource> ReadAsync(string source, CancellationToken cancellationToken)
    {
        if (Uri.TryCreate(source, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return await ReadUrlAsync(url, cancellationToken);
        }

        if (Directory.Exists(source))
        {
            return await ReadFolderAsync(source, cancellationToken);
        }

        throw RequestValidationException.For("source", $"'{source}' is neither an http(s) URL nor a folder on the server.");
    }

    public static async Task<OParlSource> ReadFolderAsync(string folder, CancellationToken cancellationToken)
    {
        var source = new OParlSource();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            JsonNode? node;
            try
            {
                await using var stream = File.OpenRead(file);
                node = await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken);
            }
            catch (JsonException ex)
            {
                source.Problems.Add($"{Path.GetRelativePath(folder, file)} is not valid JSON: {ex.Message}");
                continue;
            }

            switch (node)
            {
                case JsonObject { } page when page["data"] is JsonArray data:
                    data.OfType<JsonObject>().ToList().ForEach(source.Add);
                    break;
                case JsonObject single:
                    source.Add(single);
                    break;
                case JsonArray array:
                    array.OfType<JsonObject>().ToList().ForEach(source.Add);
                    break;
                default:
                    source.Problems.Add($"{Path.GetRelativePath(folder, file)} holds no OParl object.");
                    break;
            }
        }

        return source;
    }

    public async Task<OParlSource> ReadUrlAsync(Uri start, CancellationToken cancellationToken)
    {
        var source = new OParlSource();
        var pages = 0;
        JsonObject first;
        try
        {
            first = await GetAsync(start, cancellationToken);
        }
        catch (ImportAddressRefusedException ex)
        {
            // The admin's own URL: answered as a mistake in the request, before anything is imported.
            throw RequestValidationException.For("source", $"{start}: {ex.Message}");
        }

        var bodies = new List<JsonObject>();
        if (first["data"] is JsonArray)
        {
            await ReadListAsync(start, first, source, () => ++pages, cancellationToken);
            return source;
        }

        var type = (string?)first["type"];
        if (type == OParlJson.TypeUrl("System"))
        {
            var probe = new OParlSource();
            await ReadListAsync(Link(first, "body", source), null, probe, () => ++pages, cancellationToken);
            source.Problems.AddRange(probe.Problems);
            bodies.AddRange(probe.OfType("Body"));
        }
        else if (type == OParlJson.TypeUrl("Body"))
        {
            bodies.Add(first);
        }
        else
        {
            source.Add(first);
            return source;
        }

        foreach (var body in bodies)
        {
            source.Add(body);
            foreach (var list in BodyLists)
            {
                if (body[list] is JsonValue value && value.TryGetValue<string>(out _))
                {
                    await ReadListAsync(Link(body, list, source), null, source, () => ++pages, cancellationToken);
                }
            }
        }

        return source;
    }

    /// <summary>
    /// A link of the source's graph, or null (a problem of the report) when it is no absolute http(s) URL: the remote
    /// server writes these links, and only the web is read from there, never a file or another scheme.
    /// </summary>
    private static Uri? Link(JsonObject obj, string field, OParlSource source, string? owner = null)
    {
        var text = obj[field] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return url;
        }

        source.Problems.Add($"The {field} link of {owner ?? (string?)obj["id"]} is not an http(s) URL and was not read: {text}");
        return null;
    }

    /// <summary>
    /// Reads a list page by page. A page the import may not fetch (its address is outside the public internet and not
    /// allowed) is a problem of the report, as an unreadable file is, and the list ends there: the rest of the graph is
    /// still imported, and the report says what was left out and why.
    /// </summary>
    private async Task ReadListAsync(Uri? url, JsonObject? firstPage, OParlSource source, Func<int> countPage, CancellationToken cancellationToken)
    {
        if (url is null)
        {
            return;
        }

        var page = firstPage ?? await GetOrReportAsync(url, source, cancellationToken);
        while (page is not null)
        {
            if (countPage() > MaxPages)
            {
                source.Problems.Add($"Stopped after {MaxPages} list pages at {url}.");
                return;
            }

            foreach (var obj in (page["data"] as JsonArray ?? []).OfType<JsonObject>())
            {
                source.Add(obj);
            }

            if (page["links"] is not JsonObject links || links["next"] is not JsonValue next || !next.TryGetValue<string>(out var nextUrl) || nextUrl.Length == 0)
            {
                return;
            }

            if (Link(links, "next", source, $"the list page {url}") is not { } nextPage)
            {
                return;
            }

            url = nextPage;
            page = await GetOrReportAsync(url, source, cancellationToken);
        }
    }

    private async Task<JsonObject?> GetOrReportAsync(Uri url, OParlSource source, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync(url, cancellationToken);
        }
        catch (ImportAddressRefusedException ex)
        {
            source.Problems.Add($"{url} was not read: {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// Reads one JSON object, following up to <see cref="MaxRedirects"/> redirects to http(s) URLs (not from https down
    /// to http); every hop connects through the address guard of the HttpClient.
    /// </summary>
    private async Task<JsonObject> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        var current = url;
        for (var redirects = 0; ; redirects++)
        {
            using var response = await SendAsync(current, redirects > 0, cancellationToken);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps || current.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp)
                {
                    throw new ImportAddressRefusedException($"redirected to {next}, which the import does not follow: only http(s) URLs, and none from https down to http.");
                }

                if (redirects == MaxRedirects)
                {
                    throw RequestValidationException.For("source", $"{url} redirected more than {MaxRedirects} times.");
                }

                current = next;
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw RequestValidationException.For("source", $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken) as JsonObject
                   ?? throw RequestValidationException.For("source", $"{url} did not answer with a JSON object.");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Uri url, bool redirected, CancellationToken cancellationToken)
    {
        try
        {
            return await http.GetAsync(url, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is ImportAddressRefusedException refused)
        {
            // SocketsHttpHandler wraps what its connect callback throws; the guard's reason is what the admin needs.
            throw new ImportAddressRefusedException(redirected ? $"redirected to {url}: {refused.Message}" : refused.Message);
        }
    }
}
