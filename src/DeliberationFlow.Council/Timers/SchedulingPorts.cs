using DeliberationFlow.Engine.Runtime;

namespace DeliberationFlow.Council.Timers;

/// <summary>
/// Turns committed timer rows into jobs. Called after commit; if the process dies before, the periodic
/// reconciliation creates the missing jobs, so nothing is lost.
/// </summary>
public interface ITimerScheduler
{
    Task ScheduleAsync(IReadOnlyCollection<WorkflowTimer> timers, CancellationToken cancellationToken);

    /// <summary>
    /// Before commit, and optional: gives the timers that are due already the job this node has waiting to fire due
    /// timers, if one waits, so that they are saved with it and <see cref="ScheduleAsync"/> after commit need not
    /// record it with a statement (and commit) of its own. Creates nothing and asks nothing of the database.
    /// </summary>
    void HandToWaitingJob(IReadOnlyCollection<WorkflowTimer> timers)
    {
    }
}

/// <summary>Tells the delivery side that committed outbox rows are waiting.</summary>
public interface IOutboxSignal
{
    void MessagesQueued();
}
