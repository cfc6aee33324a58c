using DeliberationFlow.Engine.Runtime;

namespace DeliberationFlow.Council.Timers;

/// <summary>
/// Turns committed timer rows into jobs. Called after commit; if the process dies before, the periodic
/// reconciliation creates the missing jobs, so nothing is lost.
/// </summary>
public interface ITimerScheduler
{
    Task ScheduleAsync(IReadOnlyCollection<WorkflowTimer> timers, CancellationToken cancellationToken);
}

/// <summary>Tells the delivery side that committed outbox rows are waiting.</summary>
public interface IOutboxSignal
{
    void MessagesQueued();
}
