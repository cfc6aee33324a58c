using DeliberationFlow.Council.Timers;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Scheduling;

/// <summary>
/// Creates the Hangfire job of each timer that falls due within the horizon and records the job's id on
/// the timer row. Later timers stay rows until the reconciliation brings them in.
/// </summary>
public sealed class HangfireTimerScheduler(
    IBackgroundJobClient jobs,
    DeliberationDbContext db,
    SchedulingOptions options,
    TimeProvider clock) : ITimerScheduler
{
    public async Task ScheduleAsync(IReadOnlyCollection<WorkflowTimer> timers, CancellationToken cancellationToken)
    {
        var horizon = clock.GetUtcNow() + options.Horizon;
        foreach (var timer in timers.Where(t => t.Status == TimerStatus.Pending && t.DueAt <= horizon))
        {
            await ScheduleOneAsync(timer.Id, timer.DueAt, cancellationToken);
        }
    }

    public async Task ScheduleOneAsync(Guid timerId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var delay = dueAt - clock.GetUtcNow();
        var jobId = delay > TimeSpan.Zero
            ? jobs.Schedule<TimerJob>(j => j.RunAsync(timerId, CancellationToken.None), delay)
            : jobs.Enqueue<TimerJob>(j => j.RunAsync(timerId, CancellationToken.None));
        await db.Timers.Where(t => t.Id == timerId && t.Status == TimerStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.JobId, jobId), cancellationToken);
    }
}
