using System.Collections.Concurrent;
using DeliberationFlow.Council.Timers;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Scheduling;

/// <summary>
/// The Hangfire jobs of timers: one that fires a single timer by its id, and one that fires every timer due now (the
/// job steps share for timers that were due when they were created). Both are safe to run any number of times, on any
/// number of nodes: <see cref="FireTimer"/> claims each timer before it acts.
/// </summary>
public sealed class TimerJob(
    FireTimer fireTimer,
    HangfireTimerScheduler scheduler,
    TimerDrainCoordinator drain,
    DeliberationDbContext db,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<TimerJob> logger)
{
    private const int BatchSize = 100;
    private const int Lanes = 4;

    public async Task RunAsync(Guid timerId, CancellationToken cancellationToken)
    {
        var result = await fireTimer.HandleAsync(timerId, cancellationToken);
        if (result.DueAt is { } dueAt)
        {
            // Hangfire's schedule has one-second granularity and may start a job early: try again at the due time.
            await scheduler.ScheduleOneAsync(timerId, dueAt, cancellationToken);
        }
    }

    /// <summary>
    /// The job a node's steps share for the timers already due when they were created (see
    /// <see cref="TimerDrainCoordinator"/>); Hangfire passes the <paramref name="context"/> (null when the job is created).
    /// </summary>
    public async Task<int> RunDueAsync(PerformContext? context, CancellationToken cancellationToken)
    {
        var job = context?.BackgroundJob;
        if (drain.DrainStarting(job?.Id, job?.CreatedAt) is { } handedOverFor && job is not null)
        {
            // Another node made this job and hands its timers to it for a few seconds more: a later drain fires those.
            scheduler.ScheduleDrainOf(job.Id, handedOverFor);
        }

        return await FireDueAsync(job?.Id, cancellationToken);
    }

    /// <summary>
    /// Fires the due timers handed to job <paramref name="jobId"/> (to this job when null) or to no job, outside a node's
    /// shared job: the reconciliation's job for the timers it rescues, and the drain after another node's shared job
    /// ran here.
    /// </summary>
    public Task<int> RunHandedOverAsync(string? jobId, PerformContext? context, CancellationToken cancellationToken) =>
        FireDueAsync(jobId ?? context?.BackgroundJob.Id, cancellationToken);

    /// <summary>
    /// Fires, oldest first, every pending timer that is due and has been given to job <paramref name="jobId"/> or to no
    /// job yet; returns how many it fired. A timer that has a job of its own (a scheduled one, or one that retries a
    /// failure) is left to that job: a timer whose handler keeps failing would otherwise gain another job with every drain.
    /// </summary>
    private async Task<int> FireDueAsync(string? jobId, CancellationToken cancellationToken)
    {
        var fired = 0;
        var failed = new ConcurrentBag<Guid>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var skip = failed.ToList();
            var due = await db.Timers.AsNoTracking()
                .Where(t => t.Status == TimerStatus.Pending && t.DueAt <= now && (t.JobId == null || t.JobId == jobId) && !skip.Contains(t.Id))
                .OrderBy(t => t.DueAt)
                .Select(t => new DueTimer(t.Id, t.DueAt))
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (due.Count == 0)
            {
                break;
            }

            // A few lanes at once, as the jobs of single timers would run on several workers: a backlog after downtime
            // (thousands of invitations) is not fired one by one.
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Lanes, CancellationToken = cancellationToken }, async (timer, token) =>
            {
                var result = await FireAsync(timer, token);
                if (result is null)
                {
                    failed.Add(timer.Id);
                }
                else if (result == FireTimerResult.Fired)
                {
                    Interlocked.Increment(ref fired);
                }
            });
        }

        return fired;
    }

    /// <summary>Fires one due timer in a unit of work of its own, as its own job would; null if it failed.</summary>
    private async Task<FireTimerResult?> FireAsync(DueTimer timer, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            return await scope.ServiceProvider.GetRequiredService<FireTimer>().HandleAsync(timer.Id, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The others still fire. This one gets a job of its own, which Hangfire retries and, should it keep
            // failing, shows as failed, as it does for any timer's job.
            logger.LogError(ex, "Timer {TimerId} failed while the due timers were fired; it is retried by a job of its own.", timer.Id);
            await scope.ServiceProvider.GetRequiredService<HangfireTimerScheduler>().ScheduleOneAsync(timer.Id, timer.DueAt, cancellationToken);
            return null;
        }
    }

    private sealed record DueTimer(Guid Id, DateTimeOffset DueAt);
}
