using System.Globalization;
using System.Text.Json.Nodes;

namespace DeliberationFlow.Council.OParl;

/// <summary>The canonical URLs of the interface: one per object, built from its id only (never from a reference that may change).</summary>
public sealed class OParlUrls(string baseUrl)
{
    private readonly string _base = baseUrl.TrimEnd('/');

    public string System => $"{_base}/system";
    public string Bodies => $"{_base}/bodies";

    public string Body(Guid id) => $"{_base}/body/{id:D}";

    /// <summary>An external list of a body: organizations, persons, meetings, papers, memberships, agendaItems, consultations, files, locations, legislativeTerms.</summary>
    public string BodyList(Guid bodyId, string list) => $"{_base}/body/{bodyId:D}/{list}";

    public string Object(string kind, Guid id) => $"{_base}/{kind}/{id:D}";

    public string OrganizationMeetings(Guid organizationId) => $"{_base}/organization/{organizationId:D}/meetings";
}

/// <summary>Building OParl JSON: fields without a value are left out rather than sent as null, "" or [] (OParl 1.1, 2.4).</summary>
public static class OParlJson
{
    public const string SchemaBase = "https://schema.oparl.org/1.1/";
    public const string ExtensionPrefix = "deliberationflow:";

    public static string TypeUrl(string type) => SchemaBase + type;

    public static JsonObject Object(string id, string type, params (string Name, JsonNode? Value)[] fields)
    {
        var result = new JsonObject { ["id"] = id, ["type"] = TypeUrl(type) };
        foreach (var (name, value) in fields)
        {
            if (value is null || (value is JsonValue text && text.TryGetValue<string>(out var s) && s.Length == 0))
            {
                continue;
            }

            result[name] = value;
        }

        return result;
    }

    /// <summary>A soft-deleted object keeps only its id, type and created, with <c>deleted</c> and the time of deletion.</summary>
    public static JsonObject Deleted(string id, string type, DateTimeOffset created, DateTimeOffset modified, TimeZoneInfo zone) => new()
    {
        ["id"] = id,
        ["type"] = TypeUrl(type),
        ["created"] = Time(created, zone),
        ["modified"] = Time(modified, zone),
        ["deleted"] = true,
    };

    public static JsonNode? Text(string? value) => string.IsNullOrEmpty(value) ? null : JsonValue.Create(value);

    /// <summary><c>yyyy-mm-ddThh:mm:ss±hh:mm</c> in the body's zone.</summary>
    public static string Time(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static JsonNode? Time(DateTimeOffset? instant, TimeZoneInfo zone) => instant is { } value ? JsonValue.Create(Time(value, zone)) : null;

    public static JsonNode? Date(DateOnly? day) => day is { } value ? JsonValue.Create(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : null;

    /// <summary>A list of URLs, or nothing when it is empty.</summary>
    public static JsonArray? Urls(IEnumerable<string> urls)
    {
        var array = new JsonArray(urls.Select(u => (JsonNode?)JsonValue.Create(u)).ToArray());
        return array.Count == 0 ? null : array;
    }

    public static JsonArray? Objects(IEnumerable<JsonObject> objects)
    {
        var array = new JsonArray(objects.Cast<JsonNode?>().ToArray());
        return array.Count == 0 ? null : array;
    }

    public static DateTimeOffset Max(DateTimeOffset first, IEnumerable<DateTimeOffset> others) =>
        others.Aggregate(first, (a, b) => b > a ? b : a);
}

/// <summary>Settings of the interface (section <c>OParl</c>).</summary>
public sealed class OParlOptions
{
    public const string Section = "OParl";

    /// <summary>Absolute URL of the interface (…/oparl) as clients reach it, e.g. behind a reverse proxy; empty: taken from each request.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Objects per list page (OParl recommends paging lists of more than 100).</summary>
    public int PageSize { get; set; } = OParlListQuery.DefaultLimit;

    /// <summary>
    /// Server folders an import through the API may read (and their subfolders); empty: <c>&lt;Storage:DataPath&gt;/oparl-import</c>.
    /// The <c>import-oparl</c> command, run by the operator on the server, reads any folder.
    /// </summary>
    public List<string> ImportFolders { get; set; } = [];
}

/// <summary>A request the interface answers with an OParl error object (<c>https://schema.oparl.org/1.1/Error</c>).</summary>
public sealed class OParlException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static OParlException NotFound(string what) => new(404, $"{what} does not exist or is not public.");
}

/// <summary>
/// The filters and paging of an external list. Every filter the client sent is carried into the links of each page,
/// so following <c>next</c> keeps the same selection.
/// </summary>
/// <remarks>
/// Times are stored finer than the whole seconds they are served in, and the filters are about what is served: an
/// object served as modified at 16:06:27 is in <c>modified_until=16:06:27</c> even when it was stored at 16:06:27.4, and
/// not in <c>modified_since=16:06:27.5</c>. So <c>*_since</c> is kept as the first whole second at or after the client's
/// time, and <c>*_until</c> as the first whole second after it, a bound that is itself left out (<see cref="CreatedBefore"/>,
/// <see cref="ModifiedBefore"/>).
/// </remarks>
public sealed record OParlListQuery(
    DateTimeOffset? CreatedSince,
    DateTimeOffset? CreatedBefore,
    DateTimeOffset? ModifiedSince,
    DateTimeOffset? ModifiedBefore,
    bool OmitInternal,
    int Limit,
    int Page,
    IReadOnlyList<KeyValuePair<string, string>> Carried)
{
    public const int DefaultLimit = 100;

    public static readonly OParlListQuery Default = new(null, null, null, null, false, DefaultLimit, 1, []);

    /// <summary>Reads the list parameters of OParl 1.1 (2.5, 2.12); unknown parameters are ignored.</summary>
    public static OParlListQuery Parse(IEnumerable<KeyValuePair<string, string?>> parameters, int pageSize = DefaultLimit)
    {
        var values = parameters.Where(p => p.Value is not null).GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value!, StringComparer.Ordinal);
        var carried = new List<KeyValuePair<string, string>>();

        DateTimeOffset? Instant(string name)
        {
            if (!values.TryGetValue(name, out var text))
            {
                return null;
            }

            if (!DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"],
                    CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            {
                throw new OParlException(400, $"'{name}' must be a full date-time such as 2021-03-01T00:00:00+01:00 (URL-encoded), not '{text}'.");
            }

            carried.Add(new(name, text));
            return instant.ToUniversalTime();
        }

        var query = new OParlListQuery(FromSecond(Instant("created_since")), AfterSecond(Instant("created_until")),
            FromSecond(Instant("modified_since")), AfterSecond(Instant("modified_until")), false, pageSize, 1, carried);
        if (values.TryGetValue("omit_internal", out var omit))
        {
            if (omit is not ("true" or "false"))
            {
                throw new OParlException(400, $"'omit_internal' is true or false, not '{omit}'.");
            }

            carried.Add(new("omit_internal", omit));
            query = query with { OmitInternal = omit == "true" };
        }

        // "limit" is advisory (OParl 2.5); the server keeps its own maximum.
        var limitText = values.GetValueOrDefault("limit") ?? values.GetValueOrDefault("elementsPerPage");
        if (limitText is not null)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1)
            {
                throw new OParlException(400, $"'limit' is a positive whole number, not '{limitText}'.");
            }

            query = query with { Limit = Math.Min(limit, pageSize) };
            carried.Add(new("limit", query.Limit.ToString(CultureInfo.InvariantCulture)));
        }

        if (values.TryGetValue("page", out var pageText))
        {
            if (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out var page) || page < 1)
            {
                throw new OParlException(400, $"'page' is a whole number from 1, not '{pageText}'.");
            }

            query = query with { Page = page };
        }

        return query;
    }

    /// <summary>Deleted objects are listed only to a client that synchronises (OParl 2.8).</summary>
    public bool IncludesDeleted => ModifiedSince is not null;

    public bool Matches(DateTimeOffset created, DateTimeOffset modified) =>
        (CreatedSince is not { } cs || created >= cs) && (CreatedBefore is not { } cb || created < cb)
        && (ModifiedSince is not { } ms || modified >= ms) && (ModifiedBefore is not { } mb || modified < mb);

    /// <summary>The first whole second at or after <paramref name="instant"/>.</summary>
    private static DateTimeOffset? FromSecond(DateTimeOffset? instant) =>
        instant is { } value && value.Ticks % TimeSpan.TicksPerSecond is var fraction and > 0 ? value.AddTicks(TimeSpan.TicksPerSecond - fraction) : instant;

    /// <summary>The first whole second after <paramref name="instant"/>.</summary>
    private static DateTimeOffset? AfterSecond(DateTimeOffset? instant) =>
        instant is { } value ? value.AddTicks(TimeSpan.TicksPerSecond - value.Ticks % TimeSpan.TicksPerSecond) : null;

    public string PageUrl(string listUrl, int page)
    {
        var parameters = Carried.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}").ToList();
        if (page > 1)
        {
            parameters.Add($"page={page.ToString(CultureInfo.InvariantCulture)}");
        }

        return parameters.Count == 0 ? listUrl : $"{listUrl}?{string.Join("&", parameters)}";
    }
}
