using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.OParl;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static DeliberationFlow.Tests.OParl.RemoteOParlObjects;

namespace DeliberationFlow.Tests.OParl;

/// <summary>
/// A real RIS has broken pages deep in its graph (a 404 or 500, an HTML maintenance page, a redirect loop, a page that never
/// ends): the import brings everything it can read and names each page it could not, with its URL and why; a later import
/// brings what was missing once the source has mended it. Only a start URL that cannot be read refuses the import.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class OParlImportBrokenSourceTests
{
    private static readonly Dictionary<string, string> LoopbackAllowed = new() { ["OParl:Import:AllowedNetworks:0"] = "127.0.0.0/8" };

    /// <summary>A port nothing listens on: connecting to it is refused at once.</summary>
    private const string Closed = "http://127.0.0.1:1";

    [Fact]
    public async Task BrokenPagesDeepInTheGraph_AreEachReportedWithUrlAndReason_AndEverythingReadableIsImported()
    {
        await using var remote = await RemoteOParlServer.StartAsync();
        var organizations = remote.Url("/oparl/body/1/organizations");
        var papers = remote.Url("/oparl/body/1/papers");
        remote.Serve("/oparl/system", new JsonObject
        {
            ["id"] = remote.Url("/oparl/system"), ["type"] = "https://schema.oparl.org/1.1/System", ["oparlVersion"] = "https://schema.oparl.org/1.1/",
            ["body"] = remote.Url("/oparl/bodies"),
        });
        remote.Serve("/oparl/bodies", ListPage(
            Body(remote, organizations, remote.Url("/oparl/body/1/persons"), remote.Url("/oparl/body/1/meetings"), papers),
            Body(remote, remote.Url("/oparl/body/2/organizations"), paper: $"{Closed}/oparl/body/2/papers", id: "2")));

        // Page 1 of the committees is read, page 2 fails with an OParl error object.
        remote.Serve("/oparl/body/1/organizations", ListPage($"{organizations}?page=2", Organization(remote, "1", "Rat"), Organization(remote, "2", "Bauausschuss")));
        remote.Fail("/oparl/body/1/organizations?page=2", StatusCodes.Status500InternalServerError, "Datenbankfehler");

        // A person where the list of persons should be; a maintenance page with 200.
        remote.Serve("/oparl/body/1/persons", Person(remote, "1", "Anna Beispiel", "1"));
        remote.ServeText("/oparl/body/1/meetings", "text/html", "<html><body>Wartungsarbeiten</body></html>");

        // Page 1 of the papers is read, page 2 redirects to itself. On page 1, a step without id and an object whose type is a number.
        var withoutId = Paper(remote, "2", "2021-0002", "1");
        withoutId["consultation"]![0]!.AsObject().Remove("id");
        var numbered = Paper(remote, "3", "2021-0003", "1");
        numbered["type"] = 5;
        remote.Serve("/oparl/body/1/papers", ListPage($"{papers}?page=2", Paper(remote, "1", "2021-0001", "1"), withoutId, numbered));
        remote.Redirect("/oparl/body/1/papers?page=2", $"{papers}?page=2");

        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 11, 10, 9), settings: LoopbackAllowed);
        var admin = test.ClientFor("admin-wf");
        var report = await ImportAsync(admin, remote.Url("/oparl/system"));

        Assert.Equal(new OParlImportCounts(2, 0, 0, 0), report.Counts["Organization"]);
        Assert.Equal(new OParlImportCounts(2, 0, 0, 0), report.Counts["Paper"]);
        Assert.Equal(new OParlImportCounts(1, 0, 0, 0), report.Counts["Consultation"]);
        Assert.Equal(2, report.Unmapped.Count(u => u.StartsWith("An object without id or type was skipped: ", StringComparison.Ordinal)));
        Assert.False(report.Counts.ContainsKey("Person"));
        Assert.Equal(6, report.NotRead.Count);
        Assert.Equal(
            [
                new OParlNotRead($"{organizations}?page=2", $"answered 500 Internal Server Error: Datenbankfehler; the list {organizations} ends after the 1 page(s) read before it"),
                new OParlNotRead(remote.Url("/oparl/body/1/persons"), "answered no OParl list page: it has no data array"),
                new OParlNotRead(remote.Url("/oparl/body/1/meetings"), "answered no JSON (text/html): '<' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0."),
                new OParlNotRead($"{papers}?page=2", $"redirects in a loop (back to {papers}?page=2); the list {papers} ends after the 1 page(s) read before it"),
                new OParlNotRead(remote.Url("/oparl/body/2/organizations"), "answered 404 Not Found"),
            ],
            report.NotRead.Take(5));
        Assert.Equal($"{Closed}/oparl/body/2/papers", report.NotRead[5].Url);
        Assert.StartsWith("could not be reached: Connection refused", report.NotRead[5].Reason, StringComparison.Ordinal);

        // What was read is there, with its Beratungsfolge; the Änderungsprotokoll says that pages were not read.
        var paper = await test.GetPaperByReferenceAsync("2021-0001", "admin-wf");
        Assert.Equal("Rat", Assert.Single(paper.Consultations).Committee.Name);
        Assert.Empty((await test.GetPaperByReferenceAsync("2021-0002", "admin-wf")).Consultations);
        var record = Assert.Single((await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=import"))!.Entries);
        Assert.EndsWith("; nicht gelesen: 6.", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARunAfterTheSourceMendedAPage_BringsWhatWasMissing_AndDuplicatesNothing()
    {
        await using var remote = await RemoteOParlServer.StartAsync();
        var organizations = remote.Url("/oparl/body/1/organizations");
        remote.Serve("/oparl/body/1", Body(remote, organizations, remote.Url("/oparl/body/1/persons"), remote.Url("/oparl/body/1/meetings"), remote.Url("/oparl/body/1/papers")));
        remote.Serve("/oparl/body/1/organizations", ListPage($"{organizations}?page=2", Organization(remote, "1", "Rat")));
        remote.Fail("/oparl/body/1/organizations?page=2", StatusCodes.Status502BadGateway);
        remote.Serve("/oparl/body/1/persons", ListPage(Person(remote, "1", "Anna Beispiel", "2")));
        remote.Serve("/oparl/body/1/meetings", ListPage(Meeting(remote, "1", "1. Sitzung des Bauausschusses", "2", "2021-11-03T17:00:00+01:00")));
        remote.Serve("/oparl/body/1/papers", ListPage(Paper(remote, "1", "2021-0001", "2")));
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 11, 10, 9), settings: LoopbackAllowed);
        var admin = test.ClientFor("admin-wf");

        // The Bauausschuss is on the page that fails: its member's seat, its meeting and its step of the paper wait for it.
        var first = await ImportAsync(admin, remote.Url("/oparl/body/1"));
        Assert.Equal([new OParlNotRead($"{organizations}?page=2", $"answered 502 Bad Gateway; the list {organizations} ends after the 1 page(s) read before it")], first.NotRead);
        Assert.Equal(new OParlImportCounts(1, 0, 0, 0), first.Counts["Organization"]);
        Assert.Equal(new OParlImportCounts(1, 0, 0, 0), first.Counts["Person"]);
        Assert.Equal(new OParlImportCounts(1, 0, 0, 0), first.Counts["Paper"]);
        Assert.False(first.Counts.ContainsKey("Meeting"));
        Assert.False(first.Counts.ContainsKey("Membership"));
        Assert.False(first.Counts.ContainsKey("Consultation"));
        Assert.Contains(first.Unmapped, u => u.StartsWith("Meeting: its organization is not in the source", StringComparison.Ordinal));

        // The source mends the page: the next import brings it and what hung on it, and finds the rest again by OParl id.
        remote.Serve("/oparl/body/1/organizations?page=2", ListPage(Organization(remote, "2", "Bauausschuss")));
        var second = await ImportAsync(admin, remote.Url("/oparl/body/1"));
        Assert.Empty(second.NotRead);
        Assert.Empty(second.Unmapped);
        Assert.Equal(new OParlImportCounts(1, 0, 1, 0), second.Counts["Organization"]);
        Assert.Equal(new OParlImportCounts(0, 0, 1, 0), second.Counts["Person"]);
        Assert.Equal(new OParlImportCounts(0, 0, 1, 0), second.Counts["Paper"]);
        Assert.Equal(new OParlImportCounts(1, 0, 0, 0), second.Counts["Membership"]);
        Assert.Equal(new OParlImportCounts(1, 0, 0, 0), second.Counts["Meeting"]);
        Assert.Equal(new OParlImportCounts(1, 0, 0, 0), second.Counts["Consultation"]);

        var third = await ImportAsync(admin, remote.Url("/oparl/body/1"));
        Assert.All(third.Counts.Values, c => Assert.Equal((0, 0, 0), (c.Created, c.Updated, c.Deleted)));

        var rows = await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var bodyId = await db.Bodies.Where(b => b.Key == "wolfenbuettel").Select(b => b.Id).SingleAsync();
            return (Organizations: await db.Organizations.CountAsync(o => o.BodyId == bodyId && (o.Name == "Rat" || o.Name == "Bauausschuss")),
                Persons: await db.Persons.CountAsync(p => p.BodyId == bodyId && p.Name == "Anna Beispiel"),
                Papers: await db.Papers.CountAsync(p => p.BodyId == bodyId && p.Reference == "2021-0001"));
        });
        Assert.Equal((2, 1, 1), rows);
        var paper = await test.GetPaperByReferenceAsync("2021-0001", "admin-wf");
        Assert.Equal("Bauausschuss", Assert.Single(paper.Consultations).Committee.Name);
    }

    [Fact]
    public async Task APageThatNeverEnds_IsReportedOnceTheBodysClockPassesTheTimeout()
    {
        await using var remote = await RemoteOParlServer.StartAsync();
        remote.Serve("/oparl/body/1", Body(remote, remote.Url("/oparl/body/1/organizations"), remote.Url("/oparl/body/1/persons")));
        remote.Hang("/oparl/body/1/organizations");
        remote.Serve("/oparl/body/1/persons", ListPage(Person(remote, "1", "Anna Beispiel", "1")));
        await using var test = await TestApp.StartAsync(DatabaseProvider.Sqlite, Berlin.Clock(2021, 11, 10, 9), settings: LoopbackAllowed);
        var admin = test.ClientFor("admin-wf");

        var import = admin.PostAsJsonAsync("/api/oparl/import", new ImportOParlRequest(remote.Url("/oparl/body/1")));
        await remote.RequestedAsync("/oparl/body/1/organizations");
        test.Clock.Advance(OParlSourceReader.RequestTimeout - TimeSpan.FromSeconds(1));
        Assert.False(import.IsCompleted, "the page still has time");
        test.Clock.Advance(TimeSpan.FromSeconds(1));

        var response = await import;
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        var report = (await response.Content.ReadFromJsonAsync<OParlImportReport>())!;
        Assert.Equal([new OParlNotRead(remote.Url("/oparl/body/1/organizations"), "did not answer within 2 minutes")], report.NotRead);
        Assert.Equal(new OParlImportCounts(1, 0, 0, 0), report.Counts["Person"]);
    }

    [Fact]
    public async Task AnOverLargePage_IsReportedWithoutBeingReadToItsEnd_AndNothingOfItIsImported()
    {
        await using var remote = await RemoteOParlServer.StartAsync();
        remote.Serve("/oparl/body/1", Body(remote, remote.Url("/oparl/body/1/organizations"), remote.Url("/oparl/body/1/persons")));

        // A list page that is valid JSON, but larger than the import reads, sent in chunks without a length beforehand.
        var sent = 0L;
        remote.Answer("/oparl/body/1/organizations", async context =>
        {
            context.Response.ContentType = "application/json";
            var organization = Organization(remote, "1", "Rat").ToJsonString();
            var filler = Encoding.UTF8.GetBytes(new string(' ', 64 * 1024));
            try
            {
                await context.Response.WriteAsync($"{{\"data\":[{organization}],\"links\":{{}},\"padding\":\"");
                while (sent <= OParlSourceReader.MaxResponseBytes)
                {
                    await context.Response.Body.WriteAsync(filler, context.RequestAborted);
                    sent += filler.Length;
                }

                await context.Response.WriteAsync("\"}");
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                // The import stopped reading and closed the connection.
            }
        });
        remote.Serve("/oparl/body/1/persons", ListPage(Person(remote, "1", "Anna Beispiel", "1")));
        await using var test = await TestApp.StartAsync(DatabaseProvider.Sqlite, Berlin.Clock(2021, 11, 10, 9), settings: LoopbackAllowed);
        var admin = test.ClientFor("admin-wf");

        var report = await ImportAsync(admin, remote.Url("/oparl/body/1"));
        Assert.Equal([new OParlNotRead(remote.Url("/oparl/body/1/organizations"), "answered more than 16 MB, the most the import reads of one page")], report.NotRead);
        Assert.False(report.Counts.ContainsKey("Organization"));
        Assert.Equal(new OParlImportCounts(1, 0, 0, 0), report.Counts["Person"]);
    }

    [Fact]
    public async Task AStartUrlThatCannotBeRead_IsRefusedWith400NamingSource_AndNothingIsImported()
    {
        await using var remote = await RemoteOParlServer.StartAsync();
        remote.ServeText("/oparl/html", "text/html; charset=utf-8", "<!DOCTYPE html><title>Ratsinformationssystem</title>");
        remote.Fail("/oparl/down", StatusCodes.Status503ServiceUnavailable, "Wartungsarbeiten bis 18 Uhr");
        remote.Serve("/oparl/other", new JsonObject { ["status"] = "ok" });
        remote.Redirect("/oparl/loop/a", remote.Url("/oparl/loop/b"));
        remote.Redirect("/oparl/loop/b", remote.Url("/oparl/loop/a"));
        await using var test = await TestApp.StartAsync(DatabaseProvider.Sqlite, Berlin.Clock(2021, 11, 10, 9), settings: LoopbackAllowed);
        var admin = test.ClientFor("admin-wf");

        foreach (var (url, reason) in new[]
                 {
                     (remote.Url("/oparl/html"), "answered no JSON (text/html): '<' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0."),
                     (remote.Url("/oparl/down"), "answered 503 Service Unavailable: Wartungsarbeiten bis 18 Uhr"),
                     (remote.Url("/oparl/other"), "answered JSON that is neither an OParl object (it has no type) nor a list page (it has no data)."),
                     (remote.Url("/oparl/loop/a"), $"redirects in a loop (back to {remote.Url("/oparl/loop/a")})"),
                     ($"{Closed}/oparl/system", "could not be reached: Connection refused"),
                 })
        {
            var response = await admin.PostAsJsonAsync("/api/oparl/import", new ImportOParlRequest(url));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.StartsWith($"{url}: {reason}", (string)Assert.Single(problem["errors"]!["source"]!.AsArray())!, StringComparison.Ordinal);
        }

        Assert.Equal(0, (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=import"))!.Total);
        Assert.Equal(0, await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().OParlSourceLinks.CountAsync()));
    }

    [Fact]
    public async Task ASourceWhoseEveryListFails_IsReadOnlyUpToTheBoundOfUnreadPages()
    {
        // Thirteen bodies with four lists each, none of which answers: 52 pages that fail, two more than the import tries.
        await using var remote = await RemoteOParlServer.StartAsync();
        remote.Serve("/oparl/system", new JsonObject
        {
            ["id"] = remote.Url("/oparl/system"), ["type"] = "https://schema.oparl.org/1.1/System", ["body"] = remote.Url("/oparl/bodies"),
        });
        var bodies = Enumerable.Range(1, 13).Select(i => Body(remote, remote.Url($"/oparl/body/{i}/organizations"), remote.Url($"/oparl/body/{i}/persons"),
            remote.Url($"/oparl/body/{i}/meetings"), remote.Url($"/oparl/body/{i}/papers"), id: $"{i}")).ToArray();
        remote.Serve("/oparl/bodies", ListPage(bodies));
        await using var test = await TestApp.StartAsync(DatabaseProvider.Sqlite, Berlin.Clock(2021, 11, 10, 9), settings: LoopbackAllowed);
        var admin = test.ClientFor("admin-wf");

        var report = await ImportAsync(admin, remote.Url("/oparl/system"));
        Assert.Equal(OParlSourceReader.MaxUnreadPages + 1, report.NotRead.Count);
        Assert.All(report.NotRead.Take(OParlSourceReader.MaxUnreadPages), n => Assert.Equal("answered 404 Not Found", n.Reason));
        Assert.Equal(new OParlNotRead(remote.Url("/oparl/body/13/meetings"),
                $"not read, nor any page after it: {OParlSourceReader.MaxUnreadPages} pages of this source could not be read, and the import stops reading there"),
            report.NotRead[^1]);
        Assert.Equal(2 + OParlSourceReader.MaxUnreadPages, remote.Requests.Count);
        Assert.Equal(new OParlImportCounts(13, 0, 0, 0), report.Counts["Body"]);
    }

    private static async Task<OParlImportReport> ImportAsync(HttpClient admin, string source)
    {
        var response = await admin.PostAsJsonAsync("/api/oparl/import", new ImportOParlRequest(source));
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<OParlImportReport>())!;
    }
}
