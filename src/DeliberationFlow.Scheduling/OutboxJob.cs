using DeliberationFlow.Notifications;

namespace DeliberationFlow.Scheduling;

/// <summary>Drains the outbox. Any number may run at once: each message is claimed before it is sent.</summary>
public sealed class OutboxJob(OutboxDispatcher dispatcher)
{
    public Task<int> DrainAsync(CancellationToken cancellationToken) => dispatcher.DispatchAsync(cancellationToken);
}
