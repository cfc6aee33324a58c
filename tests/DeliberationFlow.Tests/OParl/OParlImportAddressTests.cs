using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.OParl;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static DeliberationFlow.Tests.OParl.RemoteOParlObjects;

namespace DeliberationFlow.Tests.OParl;

/// <summary>
/// The import reads only from the public internet, unless the operator allows a network: neither an admin's URL nor the
/// links of a remote server's graph make this server read its loopback, the cloud metadata service or the intranet.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class OParlImportAddressTests
{
    private static readonly Dictionary<string, string> LoopbackAllowed = new() { ["OParl:Import:AllowedNetworks:0"] = "127.0.0.0/8" };

    [Fact]
    public async Task AServerOnTheLoopback_IsRefusedWith400NamingSource_NothingIsImported_AndNoRequestReachesIt()
    {
        await using var remote = await RemoteOParlServer.StartAsync();
        remote.Serve("/oparl/body/1", Body(remote, organization: remote.Url("/oparl/body/1/organizations")));
        remote.Serve("/oparl/body/1/organizations", ListPage(Organization(remote, "1", "Hauptausschuss")));
        await using var test = await TestApp.StartAsync(DatabaseProvider.Sqlite, Berlin.Clock(2026, 9, 1, 9));
        var admin = test.ClientFor("admin-wf");

        var response = await admin.PostAsJsonAsync("/api/oparl/import", new ImportOParlRequest(remote.Url("/oparl/body/1")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var message = SourceError(JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
        Assert.Equal(
            $"{remote.Url("/oparl/body/1")}: 127.0.0.1 is in a private network (loopback); the import reads only from the public internet, but an operator can allow it with OParl:Import:AllowedNetworks.",
            message);

        Assert.Empty(remote.Requests);
        Assert.Equal(0, (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=import"))!.Total);
        Assert.Equal(0, await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().OParlSourceLinks.CountAsync()));
    }

    [Fact]
    public async Task WithTheLoopbackAllowed_ItIsImported_ButLinksOfItsGraphThatPointInward_AreReportedAndNotFetched()
    {
        await using var remote = await RemoteOParlServer.StartAsync();
        remote.Serve("/oparl/body/1", Body(remote,
            organization: remote.Url("/oparl/body/1/organizations"),
            person: "http://10.0.0.1/oparl/body/1/persons",
            meeting: remote.Url("/redirect/inward"),
            paper: "http://169.254.169.254/latest/meta-data/"));
        var organizations = ListPage(Organization(remote, "1", "Hauptausschuss"));
        organizations["links"] = new JsonObject { ["next"] = "http://[fd00::1]/oparl/body/1/organizations?page=2" };
        remote.Serve("/oparl/body/1/organizations", organizations);
        remote.Redirect("/redirect/inward", "http://[::ffff:10.0.0.1]/oparl/body/1/meetings");
        await using var test = await TestApp.StartAsync(DatabaseProvider.Sqlite, Berlin.Clock(2026, 9, 1, 9), settings: LoopbackAllowed);
        var admin = test.ClientFor("admin-wf");

        var response = await admin.PostAsJsonAsync("/api/oparl/import", new ImportOParlRequest(remote.Url("/oparl/body/1")));
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        var report = (await response.Content.ReadFromJsonAsync<OParlImportReport>())!;
        Assert.Equal(new OParlImportCounts(1, 0, 0, 0), report.Counts["Organization"]);

        // Each refused link is a line of what was not read, as a page that answers an error is, with the reason and what to do.
        const string Advice = "the import reads only from the public internet, but an operator can allow it with OParl:Import:AllowedNetworks.";
        Assert.Equal(
            [
                new OParlNotRead("http://[fd00::1]/oparl/body/1/organizations?page=2",
                    $"fd00::1 is in a private network (unique local, fc00::/7); {Advice}; the list {remote.Url("/oparl/body/1/organizations")} ends after the 1 page(s) read before it"),
                new OParlNotRead("http://10.0.0.1/oparl/body/1/persons", $"10.0.0.1 is in a private network (RFC 1918); {Advice}"),
                new OParlNotRead(remote.Url("/redirect/inward"), $"redirected to http://[::ffff:10.0.0.1]/oparl/body/1/meetings: 10.0.0.1 is in a private network (RFC 1918); {Advice}"),
                new OParlNotRead("http://169.254.169.254/latest/meta-data/", $"169.254.169.254 is in a private network (link-local, where cloud metadata services answer); {Advice}"),
            ],
            report.NotRead);
        Assert.Empty(report.Unmapped);

        // Only the loopback server was asked; the redirect into the intranet was not followed.
        Assert.Equal(["/oparl/body/1", "/oparl/body/1/organizations", "/redirect/inward"], remote.Requests);
        Assert.Equal(1, (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=import"))!.Total);
    }

    [Fact]
    public async Task AStartUrlThatRedirectsInward_OrToAnotherScheme_IsRefusedWith400()
    {
        await using var remote = await RemoteOParlServer.StartAsync();
        remote.Redirect("/oparl/system", "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
        remote.Redirect("/oparl/files", "file:///etc/passwd");
        await using var test = await TestApp.StartAsync(DatabaseProvider.Sqlite, Berlin.Clock(2026, 9, 1, 9), settings: LoopbackAllowed);
        var admin = test.ClientFor("admin-wf");

        var metadata = await admin.PostAsJsonAsync("/api/oparl/import", new ImportOParlRequest(remote.Url("/oparl/system")));
        Assert.Equal(HttpStatusCode.BadRequest, metadata.StatusCode);
        Assert.StartsWith($"{remote.Url("/oparl/system")}: redirected to http://169.254.169.254/latest/meta-data/iam/security-credentials/: 169.254.169.254 is in a private network (link-local",
            SourceError(JsonNode.Parse(await metadata.Content.ReadAsStringAsync())!), StringComparison.Ordinal);

        // A Location of another scheme is not followed.
        var file = await admin.PostAsJsonAsync("/api/oparl/import", new ImportOParlRequest(remote.Url("/oparl/files")));
        Assert.Equal(HttpStatusCode.BadRequest, file.StatusCode);
        Assert.Equal($"{remote.Url("/oparl/files")}: redirected to file:///etc/passwd, which the import does not follow: only http(s) URLs, and none from https down to http.",
            SourceError(JsonNode.Parse(await file.Content.ReadAsStringAsync())!));

        Assert.Equal(["/oparl/system", "/oparl/files"], remote.Requests);
        Assert.Equal(0, (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=import"))!.Total);
    }

    [Fact]
    public void InvalidAllowedNetworks_StopStartUp_NamingEachEntry()
    {
        var dataPath = DeliberationFlowApp.NewDataPath();
        using var app = new DeliberationFlowApp(DatabaseProvider.Sqlite, DeliberationFlowApp.SqliteConnectionString(dataPath), Berlin.Clock(2026, 9, 1, 9), 25, dataPath,
            settings: new Dictionary<string, string>
            {
                ["OParl:Import:AllowedNetworks:0"] = "10.20.0.0/16",
                ["OParl:Import:AllowedNetworks:1"] = "10.20.0.1/16",
                ["OParl:Import:AllowedNetworks:2"] = "ris intranet",
            });

        var failure = Assert.ThrowsAny<Exception>(() => app.Server);
        var message = failure is Microsoft.Extensions.Options.OptionsValidationException ? failure.Message : failure.ToString();
        Assert.Contains("OParl:Import:AllowedNetworks entry '10.20.0.1/16' is not a CIDR range", message, StringComparison.Ordinal);
        Assert.Contains("OParl:Import:AllowedNetworks entry 'ris intranet' is neither a CIDR range, an IP address nor a host name", message, StringComparison.Ordinal);
        Assert.DoesNotContain("'10.20.0.0/16'", message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dataPath, "test.db")), "start-up stopped before the database was touched");
    }

    private static string SourceError(JsonNode problem) => (string)Assert.Single(problem["errors"]!["source"]!.AsArray())!;
}
