using DeliberationFlow.Council.Common;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Timers;

/// <summary>
/// Runs a timer whose job came due. The timer row is claimed (Pending → Fired) by a conditional update
/// inside the transaction that also holds the handler's effects: however many jobs run for one timer,
/// on however many nodes, exactly one claim succeeds.
/// </summary>
public sealed class FireTimer(
    ICouncilDb db, IEnumerable<ITimerHandler> handlers, ITimerScheduler scheduler, IOutboxSignal outbox, TimeProvider clock, ILogger<FireTimer> logger)
{
    public async Task<FireTimerResult> HandleAsync(Guid timerId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var timer = await db.Timers.AsNoTracking().SingleOrDefaultAsync(t => t.Id == timerId, cancellationToken);
        if (timer is null || timer.Status != TimerStatus.Pending)
        {
            return FireTimerResult.AlreadyHandled;
        }

        if (timer.DueAt > now)
        {
            // Scheduled jobs may start up to a second early; the caller schedules again for the due time.
            return FireTimerResult.NotDue(timer.DueAt);
        }

        var handler = handlers.SingleOrDefault(h => h.Kind == timer.Kind)
            ?? throw new InvalidOperationException($"No handler for timer kind '{timer.Kind}' (timer {timer.Id}).");

        // Run again after a deadlock (with a step of the same paper, say), the claim is made afresh: the undone one left the
        // row pending.
        var handling = await db.InTransactionAsync(logger, $"Timer {timerId}", async cancellationToken =>
        {
            var claimed = await db.Timers
                .Where(t => t.Id == timerId && t.Status == TimerStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TimerStatus.Fired).SetProperty(t => t.FiredAt, now), cancellationToken);
            if (claimed == 0)
            {
                return null;
            }

            var handling = await handler.HandleAsync(timer, now, cancellationToken);
            if (handling.Skipped)
            {
                await db.Timers.Where(t => t.Id == timerId)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TimerStatus.Skipped).SetProperty(t => t.Note, handling.Message), cancellationToken);
            }

            var instance = await db.WorkflowInstances.AsNoTracking().SingleAsync(i => i.Id == timer.InstanceId, cancellationToken);
            db.Journal.Add(WorkflowJournal.Entry(instance,
                handling.Skipped ? JournalEventKind.TimerSkipped : JournalEventKind.TimerFired,
                now, "system", handling.Message));
            await db.SaveChangesAsync(cancellationToken);
            return handling;
        }, cancellationToken);
        if (handling is null)
        {
            return FireTimerResult.AlreadyHandled;
        }

        await scheduler.ScheduleAsync(handling.NewTimers, cancellationToken);
        outbox.MessagesQueued();
        return handling.Skipped ? FireTimerResult.Skipped : FireTimerResult.Fired;
    }
}

public sealed record FireTimerResult(string State, DateTimeOffset? DueAt = null)
{
    public static readonly FireTimerResult Fired = new("fired");
    public static readonly FireTimerResult Skipped = new("skipped");
    public static readonly FireTimerResult AlreadyHandled = new("already-handled");

    public static FireTimerResult NotDue(DateTimeOffset dueAt) => new("not-due", dueAt);
}
