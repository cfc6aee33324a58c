using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Notifications;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Scheduling;

/// <summary>
/// The every-minute job (and the one at start-up) that catches what the steps' own jobs missed: timers without a live
/// job, steps overdue after their meeting, stored answers past their retention, and mail that is due (its delivery
/// job lost, or its retry come due). Safe to run on several nodes at once: each part claims or checks what it takes.
/// </summary>
public sealed class Reconciliation(
    TimerReconciler timers,
    EscalateOverdueSteps escalation,
    PruneIdempotencyRecords idempotency,
    OutboxDispatcher outbox,
    ILogger<Reconciliation> logger)
{
    /// <summary>The recurring job's id in Hangfire.</summary>
    public const string JobId = "reconciliation";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await timers.ReconcileAsync(cancellationToken);

        // Steps whose meeting passed long ago without an outcome are reported once, then sent with the rest.
        await escalation.HandleAsync(cancellationToken);

        // Stored answers past the time anyone retries.
        var pruned = await idempotency.HandleAsync(cancellationToken);
        if (pruned > 0)
        {
            logger.LogInformation("Deleted {Count} stored answer(s) older than {Retention} days.", pruned, PruneIdempotencyRecords.Retention.TotalDays);
        }

        // Mail whose delivery job was lost, or whose retry has come due.
        await outbox.DispatchAsync(cancellationToken);
    }
}
