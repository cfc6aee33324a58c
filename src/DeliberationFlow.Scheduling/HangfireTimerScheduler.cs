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
/// Gives each timer that falls due within the horizon a Hangfire job and records the job's id on the timer row; later
/// timers stay rows until the reconciliation brings them in. Timers already due when a step creates them (the
/// invitation to a meeting whose Ladungsfrist has passed) share the job waiting on this node to fire due timers,
/// instead of each paying Hangfire's ~25 transactions for a job of its own inside the request.
/// </summary>
public sealed class HangfireTimerScheduler(
    IBackgroundJobClient jobs,
    DeliberationDbContext db,
    TimerDrainCoordinator drain,
    SchedulingOptions options,
    TimeProvider clock) : ITimerScheduler
{
    public Task ScheduleAsync(IReadOnlyCollection<WorkflowTimer> timers, CancellationToken cancellationToken) =>
        ScheduleAsync(timers, shareWaitingJob: true, cancellationToken);

    /// <summary>
    /// As <see cref="ScheduleAsync(IReadOnlyCollection{WorkflowTimer}, CancellationToken)"/>, for the reconciliation: the
    /// timers already due get a job of their own making, not the one this node believes waiting. That belief can be
    /// stale for a few seconds when another node's server took the job (only the node that runs a job clears its mark),
    /// and timers handed to a job that has already run would wait for the next reconciliation again.
    /// </summary>
    public Task RescheduleAsync(IReadOnlyCollection<WorkflowTimer> timers, CancellationToken cancellationToken) =>
        ScheduleAsync(timers, shareWaitingJob: false, cancellationToken);

    private async Task ScheduleAsync(IReadOnlyCollection<WorkflowTimer> timers, bool shareWaitingJob, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var horizon = now + options.Horizon;
        var pending = timers.Where(t => t.Status == TimerStatus.Pending && t.DueAt <= horizon).ToList();
        var due = pending.Where(t => t.DueAt <= now).ToList();
        if (due.Count > 0 && shareWaitingJob)
        {
            string Create() => jobs.Create(FireDueTimers, new EnqueuedState());
            var jobId = drain.JobFor(Create);

            // Timers saved with this very job (HandToWaitingJob) need no second word: the job clears its mark before it
            // reads what is due, so a mark that still names it after the commit means it has yet to read, and finds them.
            // The others (no job waited before the commit, or the one that did has started since) get this job recorded.
            var unrecorded = due.Where(t => t.JobId != jobId).Select(t => t.Id).ToList();
            if (unrecorded.Count > 0)
            {
                await RecordJobAsync(db.Timers.Where(t => unrecorded.Contains(t.Id)), jobId, cancellationToken);
            }
        }
        else if (due.Count > 0)
        {
            // The rescued timers may carry another node's job id (two nodes reconcile at once after a start): a drain job
            // that ran before its own id was on them would pass them over, and they would wait for the next
            // reconciliation. So the job is held until its id is recorded; should this node stop in between, it runs at the
            // end of the hold anyway.
            var ids = due.Select(t => t.Id).ToList();
            var jobId = jobs.Create(FireHandedOverTimers(null), new ScheduledState(HeldFor));
            await RecordJobAsync(db.Timers.Where(t => ids.Contains(t.Id)), jobId, cancellationToken);
            jobs.ChangeState(jobId, new EnqueuedState(), ScheduledState.StateName);
        }

        foreach (var timer in pending.Where(t => t.DueAt > now))
        {
            await ScheduleOneAsync(timer.Id, timer.DueAt, cancellationToken);
        }
    }

    /// <inheritdoc />
    public void HandToWaitingJob(IReadOnlyCollection<WorkflowTimer> timers)
    {
        if (drain.WaitingJob() is not { } jobId)
        {
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var timer in timers.Where(t => t.Status == TimerStatus.Pending && t.DueAt <= now && t.JobId is null))
        {
            timer.JobId = jobId;
        }
    }

    private static readonly TimeSpan HeldFor = TimeSpan.FromMinutes(5);

    // The job that fires every due timer given to it or to no job; a new one each time it is created.
    private static Job FireDueTimers => new(typeof(TimerJob), RunDue, null, CancellationToken.None);

    // The same outside a node's shared job, for the timers given to job jobId (to itself when null).
    private static Job FireHandedOverTimers(string? jobId) => new(typeof(TimerJob), RunHandedOver, jobId, null, CancellationToken.None);

    // The job is built from its method and argument, not from a lambda, which Hangfire would take apart again on every
    // call (reflection over the expression, evaluation of its arguments) for the same two values.
    private static readonly MethodInfo Run = typeof(TimerJob).GetMethod(nameof(TimerJob.RunAsync))
        ?? throw new InvalidOperationException($"{nameof(TimerJob)}.{nameof(TimerJob.RunAsync)} is missing.");

    private static readonly MethodInfo RunDue = typeof(TimerJob).GetMethod(nameof(TimerJob.RunDueAsync))
        ?? throw new InvalidOperationException($"{nameof(TimerJob)}.{nameof(TimerJob.RunDueAsync)} is missing.");

    private static readonly MethodInfo RunHandedOver = typeof(TimerJob).GetMethod(nameof(TimerJob.RunHandedOverAsync))
        ?? throw new InvalidOperationException($"{nameof(TimerJob)}.{nameof(TimerJob.RunHandedOverAsync)} is missing.");

    /// <summary>A drain, after <paramref name="delay"/>, of the due timers handed to job <paramref name="jobId"/>.</summary>
    public void ScheduleDrainOf(string jobId, TimeSpan delay) =>
        jobs.Create(FireHandedOverTimers(jobId), new ScheduledState(delay));

    public async Task ScheduleOneAsync(Guid timerId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var delay = dueAt - clock.GetUtcNow();
        var job = new Job(typeof(TimerJob), Run, timerId, CancellationToken.None);
        var jobId = jobs.Create(job, delay > TimeSpan.Zero ? new ScheduledState(delay) : new EnqueuedState());
        await RecordJobAsync(db.Timers.Where(t => t.Id == timerId), jobId, cancellationToken);
    }

    // By id alone, whatever the timer's status: a job recorded on a timer that has fired or been called off meanwhile
    // is never looked at again (the job itself claims the timer only while it is pending). Asking for "pending" here
    // as well let the planner scan every pending timer instead of the primary key (see the timers' index configuration).
    private static Task<int> RecordJobAsync(IQueryable<WorkflowTimer> timers, string jobId, CancellationToken cancellationToken) =>
        timers.ExecuteUpdateAsync(s => s.SetProperty(t => t.JobId, jobId), cancellationToken);
}
