using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Scheduling;

/// <summary>
/// Makes the jobs match the timer rows: every pending timer due within the horizon gets a live job, whether
/// its job was never created (a crash after commit), lost (in-memory storage after a restart) or ended
/// without firing it. Running it more than once, or on several nodes, only creates spare jobs, and the
/// timer's claim makes spare jobs harmless. Part of the every-minute <see cref="Reconciliation"/>.
/// </summary>
public sealed class TimerReconciler(
    DeliberationDbContext db,
    JobStorage storage,
    HangfireTimerScheduler scheduler,
    SchedulingOptions options,
    TimeProvider clock,
    ILogger<TimerReconciler> logger)
{
    private static readonly HashSet<string> LiveStates =
        [ScheduledState.StateName, EnqueuedState.StateName, ProcessingState.StateName, AwaitingState.StateName];

    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var horizon = clock.GetUtcNow() + options.Horizon;
        var due = await db.Timers.AsNoTracking()
            .Where(t => t.Status == TimerStatus.Pending && t.DueAt <= horizon)
            .OrderBy(t => t.DueAt)
            .Take(10_000)
            .ToListAsync(cancellationToken);

        var jobless = new List<WorkflowTimer>();
        using (var connection = storage.GetConnection())
        {
            // The timers that were already due when their step created them share their node's drain job: each job's
            // state is read once, not once per timer (a backlog can hold thousands behind one job).
            var live = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (var timer in due)
            {
                if (timer.JobId is not { } jobId)
                {
                    jobless.Add(timer);
                    continue;
                }

                if (!live.TryGetValue(jobId, out var alive))
                {
                    alive = connection.GetJobData(jobId)?.State is { } state && LiveStates.Contains(state);
                    live[jobId] = alive;
                }

                if (!alive)
                {
                    jobless.Add(timer);
                }
            }
        }

        // The ones already due (a backlog after downtime can be thousands) share one new job, the later ones get a
        // scheduled job each.
        await scheduler.RescheduleAsync(jobless, cancellationToken);
        if (jobless.Count > 0)
        {
            logger.LogInformation("Timer reconciliation gave {Count} pending timer(s) a job.", jobless.Count);
        }

        return jobless.Count;
    }
}
