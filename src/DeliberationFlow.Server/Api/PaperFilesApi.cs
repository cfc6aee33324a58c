using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Papers.Files;
using DeliberationFlow.Server.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace DeliberationFlow.Server.Api;

/// <summary>A paper's documents (OParl File): upload, list, download, replace the Vorlage, delete.</summary>
public static class PaperFilesApi
{
    // Room for the multipart framing and the small fields around the document.
    private const long FormOverhead = 64 * 1024;

    public static IServiceCollection AddPaperFiles(this IServiceCollection services)
    {
        services.AddOptions<PaperFileOptions>().BindConfiguration(PaperFileOptions.Section)
            .Validate(o => o.MaxSizeBytes > 0, "Files:MaxSizeBytes is the largest document accepted, in bytes; give a positive number (20971520 is 20 MB).")
            .ValidateOnStart();
        services.AddOptions<PaperTextOptions>().BindConfiguration(PaperTextOptions.Section)
            .Validate(o => o.MaxAttempts is >= 1 and <= 100,
                "PaperTexts:MaxAttempts is how often the background job tries a document's text before it gives up on it; give a number from 1 to 100 (default 3).")
            .Validate(o => o.Timeout >= TimeSpan.FromSeconds(1) && o.Timeout <= TimeSpan.FromHours(1),
                "PaperTexts:Timeout is the longest the background job reads one document's text; give a time from 00:00:01 to 01:00:00 (default 00:01:00).")
            .ValidateOnStart();
        return services;
    }

    public static RouteGroupBuilder MapPaperFilesApi(this RouteGroupBuilder api)
    {
        // No Accepts<IFormFile> metadata: with it, routing answers another content type with a bare 415 naming nothing;
        // the handler's own check names the form field instead.
        var files = api.MapGroup("/papers/{id}/files").WithTags("Papers");
        files.MapPost("/", UploadAsync)
            .WithSummary("Adds a document to a paper (multipart/form-data: file, optional name and role main|auxiliary); secretaries of its committees and admins")
            .ProducesValidationProblem()
            .ProducesValidationProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        files.MapGet("/", ListAsync)
            .WithSummary("A paper's documents, the Vorlage first, without their content")
            .ProducesProblem(StatusCodes.Status404NotFound);
        files.MapPut("/main", ReplaceMainAsync)
            .WithSummary("Replaces the paper's Vorlage (main file) with a corrected document, or sets it (multipart/form-data: file, optional name)")
            .ProducesValidationProblem()
            .ProducesValidationProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        files.MapGet("/{fileId}/content", DownloadAsync)
            .WithSummary("A document's content, as an attachment with its type and an ETag of its SHA-512")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
        files.MapDelete("/{fileId}", DeleteAsync)
            .WithSummary("Deletes a document (its content at once; OParl serves it as deleted); the journal records it")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>
    /// The download for the web UI's links: the API answers only to Basic credentials, a browser's link carries the
    /// sign-in cookie. A GET that changes nothing, so the cookie's cross-site rules are enough.
    /// </summary>
    public static WebApplication MapPaperFileDownloads(this WebApplication app)
    {
        app.MapGet("/papers/{id}/files/{fileId}/content", DownloadAsync).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    private static async Task<Created<PaperFileView>> UploadAsync(Guid id, UploadPaperFile upload, HttpContext http, IOptions<PaperFileOptions> options, CancellationToken cancellationToken)
    {
        var caller = http.User.ToCaller();
        var (form, file) = await ReadFormAsync(http, options.Value.MaxSizeBytes, cancellationToken);
        await using var content = file?.OpenReadStream();
        var view = await upload.HandleAsync(caller, id, new PaperFileUpload(file?.FileName, form["name"], form["role"], content), cancellationToken);
        return TypedResults.Created($"/api/papers/{id}/files/{view.Id}/content", view);
    }

    private static async Task<Ok<PaperFileView>> ReplaceMainAsync(Guid id, ReplaceMainFile replace, HttpContext http, IOptions<PaperFileOptions> options, CancellationToken cancellationToken)
    {
        var caller = http.User.ToCaller();
        var (form, file) = await ReadFormAsync(http, options.Value.MaxSizeBytes, cancellationToken);
        await using var content = file?.OpenReadStream();
        return TypedResults.Ok(await replace.HandleAsync(caller, id, new PaperFileUpload(file?.FileName, form["name"], null, content), cancellationToken));
    }

    private static async Task<Ok<IReadOnlyList<PaperFileView>>> ListAsync(Guid id, ListPaperFiles list, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await list.HandleAsync(http.User.ToCaller(), id, cancellationToken));

    private static async Task<FileContentHttpResult> DownloadAsync(Guid id, Guid fileId, DownloadPaperFile download, HttpContext http, CancellationToken cancellationToken)
    {
        var file = await download.HandleAsync(http.User.ToCaller(), id, fileId, cancellationToken);
        return Serve(http, file);
    }

    private static async Task<NoContent> DeleteAsync(Guid id, Guid fileId, DeletePaperFile delete, HttpContext http, CancellationToken cancellationToken)
    {
        await delete.HandleAsync(http.User.ToCaller(), id, fileId, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// A document as a download: an attachment under its file name (RFC 6266, with <c>filename*</c> for umlauts), its type,
    /// and its checksum as the ETag, so a client asking again with If-None-Match gets 304. A non-public paper's document
    /// must not stay in shared caches, so it is private. Shown rather than saved (<paramref name="attachment"/> false,
    /// OParl's accessUrl), it is sandboxed: whatever a document holds runs no script in the service's origin.
    /// </summary>
    public static FileContentHttpResult Serve(HttpContext http, PaperFileDownload file, bool isPublic = false, bool attachment = true)
    {
        http.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        http.Response.Headers.CacheControl = isPublic ? "public, no-cache" : "private, no-cache";
        var tag = new EntityTagHeaderValue($"\"{file.Sha512Checksum}\"");
        if (attachment)
        {
            return TypedResults.File(file.Content, file.MimeType, file.FileName, entityTag: tag);
        }

        http.Response.Headers[HeaderNames.ContentSecurityPolicy] = "sandbox";
        var inline = new ContentDispositionHeaderValue("inline");
        inline.SetHttpFileName(file.FileName);
        http.Response.Headers.ContentDisposition = inline.ToString();
        return TypedResults.File(file.Content, file.MimeType, entityTag: tag);
    }

    /// <summary>
    /// Reads the multipart form, refusing a body over the size limit (with its framing) as it arrives: Kestrel stops
    /// reading there instead of taking a gigabyte to disk first, and the refusal names the limit.
    /// </summary>
    private static async Task<(IFormCollection Form, IFormFile? File)> ReadFormAsync(HttpContext http, long maxSize, CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType || http.Request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true)
        {
            throw RequestValidationException.For("file", "Send the document as multipart/form-data with the form field 'file'.");
        }

        if (http.Request.ContentLength > maxSize + FormOverhead)
        {
            throw PaperFileRules.TooLarge(maxSize);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxSize + FormOverhead;
        }

        try
        {
            var form = await http.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = maxSize + FormOverhead }, cancellationToken);
            if (form.Files.Count > 1)
            {
                throw RequestValidationException.For("file", "Send one document per request.");
            }

            return (form, form.Files.GetFile("file"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw PaperFileRules.TooLarge(maxSize);
        }
        catch (InvalidDataException ex)
        {
            // The multipart reader's own limits (a body over its length limit, a malformed boundary).
            if (ex.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase))
            {
                throw PaperFileRules.TooLarge(maxSize);
            }

            throw RequestValidationException.For("file", $"The form could not be read: {ex.Message}");
        }
    }
}
