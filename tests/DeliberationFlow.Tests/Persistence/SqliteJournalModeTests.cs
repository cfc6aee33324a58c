using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Persistence;

/// <summary>
/// The embedded database runs in write-ahead-log mode, so the request threads and the background jobs read while one of
/// them writes, and a writer waits its turn instead of being refused with "database is locked".
/// </summary>
public sealed class SqliteJournalModeTests
{
    [Fact]
    public async Task TheEmbeddedDatabase_LogsAhead_AndAWriterWaitsForAnotherInsteadOfFailing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await TestApp.StartAsync(DatabaseProvider.Sqlite, Berlin.Clock(2021, 4, 1, 9));
        using var scope = test.App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
        Assert.Equal("wal", await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync(ct) is [var mode] ? mode : null);

        // A reader holds a snapshot open while a second connection writes and commits: neither is refused.
        // A reader on a connection of its own holds a snapshot open (a deferred transaction, as reads take one) while the
        // service writes and commits: neither is refused, and the reader keeps seeing what it began with.
        await using var reader = new SqliteConnection(DeliberationFlowApp.SqliteConnectionString(test.DataPath));
        await reader.OpenAsync(ct);
        await using var reading = reader.BeginTransaction(deferred: true);
        Assert.Equal(DBNull.Value, await EmailAsync(reader, reading, ct));
        await test.App.WithScopeAsync(async sp =>
        {
            var other = sp.GetRequiredService<DeliberationDbContext>();
            (await other.Organizations.SingleAsync(o => o.Key == "fpa", ct)).Email = "fpa@braunschweig.example";
            await other.SaveChangesAsync(ct);
            return 0;
        });
        Assert.Equal(DBNull.Value, await EmailAsync(reader, reading, ct));
        await reading.CommitAsync(ct);
        Assert.Equal("fpa@braunschweig.example", (await db.Organizations.AsNoTracking().SingleAsync(o => o.Key == "fpa", ct)).Email);
    }

    private static async Task<object?> EmailAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT email FROM organizations WHERE key = 'fpa'";
        return await command.ExecuteScalarAsync(ct);
    }
}
