using DeliberationFlow.Tests.Infrastructure;
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
}
