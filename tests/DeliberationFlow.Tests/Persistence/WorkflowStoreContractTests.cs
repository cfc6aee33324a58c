using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Persistence;

/// <summary>
/// What the engine relies on from its store, checked the same way on PostgreSQL and on SQLite: rows come back
/// as written, a stale instance cannot be saved, a bookmark burns once, one bookmark per name and key, a timer
/// is claimed once however it is raced, the journal keeps its order, and instants compare and order as instants.
/// Each test gets a fresh, migrated database.
/// </summary>
public abstract class WorkflowStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2021, 3, 28, 0, 30, 0, TimeSpan.Zero); // the night of the spring change in Berlin

    protected abstract Task<string> CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync(string connectionString);

    protected abstract DeliberationDbContext NewContext(string connectionString);

    private string _connectionString = "";

    public async ValueTask InitializeAsync()
    {
        _connectionString = await CreateDatabaseAsync();
        await using var db = NewContext();
        await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await DropDatabaseAsync(_connectionString);
        GC.SuppressFinalize(this);
    }

    private DeliberationDbContext NewContext() => NewContext(_connectionString);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InstanceBookmarkTimerAndJournal_ComeBackAsWritten()
    {
        var instance = Instance();
        var bookmark = Bookmark(instance, "consultation.outcome", "k-1");
        var timer = Timer(instance, Now.AddDays(3).AddMilliseconds(123));
        var entry = WorkflowJournal.Entry(instance, JournalEventKind.BookmarkCreated, Now, "alice", "Wartet auf Ergebnis – äöü ß.");
        await using (var db = NewContext())
        {
            db.WorkflowInstances.Add(instance);
            db.Bookmarks.Add(bookmark);
            db.Timers.Add(timer);
            db.Journal.Add(entry);
            await db.SaveChangesAsync(Cancel);
        }

        await using var read = NewContext();
        var storedInstance = await read.WorkflowInstances.SingleAsync(i => i.Id == instance.Id, Cancel);
        var storedBookmark = await read.Bookmarks.SingleAsync(b => b.Key == "k-1", Cancel);
        var storedTimer = await read.Timers.SingleAsync(t => t.Id == timer.Id, Cancel);
        var storedEntry = await read.Journal.SingleAsync(j => j.InstanceId == instance.Id, Cancel);

        Assert.Equal((instance.DefinitionId, instance.DefinitionVersion, instance.CorrelationId, instance.TenantId, instance.Status, instance.CurrentActivityId, instance.CreatedAt, instance.Revision),
            (storedInstance.DefinitionId, storedInstance.DefinitionVersion, storedInstance.CorrelationId, storedInstance.TenantId, storedInstance.Status, storedInstance.CurrentActivityId, storedInstance.CreatedAt, storedInstance.Revision));
        Assert.Equal((bookmark.Id, bookmark.InstanceId, bookmark.ActivityId, bookmark.Name, bookmark.Payload, bookmark.CreatedAt),
            (storedBookmark.Id, storedBookmark.InstanceId, storedBookmark.ActivityId, storedBookmark.Name, storedBookmark.Payload, storedBookmark.CreatedAt));
        Assert.Equal((timer.InstanceId, timer.Kind, timer.Key, timer.DueAt, timer.Status, timer.FiredAt),
            (storedTimer.InstanceId, storedTimer.Kind, storedTimer.Key, storedTimer.DueAt, storedTimer.Status, storedTimer.FiredAt));
        Assert.Equal(TimeSpan.Zero, storedTimer.DueAt.Offset);
        Assert.Equal((entry.Kind, entry.Timestamp, entry.Actor, entry.Message), (storedEntry.Kind, storedEntry.Timestamp, storedEntry.Actor, storedEntry.Message));
        Assert.True(storedEntry.Sequence > 0);
    }

    [Fact]
    public async Task SaveOfAStaleInstance_ThrowsConcurrencyException()
    {
        var instance = Instance();
        await using (var db = NewContext())
        {
            db.WorkflowInstances.Add(instance);
            await db.SaveChangesAsync(Cancel);
        }

        await using var first = NewContext();
        await using var second = NewContext();
        var a = await first.WorkflowInstances.SingleAsync(i => i.Id == instance.Id, Cancel);
        var b = await second.WorkflowInstances.SingleAsync(i => i.Id == instance.Id, Cancel);
        a.Revision++;
        a.CurrentActivityId = "va";
        await first.SaveChangesAsync(Cancel);
        b.Revision++;
        b.CurrentActivityId = "rat";

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync(Cancel));
        await using var read = NewContext();
        var stored = await read.WorkflowInstances.SingleAsync(i => i.Id == instance.Id, Cancel);
        Assert.Equal(("va", instance.Revision + 1), (stored.CurrentActivityId, stored.Revision));
    }

    [Fact]
    public async Task BookmarkBurntTwice_SecondDeleteFails()
    {
        var instance = Instance();
        var bookmark = Bookmark(instance, "consultation.outcome", "k-burn");
        await using (var db = NewContext())
        {
            db.Bookmarks.Add(bookmark);
            await db.SaveChangesAsync(Cancel);
        }

        await using var first = NewContext();
        await using var second = NewContext();
        first.Bookmarks.Remove(await first.Bookmarks.SingleAsync(b => b.Id == bookmark.Id, Cancel));
        second.Bookmarks.Remove(await second.Bookmarks.SingleAsync(b => b.Id == bookmark.Id, Cancel));
        await first.SaveChangesAsync(Cancel);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync(Cancel));
        await using var read = NewContext();
        Assert.False(await read.Bookmarks.AnyAsync(b => b.Id == bookmark.Id, Cancel));
    }

    [Fact]
    public async Task SecondBookmarkWithTheSameNameAndKey_IsRefusedAsUniqueViolation()
    {
        var instance = Instance();
        await using (var db = NewContext())
        {
            db.Bookmarks.Add(Bookmark(instance, "consultation.outcome", "k-unique"));
            db.Bookmarks.Add(Bookmark(instance, "other.bookmark", "k-unique")); // same key, other name: allowed
            await db.SaveChangesAsync(Cancel);
        }

        await using var again = NewContext();
        again.Bookmarks.Add(Bookmark(Instance(), "consultation.outcome", "k-unique"));

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync(Cancel));
        Assert.True(again.IsUniqueViolation(error), $"not recognised as a unique violation: {error.InnerException?.Message}");
        await using var read = NewContext();
        Assert.Equal(2, await read.Bookmarks.CountAsync(b => b.Key == "k-unique", Cancel));
    }

    [Fact]
    public async Task TimerClaim_SucceedsOnce_WhenTheSecondClaimWaitsForTheFirst()
    {
        var timer = await AddTimersAsync(1);
        await using var first = NewContext();
        await using var firstTransaction = await first.Database.BeginTransactionAsync(Cancel);
        Assert.Equal(1, await ClaimAsync(first, timer[0].Id));

        // The second claim starts while the first transaction is open; it must not claim the row as well.
        var second = Task.Run(() => ClaimInOwnTransactionAsync(timer[0].Id), Cancel);
        await firstTransaction.CommitAsync(Cancel);

        Assert.Equal(0, await second);
        await using var read = NewContext();
        Assert.Equal(TimerStatus.Fired, (await read.Timers.SingleAsync(t => t.Id == timer[0].Id, Cancel)).Status);
    }

    [Fact]
    public async Task TimerClaim_SucceedsOnce_WhenRacedFromTwoContexts()
    {
        var timers = await AddTimersAsync(25);
        foreach (var timer in timers)
        {
            using var start = new ManualResetEventSlim();
            var claims = Enumerable.Range(0, 2)
                .Select(_ => Task.Run(() => { start.Wait(Cancel); return ClaimInOwnTransactionAsync(timer.Id); }, Cancel))
                .ToArray();
            start.Set();

            Assert.Equal([0, 1], (await Task.WhenAll(claims)).Order());
        }

        await using var read = NewContext();
        Assert.Equal(timers.Count, await read.Timers.CountAsync(t => t.Status == TimerStatus.Fired, Cancel));
    }

    [Fact]
    public async Task JournalSequence_IncreasesInTheOrderEntriesWereAdded()
    {
        var instance = Instance();
        var messages = new List<string>();
        for (var step = 0; step < 4; step++)
        {
            await using var db = NewContext();
            for (var i = 0; i < 5; i++) // several entries of one step are saved in one batch
            {
                var message = $"step {step} entry {i}";
                messages.Add(message);
                db.Journal.Add(WorkflowJournal.Entry(instance, JournalEventKind.ActivityExecuted, Now, "system", message));
            }

            await db.SaveChangesAsync(Cancel);
        }

        await using var read = NewContext();
        var stored = await read.Journal.Where(j => j.InstanceId == instance.Id).OrderBy(j => j.Sequence).ToListAsync(Cancel);

        Assert.Equal(messages, stored.Select(j => j.Message));
        Assert.All(stored.Zip(stored.Skip(1)), pair => Assert.True(pair.First.Sequence < pair.Second.Sequence));
    }

    [Fact]
    public async Task DateTimeOffsets_CompareAndOrderAsInstants()
    {
        // Around the spring change in Berlin (01:00 UTC), a millisecond apart, and years apart.
        var instants = new[]
        {
            Now.AddHours(1), Now.AddHours(1).AddMilliseconds(-1), Now.AddHours(1).AddMilliseconds(1), Now.AddYears(-5),
            Now.AddYears(30), Now, Now.AddHours(2), Now.AddMinutes(59),
        };
        var instance = Instance();
        var timers = instants.Select(at => Timer(instance, at)).ToList();
        await using (var db = NewContext())
        {
            db.Timers.AddRange(timers);
            await db.SaveChangesAsync(Cancel);
        }

        var horizon = Now.AddHours(1);
        await using var read = NewContext();
        var ordered = await read.Timers.Where(t => t.InstanceId == instance.Id).OrderBy(t => t.DueAt).Select(t => t.DueAt).ToListAsync(Cancel);
        var due = await read.Timers.Where(t => t.InstanceId == instance.Id && t.DueAt <= horizon).OrderBy(t => t.DueAt).Select(t => t.DueAt).ToListAsync(Cancel);
        var later = await read.Timers.CountAsync(t => t.InstanceId == instance.Id && t.DueAt > horizon, Cancel);
        var exactly = await read.Timers.CountAsync(t => t.InstanceId == instance.Id && t.DueAt == horizon, Cancel);

        Assert.Equal(instants.Order(), ordered);
        Assert.Equal(instants.Where(i => i <= horizon).Order(), due);
        Assert.Equal(instants.Count(i => i > horizon), later);
        Assert.Equal(1, exactly);
    }

    private async Task<List<WorkflowTimer>> AddTimersAsync(int count)
    {
        var instance = Instance();
        var timers = Enumerable.Range(0, count).Select(_ => Timer(instance, Now)).ToList();
        await using var db = NewContext();
        db.Timers.AddRange(timers);
        await db.SaveChangesAsync(Cancel);
        return timers;
    }

    /// <summary>The claim of <c>FireTimer</c>: a conditional update Pending → Fired.</summary>
    private static Task<int> ClaimAsync(DeliberationDbContext db, Guid timerId) =>
        db.Timers.Where(t => t.Id == timerId && t.Status == TimerStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TimerStatus.Fired).SetProperty(t => t.FiredAt, Now), Cancel);

    private async Task<int> ClaimInOwnTransactionAsync(Guid timerId)
    {
        await using var db = NewContext();
        await using var transaction = await db.Database.BeginTransactionAsync(Cancel);
        var claimed = await ClaimAsync(db, timerId);
        await transaction.CommitAsync(Cancel);
        return claimed;
    }

    private static WorkflowInstance Instance() => new()
    {
        Id = Guid.CreateVersion7(),
        DefinitionId = "beschlussvorlage",
        DefinitionVersion = 1,
        CorrelationId = Guid.NewGuid().ToString(),
        TenantId = Guid.NewGuid(),
        Status = WorkflowStatus.Suspended,
        CurrentActivityId = "fpa",
        CreatedAt = Now,
        UpdatedAt = Now,
        Revision = 3,
    };

    private static Bookmark Bookmark(WorkflowInstance instance, string name, string key) => new()
    {
        Id = Guid.CreateVersion7(),
        InstanceId = instance.Id,
        ActivityId = "fpa",
        Name = name,
        Key = key,
        Payload = "{\"x\":1}",
        CreatedAt = Now,
    };

    private static WorkflowTimer Timer(WorkflowInstance instance, DateTimeOffset dueAt) => new()
    {
        Id = Guid.CreateVersion7(),
        InstanceId = instance.Id,
        ActivityId = "fpa",
        Kind = "consultation.invitation",
        Key = Guid.NewGuid().ToString(),
        DueAt = dueAt,
        CreatedAt = Now,
    };
}

public sealed class PostgresWorkflowStoreContractTests : WorkflowStoreContractTests
{
    protected override Task<string> CreateDatabaseAsync() => PostgresServer.CreateDatabaseAsync();

    protected override Task DropDatabaseAsync(string connectionString) => PostgresServer.DropDatabaseAsync(connectionString);

    protected override DeliberationDbContext NewContext(string connectionString) =>
        new PostgresDeliberationDbContext(PersistenceServiceCollectionExtensions.ConfigurePostgres(
            new DbContextOptionsBuilder<PostgresDeliberationDbContext>(), connectionString).Options);
}

public sealed class SqliteWorkflowStoreContractTests : WorkflowStoreContractTests
{
    private string _folder = "";

    protected override Task<string> CreateDatabaseAsync()
    {
        _folder = DeliberationFlowApp.NewDataPath();
        return Task.FromResult(DeliberationFlowApp.SqliteConnectionString(_folder));
    }

    protected override Task DropDatabaseAsync(string connectionString)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    protected override DeliberationDbContext NewContext(string connectionString) =>
        new SqliteDeliberationDbContext(PersistenceServiceCollectionExtensions.ConfigureSqlite(
            new DbContextOptionsBuilder<SqliteDeliberationDbContext>(), connectionString).Options);
}
