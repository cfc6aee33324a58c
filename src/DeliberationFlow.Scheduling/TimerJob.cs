using DeliberationFlow.Council.Timers;

namespace DeliberationFlow.Scheduling;

/// <summary>The Hangfire job of a timer. It carries the timer's id only and is safe to run any number of times.</summary>
public sealed class TimerJob(FireTimer fireTimer, HangfireTimerScheduler scheduler)
{
    public async Task RunAsync(Guid timerId, CancellationToken cancellationToken)
    {
        var result = await fireTimer.HandleAsync(timerId, cancellationToken);
        if (result.DueAt is { } dueAt)
        {
            // Hangfire's schedule has one-second granularity and may start a job early: try again at the due time.
            await scheduler.ScheduleOneAsync(timerId, dueAt, cancellationToken);
        }
    }
}
