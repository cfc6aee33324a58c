using DeliberationFlow.Council.Timers;
using Hangfire;

namespace DeliberationFlow.Scheduling;

/// <summary>Starts a delivery job right after a step queued mail; the reconciliation catches anything this misses.</summary>
public sealed class HangfireOutboxSignal(IBackgroundJobClient jobs) : IOutboxSignal
{
    public void MessagesQueued() => jobs.Enqueue<OutboxJob>(j => j.DrainAsync(CancellationToken.None));
}
