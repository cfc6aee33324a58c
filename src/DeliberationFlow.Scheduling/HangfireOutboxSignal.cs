using DeliberationFlow.Council.Timers;
using Hangfire;

namespace DeliberationFlow.Scheduling;

/// <summary>
/// Starts a delivery job after a step queued mail — but only when none is already waiting to run, so a busy
/// node drains many steps' mail in one job instead of paying Hangfire's ~25 transactions per step. The
/// reconciliation catches anything this misses.
/// </summary>
public sealed class HangfireOutboxSignal(IBackgroundJobClient jobs, OutboxDrainCoordinator coordinator) : IOutboxSignal
{
    public void MessagesQueued()
    {
        if (coordinator.TryClaimEnqueue())
        {
            jobs.Enqueue<OutboxJob>(j => j.DrainAsync(CancellationToken.None));
        }
    }
}

/// <summary>
/// Remembers whether this process has a delivery job waiting. The job clears the mark before it drains, so
/// mail committed before the mark was cleared is drained by that job, and mail committed after it starts a
/// new one. A job taken by another node never clears this node's mark; after a few seconds it counts as gone.
/// </summary>
public sealed class OutboxDrainCoordinator
{
    private static readonly long StaleAfterMilliseconds = 10_000;
    private long _pendingSince;

    public bool TryClaimEnqueue()
    {
        var now = Environment.TickCount64;
        var pending = Interlocked.Read(ref _pendingSince);
        if (pending != 0 && now - pending < StaleAfterMilliseconds)
        {
            return false;
        }

        return Interlocked.CompareExchange(ref _pendingSince, now, pending) == pending;
    }

    public void DrainStarting() => Interlocked.Exchange(ref _pendingSince, 0);
}
