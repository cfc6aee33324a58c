using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Server.Security;
using Microsoft.Net.Http.Headers;

namespace DeliberationFlow.Server.Api;

/// <summary>A meeting exported for the archive (Sitzungsarchiv) as a ZIP: minutes as HTML and JSON, the items' documents, a manifest.</summary>
public static class MeetingArchiveApi
{
    public static RouteGroupBuilder MapMeetingArchiveApi(this RouteGroupBuilder api)
    {
        api.MapGet("/meetings/{id}/archive", ArchiveAsync).WithTags("Meetings")
            .WithSummary("The meeting for the archive as a ZIP: minutes (HTML, JSON), each item's documents in a folder per item, manifest.json with sizes and SHA-256; the committee's secretaries and admins")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>
    /// The same export for the meeting page's button: the API answers only to Basic credentials, a browser's link
    /// carries the sign-in cookie. A GET whose only effect is its audit entry, so the cookie's cross-site rules are enough.
    /// </summary>
    public static WebApplication MapMeetingArchiveDownloads(this WebApplication app)
    {
        app.MapGet("/meetings/{id}/archive", ArchiveAsync).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Who may export, and what goes in, is settled before anything is written, so a refusal is a problem answer. The ZIP
    /// goes to a temporary file first: System.IO.Compression still writes synchronously when it closes an entry (even
    /// through OpenAsync and DisposeAsync), which Kestrel refuses on a response body. The file holds one document at a
    /// time on its way, never the archive in memory; and a failure halfway is a 500, not a truncated download, and the
    /// answer has its Content-Length. The file is gone when the answer is sent, or fails.
    /// </summary>
    private static async Task<IResult> ArchiveAsync(Guid id, ExportMeetingArchive export, HttpContext http, CancellationToken cancellationToken)
    {
        var plan = await export.PrepareAsync(http.User.ToCaller(), id, cancellationToken);
        var file = new FileStream(Path.Combine(Path.GetTempPath(), Path.GetRandomFileName()), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
            81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await export.WriteAsync(plan, file, cancellationToken);
            file.Position = 0;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }

        // Non-public items' documents may be in it: no shared cache keeps a copy.
        http.Response.Headers.CacheControl = "private, no-store";
        http.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        return TypedResults.Stream(file, "application/zip", plan.FileName);
    }
}
