using DeliberationFlow.Council.Model;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Persistence;

/// <summary>
/// On PostgreSQL a save inside a use case's transaction (as a step's) writes its journal lines with one statement of their
/// own. The journal is the audit trail: its lines must come out in the order they were written, exactly once, and never
/// without the change they describe, also when a save fails and the use case tries again. Both providers must behave alike.
/// </summary>
public sealed class JournalBatchTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Lines_are_written_once_in_order_also_when_a_save_fails_and_is_tried_again(DatabaseProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var instance = Guid.CreateVersion7();
        using (var scope = test.App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
            var committee = await db.Organizations.AsNoTracking().SingleAsync(o => o.Key == "fpa", ct);
            db.Journal.AddRange(Lines(instance, "erste", 3));

            // A save that fails (a second committee with the same key) is rolled back with its lines...
            var duplicate = new Organization { Id = Guid.CreateVersion7(), BodyId = committee.BodyId, Key = "fpa", Name = "Doppelt" };
            db.Organizations.Add(duplicate);
            await using (var first = await db.Database.BeginTransactionAsync(ct))
            {
                await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(ct));
            }

            Assert.Equal(0, await CountAsync(test, instance));

            // ...which stay in the unit of work: the next attempt writes them, once, before what came after.
            db.Entry(duplicate).State = EntityState.Detached;
            db.Journal.AddRange(Lines(instance, "zweite", 2));
            await using (var second = await db.Database.BeginTransactionAsync(ct))
            {
                Assert.Equal(5, await db.SaveChangesAsync(ct));
                db.Journal.AddRange(Lines(instance, "dritte", 1));
                Assert.Equal(1, await db.SaveChangesAsync(ct));
                await second.CommitAsync(ct);
            }

            // Outside a transaction of the use case's own, EF Core's transaction writes them.
            db.Journal.AddRange(Lines(instance, "vierte", 2));
            Assert.Equal(2, await db.SaveChangesAsync(ct));
        }

        var messages = await MessagesAsync(test, instance);
        Assert.Equal(["erste 1", "erste 2", "erste 3", "zweite 1", "zweite 2", "dritte 1", "vierte 1", "vierte 2"], messages);
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task The_lines_of_a_step_that_lost_a_race_are_not_written(DatabaseProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var body = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Bodies.AsNoTracking().Where(b => b.Key == "braunschweig").Select(b => b.Id).SingleAsync(ct));
        var running = new WorkflowInstance
        {
            Id = Guid.CreateVersion7(), DefinitionId = "mitteilung", DefinitionVersion = 1, CorrelationId = "race", TenantId = body, CreatedAt = DateTimeOffset.UtcNow,
        };
        await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            db.WorkflowInstances.Add(running);
            return await db.SaveChangesAsync(ct);
        });

        using var scope = test.App.Services.CreateScope();
        var session = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
        var mine = await session.WorkflowInstances.SingleAsync(i => i.Id == running.Id, ct);

        // Another node advances the instance first: this step loses the race on the revision.
        await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().WorkflowInstances
            .Where(i => i.Id == running.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Revision, 1), ct));
        mine.CurrentActivityId = "noted";
        mine.Revision++;
        session.Journal.AddRange(Lines(running.Id, "verloren", 3));
        await using (var transaction = await session.Database.BeginTransactionAsync(ct))
        {
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => session.SaveChangesAsync(ct));
        }

        Assert.Empty(await MessagesAsync(test, running.Id));
        Assert.Equal(3, session.ChangeTracker.Entries<JournalEntry>().Count(e => e.State == EntityState.Added));
    }

    private static IEnumerable<JournalEntry> Lines(Guid instance, string name, int count) =>
        Enumerable.Range(1, count).Select(i => new JournalEntry
        {
            InstanceId = instance, Timestamp = DateTimeOffset.UtcNow, Kind = JournalEventKind.ActivityExecuted, ActivityId = "fpa", Actor = "test",
            Message = $"{name} {i}",
        });

    private static Task<int> CountAsync(TestApp test, Guid instance) =>
        test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Journal.CountAsync(j => j.InstanceId == instance));

    private static Task<List<string>> MessagesAsync(TestApp test, Guid instance) =>
        test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Journal.AsNoTracking()
            .Where(j => j.InstanceId == instance).OrderBy(j => j.Sequence).Select(j => j.Message).ToListAsync());
}
