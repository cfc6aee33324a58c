using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.OParl;
using DeliberationFlow.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Server.OParl;

/// <summary>
/// <c>import-oparl &lt;url-or-folder&gt; [--body key]</c>: imports another system's OParl data into a body (created when the
/// key is new, named after the source's Body), prints the report and ends, instead of starting the server.
/// </summary>
public static class OParlImportCommand
{
    public const string Verb = "import-oparl";

    /// <summary>The import ended early (its time limit, the bound of pages): what was read is imported, the rest of the source is not.</summary>
    public const int CutShortExitCode = 3;

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Verb;

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"Usage: {Verb} <OParl URL or folder of OParl JSON files> [--body <key>]");
            return 2;
        }

        var bodyIndex = Array.IndexOf(args, "--body");
        var key = bodyIndex > 0 && bodyIndex + 1 < args.Length ? args[bodyIndex + 1] : null;

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var bodies = await db.Bodies.OrderBy(b => b.Key).ToListAsync();
        var body = key is null ? (bodies.Count == 1 ? bodies[0] : null) : bodies.FirstOrDefault(b => b.Key == key);
        var created = false;
        if (body is null && key is null)
        {
            await Console.Error.WriteLineAsync($"Name the body to import into with --body <key>; existing bodies: {string.Join(", ", bodies.Select(b => b.Key))} (a new key creates one).");
            return 2;
        }

        if (body is null)
        {
            var now = clock.GetUtcNow();
            body = new Body { Id = Guid.CreateVersion7(now), Key = key!, Name = key!, Created = now, Modified = now };
            db.Bodies.Add(body);
            await db.SaveChangesAsync();
            created = true;
        }

        OParlImportReport report;
        try
        {
            report = await scope.ServiceProvider.GetRequiredService<ImportOParl>()
                .HandleAsync(body.Id, new ImportOParlRequest(args[1]), adoptBodyName: created, $"import-oparl ({Environment.UserName})", CancellationToken.None);
        }
        catch (RequestValidationException ex)
        {
            // A start URL that cannot be read (or refused, or no folder): what the API answers with 400, said without a stack trace.
            foreach (var (field, messages) in ex.Errors)
            {
                await Console.Error.WriteLineAsync($"{Verb}: {field}: {string.Join(" ", messages)}");
            }

            // Nothing was imported: a body created for this import is not left behind empty.
            if (created)
            {
                db.Bodies.Remove(body);
                await db.SaveChangesAsync();
            }

            return 1;
        }

        Console.WriteLine($"OParl import from {report.Source} into body '{body.Key}'{(created ? " (new)" : "")}:");
        foreach (var (type, counts) in report.Counts)
        {
            Console.WriteLine($"  {type,-16} created {counts.Created,5}  updated {counts.Updated,5}  unchanged {counts.Unchanged,5}  deleted {counts.Deleted,5}");
        }

        foreach (var line in report.Unmapped)
        {
            Console.WriteLine($"  not mapped: {line}");
        }

        foreach (var page in report.NotRead)
        {
            Console.WriteLine($"  not read: {page.Url}: {page.Reason}");
        }

        foreach (var (role, count) in report.UnmappedRoles)
        {
            Console.WriteLine($"  role kept as written, normalised to unknown: \"{role}\" ({count}×)");
        }

        foreach (var (result, count) in report.UnmappedResults)
        {
            Console.WriteLine($"  result kept as written, no normalised outcome: \"{result}\" ({count}×)");
        }

        if (report.CutShort is not null)
        {
            // What was read is imported and consistent; a script running the import learns by the exit code that it is not all.
            Console.WriteLine($"  cut short: {report.CutShort}");
            return CutShortExitCode;
        }

        return 0;
    }
}
