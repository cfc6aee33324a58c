using DeliberationFlow.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace DeliberationFlow.Tests.Integration;

/// <summary>The first admin of an installation, as an operator makes it: the server's <c>add-user</c> verb in its own process.</summary>
public sealed class AddUserCommandTests
{
    [Fact]
    public async Task AddUserVerb_CreatesAnAdminWithThePasswordFromAFile_RefusesTheSameNameAgain_AndNamesWhatIsMissing()
    {
        var dataPath = Directory.CreateTempSubdirectory("deliberationflow-add-user-").FullName;
        var passwordFile = Path.Combine(dataPath, "password.txt");
        await File.WriteAllTextAsync(passwordFile, "Erstes-Kennwort-2026\n");
        try
        {
            var (exitCode, output) = await ServerProcess.RunVerbAsync(dataPath, "add-user", "k.keller", "--role", "Admin", "--body", "wolfenbuettel",
                "--display-name", "Karin Keller", "--password-file", passwordFile);
            Assert.True(exitCode == 0, output);
            Assert.Contains("Account 'k.keller' (Admin) created in body 'wolfenbuettel'.", output, StringComparison.Ordinal);

            await using (var db = new SqliteConnection($"Data Source={Path.Combine(dataPath, "deliberationflow.db")};Pooling=false"))
            {
                await db.OpenAsync();
                await using var command = db.CreateCommand();
                command.CommandText = "SELECT u.display_name, u.role, u.password_hash FROM users u JOIN bodies b ON b.id = u.body_id WHERE u.user_name = 'k.keller' AND b.key = 'wolfenbuettel'";
                await using var row = await command.ExecuteReaderAsync();
                Assert.True(await row.ReadAsync());
                Assert.Equal(("Karin Keller", "Admin"), (row.GetString(0), row.GetString(1)));
                Assert.DoesNotContain("Erstes-Kennwort", row.GetString(2), StringComparison.Ordinal); // only the hash is kept
            }

            var (againCode, again) = await ServerProcess.RunVerbAsync(dataPath, "add-user", "k.keller", "--role", "Admin", "--body", "wolfenbuettel", "--password-file", passwordFile);
            Assert.Equal(1, againCode);
            Assert.Contains("userName: The user name 'k.keller' is taken", again, StringComparison.Ordinal);

            var (usageCode, usage) = await ServerProcess.RunVerbAsync(dataPath, "add-user", "ohne.rolle");
            Assert.Equal(2, usageCode);
            Assert.Contains("Usage: add-user", usage, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataPath, recursive: true);
        }
    }
}
