using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using DeliberationFlow.Tests.Infrastructure;

namespace DeliberationFlow.Tests.Integration;

/// <summary>The service as a person starts it: its own process, the embedded default, nothing configured.</summary>
public sealed class ServerProcessTests
{
    [Fact]
    public async Task Server_OnTheEmbeddedDefault_IsReadyWithin30Seconds_AndServesTheDemoPaper()
    {
        var dataPath = Directory.CreateTempSubdirectory("deliberationflow-process-").FullName;
        var port = FreePort();
        await using var server = ServerProcess.Start("--urls", $"http://127.0.0.1:{port}", "--Storage:DataPath", dataPath);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var deadline = Stopwatch.StartNew();
        HttpStatusCode? ready = null;
        while (deadline.Elapsed < TimeSpan.FromSeconds(30) && ready != HttpStatusCode.OK && !server.HasExited)
        {
            try
            {
                ready = (await http.GetAsync("/health/ready")).StatusCode;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(250);
            }
        }

        Assert.True(ready == HttpStatusCode.OK, $"Not ready within 30 s (last status {ready}). Output:\n{server.Output}");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:demo")));
        var paper = await http.GetStringAsync("/api/papers/by-reference/21-15513-01");
        Assert.Contains("zur Kenntnis genommen", paper, StringComparison.Ordinal);
        Assert.Contains("Demo accounts (sign in at http://", server.Output, StringComparison.Ordinal);
        Assert.Contains("/account/signin; the API takes the same with HTTP Basic):", server.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dataPath, "deliberationflow.db")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
