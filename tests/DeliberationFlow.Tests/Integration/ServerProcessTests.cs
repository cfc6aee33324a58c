using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace DeliberationFlow.Tests.Integration;

/// <summary>The service as a person starts it: its own process, the embedded default, nothing configured.</summary>
public sealed class ServerProcessTests
{
    [Fact]
    public async Task Server_OnTheEmbeddedDefault_IsReadyWithin30Seconds_AndServesTheDemoPaper()
    {
        var serverDll = LocateServerBuild();
        var dataPath = Directory.CreateTempSubdirectory("deliberationflow-process-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { serverDll, "--urls", $"http://127.0.0.1:{port}", "--Storage:DataPath", dataPath })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var deadline = Stopwatch.StartNew();
            HttpStatusCode? ready = null;
            while (deadline.Elapsed < TimeSpan.FromSeconds(30) && ready != HttpStatusCode.OK && !process.HasExited)
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

            Assert.True(ready == HttpStatusCode.OK, $"Not ready within 30 s (last status {ready}). Output:\n{output}");
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:demo")));
            var paper = await http.GetStringAsync("/api/papers/by-reference/21-15513-01");
            Assert.Contains("zur Kenntnis genommen", paper, StringComparison.Ordinal);
            lock (output)
            {
                Assert.Contains("Demo accounts", output.ToString(), StringComparison.Ordinal);
            }

            Assert.True(File.Exists(Path.Combine(dataPath, "deliberationflow.db")));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static string LocateServerBuild()
    {
        // tests/DeliberationFlow.Tests/bin/<Configuration>/net10.0/ → src/DeliberationFlow.Server/bin/<Configuration>/net10.0/
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "DeliberationFlow.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var dll = Path.Combine(root.FullName, "src", "DeliberationFlow.Server", "bin", configuration, framework, "DeliberationFlow.Server.dll");
        Assert.True(File.Exists(dll), $"The server build is missing at {dll}; build the solution first.");
        return dll;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
