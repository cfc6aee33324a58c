using DeliberationFlow.Notifications;

namespace DeliberationFlow.Scheduling;

/// <summary>Drains the outbox. Any number may run at once: each message is claimed before it is sent.</summary>
public sealed class OutboxJob(OutboxDispatcher dispatcher, OutboxDrainCoordinator coordinator)
{
    public Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        coordinator.DrainStarting();
        return dispatcher.DispatchAsync(cancellationToken);
    }
}
