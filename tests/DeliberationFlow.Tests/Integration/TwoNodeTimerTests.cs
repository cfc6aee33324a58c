using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Timers;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using DeliberationFlow.Scheduling;
using DeliberationFlow.Tests.Infrastructure;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// Two service nodes, each with its own Hangfire server, on one PostgreSQL database: 1,000 timers fall due,
/// both nodes' reconcilers hand them to a job (one per node, as the timers are due already), so two workers race
/// over the same thousand rows, and still every timer fires exactly once. The timers are of a test kind whose handler writes one journal row, so the test
/// measures the claim, not the mail fan-out of invitations.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class TwoNodeTimerTests
{
    private const int Timers = 1_000;

    [Fact]
    public async Task ThousandDueTimers_WithJobsOnTwoNodes_EachFireExactlyOnce()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9), TestServices, settings: TestApp.ReconcileOnlyAtStart);
        await using var second = new DeliberationFlowApp(DatabaseProvider.Postgres, test.ConnectionString, test.Clock, test.Smtp.Port, test.DataPath, TestServices,
            settings: TestApp.ReconcileOnlyAtStart);
        _ = second.Server;
        // Each node's start-up reconciliation runs before the timers exist: one running later would record its job on
        // them too and take the place of a node in the race below (a node that then came late found that job alive and
        // made none, and the check that both nodes made a job failed).
        await test.WaitUntilHangfireIsIdleAsync();

        var now = test.Clock.GetUtcNow();
        var timers = new List<WorkflowTimer>();
        await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            for (var i = 0; i < Timers; i++)
            {
                var instance = new WorkflowInstance
                {
                    Id = Guid.CreateVersion7(), DefinitionId = "beschlussvorlage", DefinitionVersion = 1, CorrelationId = $"probe-{i}",
                    TenantId = Guid.Empty, Status = WorkflowStatus.Suspended, CurrentActivityId = "fpa", CreatedAt = now, UpdatedAt = now,
                };
                var timer = new WorkflowTimer
                {
                    Id = Guid.CreateVersion7(), InstanceId = instance.Id, ActivityId = "fpa", Kind = ProbeTimerHandler.TimerKind,
                    Key = $"probe-{i}", DueAt = now.AddSeconds(-(i % 60)), CreatedAt = now,
                };
                db.WorkflowInstances.Add(instance);
                db.Timers.Add(timer);
                timers.Add(timer);
            }

            return await db.SaveChangesAsync();
        });

        // Both nodes reconcile at the same moment: each sees timers without a live job and gives them one. The test holds
        // the timer rows meanwhile, so that neither node records its job before the other has read them: left to the
        // scheduler, a node that came a moment late found the first node's job alive and rightly made none.
        await using var holder = new NpgsqlConnection(test.ConnectionString);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var rows = new NpgsqlCommand("SELECT id FROM engine.timers WHERE kind = @kind FOR UPDATE", holder, hold))
        {
            rows.Parameters.AddWithValue("kind", ProbeTimerHandler.TimerKind);
            await rows.ExecuteNonQueryAsync();
        }

        var reconciling = Task.WhenAll(
            Task.Run(() => test.ReconcileAsync()),
            Task.Run(() => second.WithScopeAsync(sp => sp.GetRequiredService<TimerReconciler>().ReconcileAsync(CancellationToken.None))));
        // Watched from a connection of its own: inside the holding transaction PostgreSQL would keep showing its first look.
        await using var watcher = new NpgsqlConnection(test.ConnectionString);
        await watcher.OpenAsync();
        await WaitUntilAsync("both reconciliations waiting to record their jobs", async () =>
        {
            Assert.False(reconciling.IsCompleted, $"a reconciliation finished without waiting to record its job: {reconciling.Exception}");
            await using var watch = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%engine.timers%'", watcher);
            return (long)(await watch.ExecuteScalarAsync())! >= 2;
        });
        await hold.CommitAsync();
        await reconciling;

        var monitoring = test.App.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        Assert.Equal(2, monitoring.Servers().Count);
        await WaitUntilAsync("the timers' jobs finished", async () => await CountPendingAsync(test) == 0
                                         && monitoring.EnqueuedCount("default") + monitoring.ProcessingCount() + monitoring.ScheduledCount() == 0);

        var state = await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var ids = timers.Select(t => t.InstanceId).ToList();
            return new
            {
                Timers = await db.Timers.AsNoTracking().Where(t => t.Kind == ProbeTimerHandler.TimerKind).ToListAsync(),
                Journal = await db.Journal.AsNoTracking().Where(j => ids.Contains(j.InstanceId)).ToListAsync(),
            };
        });
        Assert.Equal(Timers, state.Timers.Count);
        Assert.All(state.Timers, t => Assert.Equal(TimerStatus.Fired, t.Status));
        var byInstance = state.Journal.ToLookup(j => j.InstanceId);
        foreach (var timer in timers)
        {
            var journal = byInstance[timer.InstanceId].ToList();
            Assert.Single(journal, j => j.Kind == JournalEventKind.TimerFired && j.Message.Contains(timer.Id.ToString(), StringComparison.Ordinal));
            Assert.Single(journal, j => j.Actor == ProbeTimerHandler.Actor);
            Assert.Equal(2, journal.Count);
        }

        // Each node's job went through the due timers, yet nothing fired twice.
        var drains = monitoring.SucceededJobs(0, 100).Count(j => j.Value.Job?.Method.Name == nameof(TimerJob.RunHandedOverAsync));
        Assert.True(drains >= 2, $"{drains} due-timer job(s) ran; each node should have made one");
    }

    private static void TestServices(IServiceCollection services)
    {
        services.AddScoped<ITimerHandler, ProbeTimerHandler>();

        // The probe queues no mail, so no delivery job is needed after each firing.
        services.AddScoped<IOutboxSignal, NoOutboxSignal>();
    }

    private static Task<int> CountPendingAsync(TestApp test) =>
        test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Timers
            .CountAsync(t => t.Kind == ProbeTimerHandler.TimerKind && t.Status == TimerStatus.Pending));

    private static async Task WaitUntilAsync(string what, Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within 90 s: {what}");
            await Task.Delay(250);
        }
    }

    /// <summary>A timer kind for tests: its effect is one journal row, written in the claim's transaction.</summary>
    private sealed class ProbeTimerHandler(ICouncilDb db) : ITimerHandler
    {
        public const string TimerKind = "test.probe";
        public const string Actor = "probe";

        public string Kind => TimerKind;

        public async Task<TimerHandling> HandleAsync(WorkflowTimer timer, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var instance = await db.WorkflowInstances.AsNoTracking().SingleAsync(i => i.Id == timer.InstanceId, cancellationToken);
            db.Journal.Add(WorkflowJournal.Entry(instance, JournalEventKind.ActivityExecuted, now, Actor, $"Probe {timer.Id}."));
            return TimerHandling.Fired($"Zeitgeber {timer.Id} ausgelöst.");
        }
    }

    private sealed class NoOutboxSignal : IOutboxSignal
    {
        public void MessagesQueued()
        {
        }
    }
}
