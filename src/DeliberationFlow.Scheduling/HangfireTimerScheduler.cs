using DeliberationFlow.Council.Timers;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using System.Reflection;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
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

    // The job is built from its method and argument, not from a lambda, which Hangfire would take apart again on every
    // call (reflection over the expression, evaluation of its arguments) for the same two values.
    private static readonly MethodInfo Run = typeof(TimerJob).GetMethod(nameof(TimerJob.RunAsync))
        ?? throw new InvalidOperationException($"{nameof(TimerJob)}.{nameof(TimerJob.RunAsync)} is missing.");

    public async Task ScheduleOneAsync(Guid timerId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var delay = dueAt - clock.GetUtcNow();
        var job = new Job(typeof(TimerJob), Run, timerId, CancellationToken.None);
        var jobId = jobs.Create(job, delay > TimeSpan.Zero ? new ScheduledState(delay) : new EnqueuedState());
        await db.Timers.Where(t => t.Id == timerId && t.Status == TimerStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.JobId, jobId), cancellationToken);
    }
}
