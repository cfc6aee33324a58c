using System.Diagnostics;
using System.Text;

namespace DeliberationFlow.Tests.Infrastructure;

/// <summary>
/// The built server (src/DeliberationFlow.Server) started as its own process, as an operator starts it, with its
/// standard output and error collected.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(IEnumerable<string> arguments)
    {
        var serverDll = LocateBuild();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments.Prepend(serverDll))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>What the process has printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ServerProcess Start(params string[] arguments) => new(arguments);

    /// <summary>Runs one of the server's verbs (import-oparl, add-user) on the embedded database under <paramref name="dataPath"/> to its end.</summary>
    public static async Task<(int ExitCode, string Output)> RunVerbAsync(string dataPath, params string[] arguments)
    {
        await using var server = Start([.. arguments, "--Storage:DataPath", dataPath, "--Scheduling:RunServer", "false"]);
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(120));
        return (exitCode, server.Output);
    }

    /// <summary>Waits for the process to end by itself; fails the test if it has not within the time given.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"The server process did not end within {timeout.TotalSeconds:F0} s. Output:\n{Output}");
        }

        _process.WaitForExit(); // the output handlers have run
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string LocateBuild()
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
}
