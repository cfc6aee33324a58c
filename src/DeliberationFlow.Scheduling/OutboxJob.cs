using DeliberationFlow.Notifications;
using Hangfire;
using Hangfire.Server;

namespace DeliberationFlow.Scheduling;

/// <summary>Drains the outbox. Any number may run at once: each message is claimed before it is sent.</summary>
public sealed class OutboxJob(OutboxDispatcher dispatcher, OutboxDrainCoordinator coordinator, IBackgroundJobClient jobs)
{
    /// <summary>The delivery job a node's steps share; Hangfire passes the <paramref name="context"/> (null when the job is created).</summary>
    public Task<int> DrainAsync(PerformContext? context, CancellationToken cancellationToken)
    {
        var job = context?.BackgroundJob;
        if (coordinator.DrainStarting(job?.Id, job?.CreatedAt) is { } handedOverFor)
        {
            // Another node made this job and hands its mail to it for a few seconds more: a later drain sends that.
            jobs.Schedule<OutboxJob>(j => j.FollowUpAsync(CancellationToken.None), handedOverFor);
        }

        return dispatcher.DispatchAsync(cancellationToken);
    }

    /// <summary>The drain after another node's delivery job ran here: sends what that node queued meanwhile.</summary>
    public Task<int> FollowUpAsync(CancellationToken cancellationToken) => dispatcher.DispatchAsync(cancellationToken);
}
