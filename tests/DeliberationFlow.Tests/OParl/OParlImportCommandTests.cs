using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;

namespace DeliberationFlow.Tests.OParl;

/// <summary>The import as an operator runs it: the server's <c>import-oparl</c> verb in its own process, on the embedded default.</summary>
public sealed class OParlImportCommandTests
{
    [Fact]
    public async Task ImportOParlVerb_ImportsTheKarlsruheFilesIntoANewBody_PrintsTheReport_AndEnds()
    {
        var dataPath = Directory.CreateTempSubdirectory("deliberationflow-import-").FullName;
        try
        {
            var (exitCode, output) = await RunServerAsync(dataPath, "import-oparl", OParlFiles.Karlsruhe, "--body", "karlsruhe");
            Assert.True(exitCode == 0, output);
            Assert.Contains($"OParl import from {OParlFiles.Karlsruhe} into body 'karlsruhe' (new):", output, StringComparison.Ordinal);
            Assert.Matches(@"Paper\s+created\s+2\s+updated\s+0\s+unchanged\s+1\s+deleted\s+0", output);
            Assert.Matches(@"Consultation\s+created\s+\d+", output);
            Assert.Contains("not mapped: Consultation: its paper is not in the source", output, StringComparison.Ordinal);

            // Again: found by OParl id, nothing created.
            var (againCode, again) = await RunServerAsync(dataPath, "import-oparl", OParlFiles.Karlsruhe, "--body", "karlsruhe");
            Assert.True(againCode == 0, again);
            Assert.Matches(@"Paper\s+created\s+0\s+updated\s+0\s+unchanged\s+3", again);

            await using var db = new SqliteConnection($"Data Source={Path.Combine(dataPath, "deliberationflow.db")};Pooling=false");
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT count(*) FROM papers p JOIN bodies b ON b.id = p.body_id WHERE b.key = 'karlsruhe'";
            Assert.Equal(2L, (long)(await command.ExecuteScalarAsync())!);

            var (usageCode, usage) = await RunServerAsync(dataPath, "import-oparl");
            Assert.Equal(2, usageCode);
            Assert.Contains("Usage: import-oparl", usage, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataPath, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunServerAsync(string dataPath, params string[] arguments)
    {
        var serverDll = LocateServerBuild();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { serverDll }.Concat(arguments).Concat(["--Storage:DataPath", dataPath, "--Scheduling:RunServer", "false"]))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"import-oparl did not end within 120 s. Output:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    private static string LocateServerBuild()
    {
        // tests/DeliberationFlow.Tests/bin/<Configuration>/net10.0/ → src/DeliberationFlow.Server/bin/<Configuration>/net10.0/
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "DeliberationFlow.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var dll = Path.Combine(root.FullName, "src", "DeliberationFlow.Server", "bin", here.Parent!.Name, here.Name, "DeliberationFlow.Server.dll");
        Assert.True(File.Exists(dll), $"The server build is missing at {dll}; build the solution first.");
        return dll;
    }
}
