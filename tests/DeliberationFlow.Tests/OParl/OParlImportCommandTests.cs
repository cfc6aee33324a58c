using DeliberationFlow.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using static DeliberationFlow.Tests.OParl.RemoteOParlObjects;

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
            var (exitCode, output) = await ServerProcess.RunVerbAsync(dataPath, "import-oparl", OParlFiles.Karlsruhe, "--body", "karlsruhe");
            Assert.True(exitCode == 0, output);
            Assert.Contains($"OParl import from {OParlFiles.Karlsruhe} into body 'karlsruhe' (new):", output, StringComparison.Ordinal);
            Assert.Matches(@"Paper\s+created\s+2\s+updated\s+0\s+unchanged\s+1\s+deleted\s+0", output);
            Assert.Matches(@"Consultation\s+created\s+\d+", output);
            Assert.Contains("not mapped: Consultation: its paper is not in the source", output, StringComparison.Ordinal);

            // Again: found by OParl id, nothing created.
            var (againCode, again) = await ServerProcess.RunVerbAsync(dataPath, "import-oparl", OParlFiles.Karlsruhe, "--body", "karlsruhe");
            Assert.True(againCode == 0, again);
            Assert.Matches(@"Paper\s+created\s+0\s+updated\s+0\s+unchanged\s+3", again);

            await using var db = new SqliteConnection($"Data Source={Path.Combine(dataPath, "deliberationflow.db")};Pooling=false");
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT count(*) FROM papers p JOIN bodies b ON b.id = p.body_id WHERE b.key = 'karlsruhe'";
            Assert.Equal(2L, (long)(await command.ExecuteScalarAsync())!);

            var (usageCode, usage) = await ServerProcess.RunVerbAsync(dataPath, "import-oparl");
            Assert.Equal(2, usageCode);
            Assert.Contains("Usage: import-oparl", usage, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataPath, recursive: true);
        }
    }

    [Fact]
    public async Task ImportOParlVerb_PrintsEachPageItCouldNotRead_AndRefusesAStartUrlItCannotRead_WithoutLeavingANewBody()
    {
        await using var remote = await RemoteOParlServer.StartAsync();
        remote.Serve("/oparl/body/1", Body(remote, remote.Url("/oparl/body/1/organizations"), remote.Url("/oparl/body/1/persons")));
        remote.Serve("/oparl/body/1/organizations", ListPage(Organization(remote, "1", "Rat")));
        remote.Fail("/oparl/body/1/persons", StatusCodes.Status500InternalServerError, "Datenbankfehler");
        var dataPath = Directory.CreateTempSubdirectory("deliberationflow-import-").FullName;
        string[] loopbackAllowed = ["--OParl:Import:AllowedNetworks:0", "127.0.0.0/8"];
        try
        {
            var (exitCode, output) = await ServerProcess.RunVerbAsync(dataPath, ["import-oparl", remote.Url("/oparl/body/1"), "--body", "irgendwo", .. loopbackAllowed]);
            Assert.True(exitCode == 0, output);
            Assert.Matches(@"Organization\s+created\s+1\s", output);
            Assert.Contains($"not read: {remote.Url("/oparl/body/1/persons")}: answered 500 Internal Server Error: Datenbankfehler", output, StringComparison.Ordinal);

            var (refusedCode, refused) = await ServerProcess.RunVerbAsync(dataPath, ["import-oparl", remote.Url("/oparl/nowhere"), "--body", "anderswo", .. loopbackAllowed]);
            Assert.True(refusedCode == 1, refused);
            Assert.Contains($"import-oparl: source: {remote.Url("/oparl/nowhere")}: answered 404 Not Found", refused, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", refused, StringComparison.Ordinal);

            await using var db = new SqliteConnection($"Data Source={Path.Combine(dataPath, "deliberationflow.db")};Pooling=false");
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT count(*) FROM bodies WHERE key IN ('irgendwo', 'anderswo')";
            Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataPath, recursive: true);
        }
    }

    [Fact]
    public async Task ImportOParlVerb_CutShortByItsTimeLimit_ImportsWhatItRead_SaysWhereItStopped_AndEndsWith3()
    {
        // The process runs on the real clock: a limit of seconds, and a list that never answers.
        await using var remote = await RemoteOParlServer.StartAsync();
        remote.Serve("/oparl/body/1", Body(remote, remote.Url("/oparl/body/1/organizations"), remote.Url("/oparl/body/1/persons")));
        remote.Serve("/oparl/body/1/organizations", ListPage(Organization(remote, "1", "Rat")));
        remote.Hang("/oparl/body/1/persons");
        var dataPath = Directory.CreateTempSubdirectory("deliberationflow-import-").FullName;
        try
        {
            var (exitCode, output) = await ServerProcess.RunVerbAsync(dataPath,
                ["import-oparl", remote.Url("/oparl/body/1"), "--body", "irgendwo", "--OParl:Import:AllowedNetworks:0", "127.0.0.0/8", "--OParl:Import:TimeLimit", "00:00:05"]);
            Assert.True(exitCode == 3, output);
            Assert.Matches(@"Organization\s+created\s+1\s", output);
            Assert.Contains($"not read: {remote.Url("/oparl/body/1/persons")}: not read, nor any page after it: the import's time limit of 5 seconds (OParl:Import:TimeLimit) was reached",
                output, StringComparison.Ordinal);
            Assert.Contains($"cut short: Reading stopped at {remote.Url("/oparl/body/1/persons")}, as the import's time limit", output, StringComparison.Ordinal);

            await using var db = new SqliteConnection($"Data Source={Path.Combine(dataPath, "deliberationflow.db")};Pooling=false");
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT count(*) FROM organizations o JOIN bodies b ON b.id = o.body_id WHERE b.key = 'irgendwo' AND o.name = 'Rat'";
            Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataPath, recursive: true);
        }
    }
}
