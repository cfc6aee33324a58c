using DeliberationFlow.Council.Timers;
using Hangfire;

namespace DeliberationFlow.Scheduling;

/// <summary>
/// Starts a delivery job after a step queued mail, but only when none is already waiting to run (see
/// <see cref="DrainCoordinator"/>). The reconciliation catches anything this misses.
/// </summary>
public sealed class HangfireOutboxSignal(IBackgroundJobClient jobs, OutboxDrainCoordinator coordinator) : IOutboxSignal
{
    public void MessagesQueued() => coordinator.JobFor(() => jobs.Enqueue<OutboxJob>(j => j.DrainAsync(null, CancellationToken.None)));
}
