using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.OParl;
using DeliberationFlow.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DeliberationFlow.Server.OParl;

/// <summary>
/// The OParl 1.1 interface at <c>/oparl/system</c>, and the import from another system's OParl at <c>/api/oparl/import</c>.
/// </summary>
public static class OParlApi
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<string> ObjectKinds =
        ["organization", "person", "membership", "legislativeTerm", "meeting", "agendaItem", "paper", "consultation", "file", "location"];

    public static WebApplicationBuilder AddOParl(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(OParlOptions.Section).Get<OParlOptions>() ?? new OParlOptions();
        if (options.ImportFolders.Count == 0)
        {
            var dataPath = Path.GetFullPath(builder.Configuration["Storage:DataPath"] ?? "data", builder.Environment.ContentRootPath);
            options.ImportFolders.Add(Path.Combine(dataPath, "oparl-import"));
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddScoped<OParlReader>();
        builder.Services.AddScoped<ImportOParl>();
        // The import fetches what an admin and the remote server name; the guard keeps it to the public internet and to
        // the networks the operator allowed (a RIS on the intranet). A wrong entry stops the start, naming it.
        builder.Services.AddSingleton<IValidateOptions<OParlImportOptions>, OParlImportOptionsValidator>();
        builder.Services.AddOptions<OParlImportOptions>().BindConfiguration(OParlImportOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton(sp => new ImportAddressGuard(sp.GetRequiredService<IOptions<OParlImportOptions>>().Value));
        // The reader bounds each page itself (OParlSourceReader.RequestTimeout, its body included, on the service's clock);
        // HttpClient's own timeout (100 s by default) would end a page before that, and not its body.
        builder.Services.AddHttpClient<OParlSourceReader>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<ImportAddressGuard>().CreateHandler());
        return builder;
    }

    public static WebApplication MapOParl(this WebApplication app)
    {
        // OParl is the public read interface of council information systems: civic portals and other clients read it
        // without an account, so these endpoints are anonymous by design. They serve only public data (no non-public
        // paper, agenda item or meeting part, not even as a count), which keeps the rule that non-public items never
        // reach anyone who may not see them.
        var oparl = app.MapGroup("/oparl").AllowAnonymous().WithTags("OParl").ExcludeFromDescription();
        oparl.AddEndpointFilter(async (context, next) =>
        {
            // OParl 2.6 recommends CORS, so browser clients of other origins can read the data.
            context.HttpContext.Response.Headers.AccessControlAllowOrigin = "*";
            try
            {
                return await next(context);
            }
            catch (OParlException ex)
            {
                return Error(ex.Status, ex.Message);
            }
        });

        oparl.MapGet("/system", (HttpContext http, OParlReader reader, CancellationToken ct) =>
            Serve(http, null, async () => await reader.SystemAsync(UrlsFor(http), ct)));
        oparl.MapGet("/bodies", (HttpContext http, OParlReader reader, CancellationToken ct) =>
            Serve(http, null, async () => await reader.BodiesAsync(UrlsFor(http), Query(http), ct)));
        oparl.MapGet("/body/{id}", (string id, HttpContext http, OParlReader reader, CancellationToken ct) =>
            Serve(http, id, async () => await reader.BodyAsync(UrlsFor(http), Guid.Parse(id), ct)));
        oparl.MapGet("/body/{id}/{list}", (string id, string list, HttpContext http, OParlReader reader, CancellationToken ct) =>
            Serve(http, id, async () => await reader.ListAsync(UrlsFor(http), Guid.Parse(id), list, Query(http), ct)));
        oparl.MapGet("/organization/{id}/meetings", (string id, HttpContext http, OParlReader reader, CancellationToken ct) =>
            Serve(http, id, async () => await reader.OrganizationMeetingsAsync(UrlsFor(http), Guid.Parse(id), Query(http), ct)));
        // A public paper's document: accessUrl shows it, downloadUrl saves it (Content-Disposition: attachment).
        oparl.MapGet("/file/{id}/access", (string id, HttpContext http, OParlReader reader, CancellationToken ct) => FileAsync(http, id, reader, attachment: false, ct));
        oparl.MapGet("/file/{id}/download", (string id, HttpContext http, OParlReader reader, CancellationToken ct) => FileAsync(http, id, reader, attachment: true, ct));
        oparl.MapGet("/{kind}/{id}", (string kind, string id, HttpContext http, OParlReader reader, CancellationToken ct) =>
            ObjectKinds.FirstOrDefault(k => k.Equals(kind, StringComparison.OrdinalIgnoreCase)) switch
            {
                null => Task.FromResult(Error(StatusCodes.Status404NotFound, $"There are no objects of kind '{kind}'.")),
                var known when known != kind => Task.FromResult(Results.Redirect($"{http.Request.PathBase}/oparl/{known}/{id}{http.Request.QueryString}", permanent: true)),
                _ => Serve(http, id, async () => await reader.ObjectAsync(UrlsFor(http), kind, Guid.Parse(id), ct)),
            });
        oparl.Map("/{**rest}", (string? rest) => Error(StatusCodes.Status404NotFound, $"Nothing at /oparl/{rest}; start at /oparl/system."));

        app.MapPost("/api/oparl/import", ImportAsync).RequireAuthorization(SecurityExtensions.AdminPolicy).WithTags("OParl")
            .WithSummary("Imports papers, committees, persons, meetings and Beratungsfolgen from an OParl endpoint URL or a server folder of OParl JSON files (admins)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    private static async Task<Ok<OParlImportReport>> ImportAsync(
        ImportOParlRequest request, ImportOParl import, OParlOptions options, HttpContext http, CancellationToken cancellationToken)
    {
        RefuseFoldersOutsideTheImportFolders(request.Source, options);
        var caller = http.User.ToCaller();
        return TypedResults.Ok(await import.HandleAsync(caller.BodyId, request, adoptBodyName: false, caller.UserName, cancellationToken));
    }

    /// <summary>
    /// Through the API an admin names a source, and the server reads it: a folder only under the configured import
    /// folders, so an admin account cannot read the server's other files.
    /// </summary>
    private static void RefuseFoldersOutsideTheImportFolders(string? source, OParlOptions options)
    {
        if (string.IsNullOrWhiteSpace(source) || Uri.TryCreate(source, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return;
        }

        var folder = Path.GetFullPath(source);
        var allowed = options.ImportFolders.Select(Path.GetFullPath).Select(root => Path.TrimEndingDirectorySeparator(root));
        if (!allowed.Any(root => folder == root || folder.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            throw RequestValidationException.For("source",
                $"Through the API, OParl files are read only from the import folders ({string.Join(", ", options.ImportFolders)}); copy them there, or run the import-oparl command on the server.");
        }
    }

    /// <summary>URLs are built from <c>OParl:BaseUrl</c> when set (behind a proxy), else from the request.</summary>
    private static OParlUrls UrlsFor(HttpContext http)
    {
        var configured = http.RequestServices.GetRequiredService<OParlOptions>().BaseUrl;
        return new OParlUrls(string.IsNullOrWhiteSpace(configured)
            ? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/oparl"
            : configured);
    }

    private static OParlListQuery Query(HttpContext http) =>
        OParlListQuery.Parse(http.Request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v))),
            Math.Clamp(http.RequestServices.GetRequiredService<OParlOptions>().PageSize, 1, 1000));

    /// <summary>
    /// One canonical URL per object and list: another spelling of an id, or a trailing slash, is redirected (301) there;
    /// a malformed id does not exist.
    /// </summary>
    private static IResult? Canonical(HttpContext http, string? id)
    {
        var request = http.Request;
        if (request.Path.Value is { } slashed && slashed.EndsWith('/'))
        {
            return Results.Redirect($"{request.PathBase}{slashed.TrimEnd('/')}{request.QueryString}", permanent: true);
        }

        if (id is null)
        {
            return null;
        }

        if (!Guid.TryParse(id, out var guid))
        {
            return Error(StatusCodes.Status404NotFound, $"'{id}' is not the id of any object.");
        }

        var canonical = guid.ToString("D");
        if (id == canonical)
        {
            return null;
        }

        var path = request.Path.Value!.Replace(id, canonical, StringComparison.Ordinal);
        return Results.Redirect($"{request.PathBase}{path}{request.QueryString}", permanent: true);
    }

    private static async Task<IResult> Serve(HttpContext http, string? id, Func<Task<JsonObject>> read)
    {
        if (Canonical(http, id) is { } redirect)
        {
            return redirect;
        }

        try
        {
            return Results.Text((await read()).ToJsonString(Json), "application/json; charset=utf-8");
        }
        catch (OParlException ex)
        {
            return Error(ex.Status, ex.Message);
        }
        catch (RequestValidationException ex)
        {
            return Error(StatusCodes.Status400BadRequest, ex.Message);
        }
    }

    private static async Task<IResult> FileAsync(HttpContext http, string id, OParlReader reader, bool attachment, CancellationToken cancellationToken)
    {
        if (Canonical(http, id) is { } redirect)
        {
            return redirect;
        }

        try
        {
            var file = await reader.FileContentAsync(Guid.Parse(id), cancellationToken);
            return Api.PaperFilesApi.Serve(http, file, isPublic: true, attachment);
        }
        catch (OParlException ex)
        {
            return Error(ex.Status, ex.Message);
        }
    }

    /// <summary>The OParl error object (OParl 1.1, 2.11).</summary>
    private static IResult Error(int status, string message) =>
        Results.Text(new JsonObject { ["type"] = OParlJson.TypeUrl("Error"), ["message"] = message }.ToJsonString(Json),
            "application/json; charset=utf-8", statusCode: status);
}
