using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.OParl;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static DeliberationFlow.Tests.OParl.RemoteOParlObjects;

namespace DeliberationFlow.Tests.OParl;

/// <summary>
/// An import reads a server for at most <c>OParl:Import:TimeLimit</c> in all: a source of 20,000 pages, each taking up to
/// its two minutes, would otherwise hold one request for weeks. Then it stops reading, imports what it read (whole, in its
/// one transaction) and says where it stopped.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class OParlImportTimeLimitTests
{
    [Fact]
    public async Task ReadingStopsAtTheTimeLimit_WhatWasReadIsImported_AndTheReportAndTheRecordSayWhereTheImportWasCutShort()
    {
        // A slow source: each page of the committees takes a minute of the service's clock, and there are eight of them.
        await using var remote = await RemoteOParlServer.StartAsync();
        var organizations = remote.Url("/oparl/body/1/organizations");
        remote.Serve("/oparl/body/1", Body(remote, organizations, remote.Url("/oparl/body/1/persons")));
        FakeTimeProvider? clock = null;
        for (var page = 1; page <= 8; page++)
        {
            var list = ListPage(page < 8 ? $"{organizations}?page={page + 1}" : null, Organization(remote, $"{page}", $"Ausschuss {page}"));
            remote.Answer(page == 1 ? "/oparl/body/1/organizations" : $"/oparl/body/1/organizations?page={page}", async context =>
            {
                clock!.Advance(TimeSpan.FromMinutes(1));
                try
                {
                    context.Response.ContentType = "application/json; charset=utf-8";
                    await context.Response.WriteAsync(list.ToJsonString(), context.RequestAborted);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException)
                {
                    // The import gave up on this page.
                }
            });
        }

        remote.Serve("/oparl/body/1/persons", ListPage(Person(remote, "1", "Anna Beispiel", "1")));
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 11, 10, 9),
            settings: new Dictionary<string, string> { ["OParl:Import:AllowedNetworks:0"] = "127.0.0.0/8", ["OParl:Import:TimeLimit"] = "00:05:00" });
        clock = test.Clock;
        var admin = test.ClientFor("admin-wf");

        var response = await admin.PostAsJsonAsync("/api/oparl/import", new ImportOParlRequest(remote.Url("/oparl/body/1")));
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        var report = (await response.Content.ReadFromJsonAsync<OParlImportReport>())!;

        // Four pages in four minutes; the fifth is cut off at the fifth minute, within its own two, and nothing is read after it.
        var fifth = $"{organizations}?page=5";
        Assert.Equal(new OParlImportCounts(4, 0, 0, 0), report.Counts["Organization"]);
        Assert.False(report.Counts.ContainsKey("Person"));
        Assert.Equal([new OParlNotRead(fifth, "not read, nor any page after it: the import's time limit of 5 minutes (OParl:Import:TimeLimit) was reached")], report.NotRead);
        Assert.Equal($"Reading stopped at {fifth}, as the import's time limit of 5 minutes (OParl:Import:TimeLimit) was reached: that page, the rest of its list "
                     + "and the lists after it were not read. What was read before it is imported.", report.CutShort);
        Assert.Equal(["/oparl/body/1", "/oparl/body/1/organizations", "/oparl/body/1/organizations?page=2", "/oparl/body/1/organizations?page=3",
            "/oparl/body/1/organizations?page=4", "/oparl/body/1/organizations?page=5"], remote.Requests);

        // What was read is there, saved with its links, and the Änderungsprotokoll says the import ended early and where.
        var names = await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var bodyId = await db.Bodies.Where(b => b.Key == "wolfenbuettel").Select(b => b.Id).SingleAsync();
            var linked = await db.OParlSourceLinks.Where(l => l.BodyId == bodyId && l.Kind == "Organization").Select(l => l.EntityId).ToListAsync();
            return await db.Organizations.Where(o => linked.Contains(o.Id)).OrderBy(o => o.Name).Select(o => o.Name).ToListAsync();
        });
        Assert.Equal(["Ausschuss 1", "Ausschuss 2", "Ausschuss 3", "Ausschuss 4"], names);
        var record = Assert.Single((await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=import"))!.Entries);
        Assert.EndsWith($"; nicht gelesen: 1; vorzeitig beendet, ab {fifth} nicht gelesen.", record.Message, StringComparison.Ordinal);

        // A source read to its end within the limit is not cut short.
        for (var page = 1; page <= 8; page++)
        {
            remote.Serve(page == 1 ? "/oparl/body/1/organizations" : $"/oparl/body/1/organizations?page={page}",
                ListPage(page < 8 ? $"{organizations}?page={page + 1}" : null, Organization(remote, $"{page}", $"Ausschuss {page}")));
        }

        var whole = await admin.PostAsJsonAsync("/api/oparl/import", new ImportOParlRequest(remote.Url("/oparl/body/1")));
        var wholeReport = (await whole.Content.ReadFromJsonAsync<OParlImportReport>())!;
        Assert.Null(wholeReport.CutShort);
        Assert.Empty(wholeReport.NotRead);
        Assert.Equal(new OParlImportCounts(4, 0, 4, 0), wholeReport.Counts["Organization"]);
        Assert.Equal(new OParlImportCounts(1, 0, 0, 0), wholeReport.Counts["Person"]);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:10:00")]
    public void ATimeLimitThatIsNoPositiveSpan_StopsStartUp_NamingIt(string limit)
    {
        var dataPath = DeliberationFlowApp.NewDataPath();
        using var app = new DeliberationFlowApp(DatabaseProvider.Sqlite, DeliberationFlowApp.SqliteConnectionString(dataPath), Berlin.Clock(2026, 9, 1, 9), 25, dataPath,
            settings: new Dictionary<string, string> { ["OParl:Import:TimeLimit"] = limit });

        var failure = Assert.ThrowsAny<Exception>(() => app.Server);
        var message = failure is Microsoft.Extensions.Options.OptionsValidationException ? failure.Message : failure.ToString();
        Assert.Contains($"OParl:Import:TimeLimit must be longer than zero (e.g. 01:00:00 for an hour); it is {TimeSpan.Parse(limit, System.Globalization.CultureInfo.InvariantCulture)}.",
            message, StringComparison.Ordinal);
    }
}
