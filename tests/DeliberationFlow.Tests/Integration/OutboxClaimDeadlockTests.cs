using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Notifications.Templates;
using DeliberationFlow.Notifications;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// Delivery lanes on one or several nodes claim due mail with a conditional update. Two claims that take overlapping rows
/// in a different order deadlock, and PostgreSQL undoes one of them; the benchmark's drain of 10 000 notices over four
/// lanes once failed its delivery job that way. A claim that gives way must read what is due again, not fail the job.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class OutboxClaimDeadlockTests
{
    private static readonly string[] Keys = ["deadlock-a", "deadlock-b"];

    [Fact]
    public async Task AClaimThatGivesWayInADeadlock_ReadsAgain_AndEveryMessageIsSentOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        // No Hangfire server: only the delivery started below claims these messages.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            settings: new Dictionary<string, string> { ["Scheduling:RunServer"] = "false", ["Mail:Connections"] = "1" });
        var now = test.Clock.GetUtcNow();
        var (first, second) = await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var body = await db.Bodies.AsNoTracking().Select(b => b.Id).FirstAsync(ct);
            var mail = new RenderedMail("Einladung", "Text", "<p>Text</p>");
            // Created a millisecond apart: the first row's id is the lower one and it is inserted first, so the claim meets
            // it first whether it scans the primary key or the table.
            var rows = Keys.Select((key, i) => Notices.Create(MailKinds.Invitation, key, body, $"{key}@example.org", key, mail, null, now.AddMilliseconds(i))).ToArray();
            db.OutboxMessages.AddRange(rows);
            await db.SaveChangesAsync(ct);
            await db.OutboxMessages.Where(m => m.Id != rows[0].Id && m.Id != rows[1].Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Sent), ct); // the demo data's own mail is not part of this
            return (rows[0].Id, rows[1].Id);
        });
        test.Clock.Advance(TimeSpan.FromSeconds(1)); // both due

        // Another claimant holds the second row and is slow to notice deadlocks, so PostgreSQL picks the delivery's claim
        // to give way: it holds the first row and waits for the second one.
        await using var other = new NpgsqlConnection(test.ConnectionString);
        await other.OpenAsync(ct);
        await using var transaction = await other.BeginTransactionAsync(ct);
        await Execute(other, "SET LOCAL deadlock_timeout = '30s'", null);
        await Execute(other, "SELECT id FROM council.outbox_messages WHERE id = $1 FOR UPDATE", second);

        var delivery = test.App.WithScopeAsync(sp => sp.GetRequiredService<OutboxDispatcher>().DispatchAsync(CancellationToken.None));
        await WaitUntilAsync(async () => await WaitingOnTheOutboxAsync(test) > 0);

        // The other claimant now wants the first row: a cycle. After its own deadlock_timeout (1 s) the delivery's claim is
        // undone, which lets this statement through; until then it waits for the claim's lock on that row.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        await Execute(other, "UPDATE council.outbox_messages SET lease_until = NULL WHERE id = $1", first);
        Assert.True(waited.Elapsed > TimeSpan.FromMilliseconds(500), $"The claim held no lock on the first row (waited {waited.Elapsed}).");
        await transaction.RollbackAsync(ct);

        Assert.Equal(2, await delivery);
        Assert.Equal(["deadlock-a@example.org", "deadlock-b@example.org"],
            test.Smtp.Messages.Select(m => m.To.Mailboxes.Single().Address).Where(a => a.StartsWith("deadlock-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        var statuses = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().OutboxMessages.AsNoTracking()
            .Where(m => m.Id == first || m.Id == second).Select(m => m.Status).ToListAsync(ct));
        Assert.All(statuses, s => Assert.Equal(OutboxStatus.Sent, s));
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, Guid? id)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (id is { } value)
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = value });
        }

        await command.ExecuteNonQueryAsync();
    }

    // A row lock is waited for on the holder's transaction, so the waiting claim shows in pg_stat_activity, not as a lock
    // on the table.
    private static Task<long> WaitingOnTheOutboxAsync(TestApp test) =>
        test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Database
            .SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE%outbox_messages%'")
            .SingleAsync());

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The delivery's claim never waited for the row held by the other claimant.");
            await Task.Delay(50);
        }
    }
}
