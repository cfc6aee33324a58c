using System.Net;
using System.Text.Json.Nodes;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// Behind a proxy that ends TLS, as deploy/README.md describes it: with ASP.NET Core's forwarded headers switched on
/// (ASPNETCORE_FORWARDEDHEADERS_ENABLED), the service knows a request came over HTTPS, names https in its OParl URLs and
/// can refuse Basic credentials that travelled in plain text.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class ProxyTests
{
    [Fact]
    public async Task BehindATlsProxy_TheForwardedSchemeCounts_ForOParlUrls_AndForBasicCredentials()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await TestApp.StartAsync(DatabaseProvider.Sqlite, Berlin.Clock(2021, 4, 1, 9), settings: new Dictionary<string, string>
        {
            ["FORWARDEDHEADERS_ENABLED"] = "true",
            ["Authentication:AllowBasicOverHttp"] = "false",
        });

        using var admin = test.ClientFor("admin");
        // Credentials that came in plain text are refused, and the answer says the request came the wrong way.
        Assert.Equal(HttpStatusCode.MisdirectedRequest, (await admin.GetAsync("/api/committees", ct)).StatusCode);
        using (var overTls = new HttpRequestMessage(HttpMethod.Get, "/api/committees"))
        {
            overTls.Headers.Add("X-Forwarded-Proto", "https");
            Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(overTls, ct)).StatusCode);
        }

        using var portal = test.App.CreateClient();
        using var system = new HttpRequestMessage(HttpMethod.Get, "/oparl/system");
        system.Headers.Add("X-Forwarded-Proto", "https");
        var response = await portal.SendAsync(system, ct);
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        var id = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!["id"]!;
        Assert.StartsWith("https://", id, StringComparison.Ordinal);
    }
}
