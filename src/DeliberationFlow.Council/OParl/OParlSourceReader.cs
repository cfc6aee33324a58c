using System.Text.Json;
using System.Text.Json.Nodes;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Engine.Runtime;

namespace DeliberationFlow.Council.OParl;

/// <summary>A page of the source the import could not read (its URL), and why: its status, "not JSON", a timeout …</summary>
public sealed record OParlNotRead(string Url, string Reason);

/// <summary>Every OParl object found in a source, keyed by its id, with what could not be read.</summary>
public sealed class OParlSource
{
    public Dictionary<string, JsonObject> Objects { get; } = new(StringComparer.Ordinal);

    /// <summary>What was read but could not be taken: an object without id or type, a file that is not JSON.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>The pages of a server that could not be read; what they hold is missing, the rest is imported.</summary>
    public List<OParlNotRead> NotRead { get; } = [];

    /// <summary>
    /// Null when the source was read to its end (broken pages aside); else where and why reading stopped early (the time
    /// limit, the bound of pages): the pages from there on, and the lists after it, were not read.
    /// </summary>
    public string? CutShort { get; set; }

    /// <summary>The first page not read when reading stopped early.</summary>
    public Uri? CutShortAt { get; set; }

    public IEnumerable<JsonObject> OfType(string type) =>
        Objects.Values.Where(o => Text(o["type"]) == OParlJson.TypeUrl(type));

    /// <summary>Adds an object and, with a back-reference to it, the objects it embeds (OParl 1.1, 3.0: an embedded copy omits the reference to its parent).</summary>
    public void Add(JsonObject obj)
    {
        // A remote server may write anything: an id or type that is no text is skipped and said, never a failure of the import.
        if (Text(obj["id"]) is not { } id || Text(obj["type"]) is null)
        {
            Problems.Add($"An object without id or type was skipped: {Shorten(obj.ToJsonString())}");
            return;
        }

        // A later copy of the same object (e.g. the stand-alone one after the embedded one) wins only where it is newer.
        if (Objects.TryGetValue(id, out var known) && string.CompareOrdinal(Text(known["modified"]), Text(obj["modified"])) > 0)
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

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";
}

/// <summary>
/// Reads OParl objects from a folder of JSON files (single objects, list pages or arrays of objects) or from a
/// server, starting at its System, a Body, a list or a single object and following the lists' <c>next</c> links.
/// <para>
/// Only the start URL must be readable. Every further page is named by the remote server, and a real RIS has broken ones
/// (a 404 or 500, an HTML error page, a page that never ends): such a page is a line of <see cref="OParlSource.NotRead"/>
/// with its URL and the reason, and the rest of the graph is still read. A list ends at a page it cannot read, because
/// only that page holds the link to the next; a later import reads it again, once the remote server has mended it.
/// </para>
/// </summary>
public sealed class OParlSourceReader(HttpClient http, TimeProvider clock)
{
    /// <summary>Guards against a server whose <c>next</c> links never end; pages that could not be read count too.</summary>
    public const int MaxPages = 20_000;

    /// <summary>
    /// Pages that could not be read before the import stops reading: a list ends at its first such page, so without it a
    /// server whose every list fails (each after <see cref="RequestTimeout"/>) would keep the import for days.
    /// </summary>
    public const int MaxUnreadPages = 50;

    /// <summary>Redirects followed for one request, as browsers and HttpClient limit them.</summary>
    public const int MaxRedirects = 5;

    /// <summary>
    /// The most the import reads of one answer. A real list page is a few kilobytes (Bonn's ALLRIS: 13 kB for 20 meetings);
    /// a server that sends gigabytes would otherwise fill this server's memory.
    /// </summary>
    public const int MaxResponseBytes = 16 * 1024 * 1024;

    /// <summary>
    /// How long one page may take, its redirects and its whole body included (HttpClient's own timeout ends with the
    /// headers when the body is read as a stream); measured on the service's clock.
    /// </summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(2);

    private static readonly string[] BodyLists = ["organization", "person", "meeting", "paper"];

    /// <param name="timeLimit">
    /// How long reading a server may take in all (<see cref="OParlImportOptions.TimeLimit"/>), from now on the service's
    /// clock: then the page being read is cut off, no further page is read, and <see cref="OParlSource.CutShort"/> says where.
    /// A folder is read whole.
    /// </param>
    public async Task<OParlSource> ReadAsync(string source, TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        if (Uri.TryCreate(source, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return await ReadUrlAsync(url, timeLimit, cancellationToken);
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

    /// <summary>One reading of a server: what was found, and how many pages were fetched and failed so far.</summary>
    private sealed class Reading(TimeSpan timeLimit, DateTimeOffset deadline)
    {
        public OParlSource Source { get; } = new();

        public TimeSpan TimeLimit { get; } = timeLimit;

        /// <summary>When the import's <see cref="TimeLimit"/> ends reading, on the service's clock.</summary>
        public DateTimeOffset Deadline { get; } = deadline;

        public string TimeLimitReached => $"the import's time limit of {Span(TimeLimit)} (OParl:Import:TimeLimit) was reached";

        public int Pages { get; set; }

        public int Unread { get; set; }

        /// <summary>Why no further page is read, once a bound is reached; said once, at the first page left out (<see cref="StopAt"/>).</summary>
        public string? Stop { get; set; }

        public bool StopReported { get; set; }
    }

    public async Task<OParlSource> ReadUrlAsync(Uri start, TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        var reading = new Reading(timeLimit, clock.GetUtcNow() + timeLimit);
        var source = reading.Source;
        JsonObject first;
        try
        {
            reading.Pages++;
            first = await GetAsync(start, reading, cancellationToken);
        }
        catch (TimeLimitReachedException)
        {
            throw RequestValidationException.For("source", $"{start}: did not answer within the import's time limit of {Span(timeLimit)} (OParl:Import:TimeLimit)");
        }
        catch (PageUnreadableException ex)
        {
            // The admin's own URL: answered as a mistake in the request, before anything is imported.
            throw RequestValidationException.For("source", $"{start}: {ex.Message}");
        }
        catch (ImportAddressRefusedException ex)
        {
            throw RequestValidationException.For("source", $"{start}: {ex.Message}");
        }

        if (first["data"] is JsonArray)
        {
            await ReadListAsync(start, first, reading, cancellationToken);
            return source;
        }

        var type = first["type"] is JsonValue typeValue && typeValue.TryGetValue<string>(out var typeText) ? typeText : null;
        if (type is null)
        {
            throw RequestValidationException.For("source", $"{start}: answered JSON that is neither an OParl object (it has no type) nor a list page (it has no data).");
        }

        var bodies = new List<JsonObject>();
        if (type == OParlJson.TypeUrl("System"))
        {
            // The body list is read apart: only its bodies are taken, each with its lists below.
            var bodyList = new OParlSource();
            await ReadListAsync(Link(first, "body", source), null, reading, cancellationToken, into: bodyList);
            source.Problems.AddRange(bodyList.Problems);
            bodies.AddRange(bodyList.OfType("Body"));
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
                    await ReadListAsync(Link(body, list, source), null, reading, cancellationToken);
                }
            }
        }

        return source;
    }

    /// <summary>
    /// A link of the source's graph, or null (a line of what was not read) when it is no absolute http(s) URL: the remote
    /// server writes these links, and only the web is read from there, never a file or another scheme.
    /// </summary>
    private static Uri? Link(JsonObject obj, string field, OParlSource source, string? owner = null)
    {
        var text = obj[field] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return url;
        }

        var ownerId = owner ?? (obj["id"] is JsonValue id && id.TryGetValue<string>(out var idText) ? idText : "?");
        source.NotRead.Add(new OParlNotRead(text ?? "", $"the {field} link of {ownerId} is no http(s) URL; the import reads only http(s)"));
        return null;
    }

    /// <summary>
    /// Reads a list page by page into <paramref name="into"/> (the source by default). A page that cannot be read (the
    /// address guard refuses it, it answers an error, no JSON or no list page, or not in time) is a line of what was not
    /// read, and the list ends there: the rest of the graph is still imported, and the report says what was left out and why.
    /// </summary>
    private async Task ReadListAsync(Uri? url, JsonObject? firstPage, Reading reading, CancellationToken cancellationToken, OParlSource? into = null)
    {
        if (url is null)
        {
            return;
        }

        var source = into ?? reading.Source;
        var listUrl = url;
        var pagesRead = 0;
        var page = firstPage;
        while (true)
        {
            page ??= await GetPageAsync(url, listUrl, pagesRead, reading, cancellationToken);
            if (page is null)
            {
                return;
            }

            pagesRead++;
            foreach (var obj in ((JsonArray)page["data"]!).OfType<JsonObject>())
            {
                source.Add(obj);
            }

            if (page["links"] is not JsonObject links || links["next"] is not JsonValue next || !next.TryGetValue<string>(out var nextUrl) || nextUrl.Length == 0)
            {
                return;
            }

            if (Link(links, "next", reading.Source, $"the list page {url}") is not { } nextPage)
            {
                return;
            }

            url = nextPage;
            page = null;
        }
    }

    /// <summary>A list page, or null when it is not read: a bound was reached, or it could not be read (said in the report).</summary>
    private async Task<JsonObject?> GetPageAsync(Uri url, Uri listUrl, int pagesRead, Reading reading, CancellationToken cancellationToken)
    {
        if (reading.Stop is null && reading.Pages >= MaxPages)
        {
            reading.Stop = $"the import reads at most {MaxPages} pages of one source";
        }

        if (reading.Stop is null && clock.GetUtcNow() >= reading.Deadline)
        {
            reading.Stop = reading.TimeLimitReached;
        }

        if (reading.Stop is not null)
        {
            StopAt(url, reading);
            return null;
        }

        reading.Pages++;
        string reason;
        try
        {
            var page = await GetAsync(url, reading, cancellationToken);
            if (page["data"] is JsonArray)
            {
                return page;
            }

            reason = "answered no OParl list page: it has no data array";
        }
        catch (TimeLimitReachedException)
        {
            // Cut off by the time limit, not broken: said as where the import stopped, not counted as an unreadable page.
            reading.Stop = reading.TimeLimitReached;
            StopAt(url, reading);
            return null;
        }
        catch (PageUnreadableException ex)
        {
            reason = ex.Message;
        }
        catch (ImportAddressRefusedException ex)
        {
            reason = ex.Message;
        }

        // Only this page holds the link to the next: the list ends here, with what its earlier pages brought.
        if (pagesRead > 0)
        {
            reason += $"; the list {listUrl} ends after the {pagesRead} page(s) read before it";
        }

        reading.Source.NotRead.Add(new OParlNotRead(url.ToString(), reason));
        if (++reading.Unread == MaxUnreadPages)
        {
            reading.Stop = $"{MaxUnreadPages} pages of this source could not be read, and the import stops reading there";
        }

        return null;
    }

    /// <summary>A time limit as the report says it: in whole minutes, or in seconds where it is not.</summary>
    private static string Span(TimeSpan span) => span.Ticks % TimeSpan.TicksPerMinute == 0
        ? $"{span.TotalMinutes:0} minute{(span == TimeSpan.FromMinutes(1) ? "" : "s")}"
        : $"{span.TotalSeconds:0.###} seconds";

    /// <summary>Says once, at the first page left out, that reading stopped there and why; the report then calls the import cut short.</summary>
    private static void StopAt(Uri url, Reading reading)
    {
        if (reading.StopReported)
        {
            return;
        }

        reading.Source.NotRead.Add(new OParlNotRead(url.ToString(), $"not read, nor any page after it: {reading.Stop}"));
        reading.Source.CutShort = $"Reading stopped at {url}, as {reading.Stop}: that page, the rest of its list and the lists after it " +
                                  "were not read. What was read before it is imported.";
        reading.Source.CutShortAt = url;
        reading.StopReported = true;
    }

    /// <summary>
    /// Reads one JSON object, following up to <see cref="MaxRedirects"/> redirects to http(s) URLs (not from https down
    /// to http); every hop connects through the address guard of the HttpClient. Whatever keeps the page from being read
    /// is a <see cref="PageUnreadableException"/> (or the guard's <see cref="ImportAddressRefusedException"/>) saying why.
    /// </summary>
    private async Task<JsonObject> GetAsync(Uri url, Reading reading, CancellationToken cancellationToken)
    {
        // A page has its own two minutes, and no more than what is left of the import's time limit.
        var left = reading.Deadline - clock.GetUtcNow();
        var byTimeLimit = left < RequestTimeout;
        using var timeout = new CancellationTokenSource(byTimeLimit ? left > TimeSpan.Zero ? left : TimeSpan.Zero : RequestTimeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await GetWithinAsync(url, linked.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
                                   && (ex is OperationCanceledException || (timeout.IsCancellationRequested && ex is IOException or HttpRequestException)))
        {
            // The deadline cut the request or the reading of its body (which may surface as an I/O error).
            throw byTimeLimit ? new TimeLimitReachedException() : new PageUnreadableException($"did not answer within {RequestTimeout.TotalMinutes:0} minutes");
        }
        catch (HttpRequestException ex)
        {
            throw new PageUnreadableException($"could not be reached: {ex.Message}");
        }
        catch (IOException ex)
        {
            throw new PageUnreadableException($"broke off its answer: {ex.Message}");
        }
    }

    private async Task<JsonObject> GetWithinAsync(Uri url, CancellationToken cancellationToken)
    {
        var current = url;
        var visited = new HashSet<Uri> { url };
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

                if (!visited.Add(next))
                {
                    throw new PageUnreadableException($"redirects in a loop (back to {next})");
                }

                if (redirects == MaxRedirects)
                {
                    throw new PageUnreadableException($"redirected more than {MaxRedirects} times");
                }

                current = next;
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new PageUnreadableException($"answered {(int)response.StatusCode} {response.ReasonPhrase}{await ErrorMessageAsync(response, cancellationToken)}");
            }

            await using var body = await ReadBodyAsync(response, cancellationToken);
            try
            {
                return await JsonNode.ParseAsync(body, cancellationToken: cancellationToken) as JsonObject
                       ?? throw new PageUnreadableException("answered JSON that is no object, neither an OParl object nor a list page");
            }
            catch (JsonException ex)
            {
                var mediaType = response.Content.Headers.ContentType?.MediaType ?? "no content type";
                throw new PageUnreadableException($"answered no JSON ({mediaType}): {ex.Message}");
            }
        }
    }

    /// <summary>The body, read up to <see cref="MaxResponseBytes"/>: a longer one is refused as soon as it is known to be.</summary>
    private static async Task<MemoryStream> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var tooLarge = $"answered more than {MaxResponseBytes / (1024 * 1024)} MB, the most the import reads of one page";
        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new PageUnreadableException(tooLarge);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var body = new MemoryStream();
        var buffer = new byte[81_920];
        for (int read; (read = await stream.ReadAsync(buffer, cancellationToken)) > 0;)
        {
            if (body.Length + read > MaxResponseBytes)
            {
                await body.DisposeAsync();
                throw new PageUnreadableException(tooLarge);
            }

            body.Write(buffer, 0, read);
        }

        body.Position = 0;
        return body;
    }

    /// <summary>The message of an OParl error object (2.9) that came with an error status, for the report; empty without one.</summary>
    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await ReadBodyAsync(response, cancellationToken);
            return await JsonNode.ParseAsync(body, cancellationToken: cancellationToken) is JsonObject error
                   && error["message"] is JsonValue message && message.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text)
                ? $": {Texts.Cut(text.Trim(), 200)}"
                : "";
        }
        catch (Exception ex) when (ex is JsonException or PageUnreadableException or IOException or HttpRequestException)
        {
            // The status says what went wrong; a body that says no more (an HTML page, nothing) is left out.
            return "";
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Uri url, bool redirected, CancellationToken cancellationToken)
    {
        try
        {
            // The body is read by ReadBodyAsync, within the import's bound, not buffered whole by HttpClient.
            return await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is ImportAddressRefusedException refused)
        {
            // SocketsHttpHandler wraps what its connect callback throws; the guard's reason is what the admin needs.
            throw new ImportAddressRefusedException(redirected ? $"redirected to {url}: {refused.Message}" : refused.Message);
        }
    }
}

/// <summary>A page of the source could not be read; the message says why, as the report shows it after the page's URL.</summary>
public sealed class PageUnreadableException(string message) : Exception(message);

/// <summary>The import's time limit cut a page off: reading ends there, and the report says the import was cut short.</summary>
public sealed class TimeLimitReachedException() : Exception("The import's time limit was reached.");
