using System.Data.Common;
using System.Net;
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
/// under concurrent recording).
/// </summary>
[Collection(HostCollection.Name)]
public sealed class DeadlockRetryTests
{
    [Fact]
    public async Task AStepUndoneToEndADeadlock_IsRunAgain_AndAdvancesThePaperOnce_WithoutAnIncident()
    {
        var deadlocks = new DeadlockOnce();
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            services =>
            {
                services.ConfigureDbContext<PostgresDeliberationDbContext>(options => options.AddInterceptors(deadlocks));
                services.AddLogging(logging => logging.AddFakeLogging());
            },
            new Dictionary<string, string> { ["Logging:LogLevel:DeliberationFlow"] = "Information" });
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-40001", "Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));

        // The first time the step calls off its consultation's timers, the database gives it up as a deadlock victim.
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

    /// <summary>Fails the first call-off of timers after <see cref="Arm"/> as PostgreSQL and EF Core report a deadlock victim.</summary>
    private sealed class DeadlockOnce : DbCommandInterceptor
    {
        private int _armed;
        private int _thrown;

        public int Thrown => _thrown;

        public void Arm() => Interlocked.Exchange(ref _armed, 1);

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.StartsWith("UPDATE engine.timers", StringComparison.Ordinal) && Interlocked.Exchange(ref _armed, 0) == 1)
            {
                Interlocked.Increment(ref _thrown);
                throw new InvalidOperationException(
                    "An exception has been raised that is likely due to a transient failure.",
                    new PostgresException("deadlock detected", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected));
            }

            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
