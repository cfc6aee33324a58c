using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// PostgreSQL ends a deadlock between two transactions by undoing one of them whole; EF Core reports that as a transient
/// failure wrapped in an InvalidOperationException. A step that is the one undone is run again and answered as usual,
/// never taken for an incident of the workflow (which once left the step going on in the aborted transaction: a 500
/// under concurrent recording). Every use case that runs the workflow does so through <see cref="UnitOfWorkTransaction"/>.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class DeadlockRetryTests
{
    [Fact]
    public async Task AStepUndoneToEndADeadlock_IsRunAgain_AndAdvancesThePaperOnce_WithoutAnIncident()
    {
        var deadlocks = new Deadlocks();
        await using var test = await StartAsync(deadlocks);
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-40001", "Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));

        // The first time the step saves its consultation, the database gives it up as a deadlock victim.
        deadlocks.Arm();
        var response = await test.RecordAsync("sekretariat-fpa", paper.Consultations[0].Id, new("Adopted", "einstimmig beschlossen", null), "deadlock-1");

        await Http.EnsureAsync(response, HttpStatusCode.OK);
        Assert.Equal(1, deadlocks.Thrown);
        Assert.Contains(test.App.Services.GetFakeLogCollector().GetSnapshot(),
            r => r.Level == LogLevel.Information && r.Message.Contains("undone to end a deadlock (attempt 1)", StringComparison.Ordinal));
        var state = await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var instance = await db.WorkflowInstances.AsNoTracking().SingleAsync(i => i.Id == paper.Workflow!.InstanceId);
            var journal = await db.Journal.AsNoTracking().Where(j => j.InstanceId == instance.Id).ToListAsync();
            return (instance, journal);
        });
        Assert.Equal(WorkflowStatus.Suspended, state.instance.Status);
        Assert.Equal("va", state.instance.CurrentActivityId);
        Assert.Single(state.journal, j => j.Kind == JournalEventKind.BookmarkResumed);
        Assert.DoesNotContain(state.journal, j => j.Kind == JournalEventKind.InstanceFaulted);
    }

    [Fact]
    public async Task AMeetingChangeUndoneToEndADeadlock_IsRunAgain_AndReplansAndRecordsOnce()
    {
        var deadlocks = new Deadlocks();
        await using var test = await StartAsync(deadlocks);
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-40002", "Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.MoveClockToAsync(Berlin.At(2021, 4, 10, 9));

        // The change moves the consultation (as a step records one); the first time, its save is the deadlock's victim.
        deadlocks.Arm();
        var response = await test.ClientFor("sekretariat-fpa").PostAsJsonAsync($"/api/meetings/{paper.Consultations[0].MeetingId}/change",
            new ChangeMeetingRequest("cancel", null, "Beschlussunfähigkeit erwartet"));

        await Http.EnsureAsync(response, HttpStatusCode.OK);
        Assert.Equal(1, deadlocks.Thrown);
        var report = (await response.Content.ReadFromJsonAsync<MeetingChangeReport>())!;
        Assert.Single(report.Replanned, l => l.StartsWith("21-40002", StringComparison.Ordinal));
        Assert.Contains(test.App.Services.GetFakeLogCollector().GetSnapshot(),
            r => r.Level == LogLevel.Information && r.Message.Contains("Changing meeting", StringComparison.Ordinal)
                 && r.Message.Contains("undone to end a deadlock (attempt 1)", StringComparison.Ordinal));
        var moved = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal(("10.06.2021", "Planned"), (moved.Consultations[0].Date, moved.Consultations[0].Status));
        Assert.Single(moved.Journal, j => j.Message.Contains("fällt aus", StringComparison.Ordinal));
        var pending = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Timers.AsNoTracking()
            .CountAsync(t => t.Key == moved.Consultations[0].Id.ToString() && t.Status == TimerStatus.Pending));
        Assert.Equal(2, pending); // the new meeting's invitation and reminder, each once
    }

    [Fact]
    public async Task AStepUndoneThreeTimesInARow_IsAnswered503RetryLater_AndChangesNothing()
    {
        var deadlocks = new Deadlocks();
        await using var test = await StartAsync(deadlocks);
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-40003", "Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));

        deadlocks.Arm(times: UnitOfWorkTransaction.MaxAttempts);
        var response = await test.RecordAsync("sekretariat-fpa", paper.Consultations[0].Id, new("Adopted", "einstimmig beschlossen", null), "deadlock-3");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("1", response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("undone 3 times; nothing was changed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(UnitOfWorkTransaction.MaxAttempts, deadlocks.Thrown);
        var after = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal(("Planned", "fpa"), (after.Consultations[0].Status, after.Workflow!.CurrentActivityId));
        Assert.DoesNotContain(after.Journal, j => j.Message.Contains("beschlossen", StringComparison.Ordinal));

        // The caller's retry with the same key then goes through.
        var retry = await test.RecordAsync("sekretariat-fpa", paper.Consultations[0].Id, new("Adopted", "einstimmig beschlossen", null), "deadlock-3");
        await Http.EnsureAsync(retry, HttpStatusCode.OK);
        Assert.Equal("va", (await test.GetPaperAsync("admin", paper.Id)).Workflow!.CurrentActivityId);
    }

    private static Task<TestApp> StartAsync(Deadlocks deadlocks) =>
        TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            services =>
            {
                services.ConfigureDbContext<PostgresDeliberationDbContext>(options => options.AddInterceptors(deadlocks));
                services.AddLogging(logging => logging.AddFakeLogging());
            },
            new Dictionary<string, string> { ["Logging:LogLevel:DeliberationFlow"] = "Information" });

    /// <summary>
    /// Fails the next saves that change a consultation after <see cref="Arm"/> (as many as armed) as PostgreSQL fails a
    /// deadlock's victim; EF Core wraps the error as it would the database's own (in a DbUpdateException, within an
    /// InvalidOperationException for a transient failure).
    /// </summary>
    private sealed class Deadlocks : DbCommandInterceptor
    {
        private int _armed;
        private int _thrown;

        public int Thrown => _thrown;

        public void Arm(int times = 1) => Interlocked.Exchange(ref _armed, times);

        private bool TakeOne()
        {
            for (var armed = Volatile.Read(ref _armed); armed > 0; armed = Volatile.Read(ref _armed))
            {
                if (Interlocked.CompareExchange(ref _armed, armed - 1, armed) == armed)
                {
                    return true;
                }
            }

            return false;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("UPDATE council.consultations", StringComparison.Ordinal) && TakeOne())
            {
                Interlocked.Increment(ref _thrown);
                throw new PostgresException("deadlock detected", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected);
            }

            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
