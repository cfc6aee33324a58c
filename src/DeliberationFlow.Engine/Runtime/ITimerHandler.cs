namespace DeliberationFlow.Engine.Runtime;

/// <summary>
/// Carries out a timer of one kind once it has been claimed. It runs inside the claim's transaction,
/// so what it writes (outbox rows, journal) commits together with the claim or not at all.
/// </summary>
public interface ITimerHandler
{
    string Kind { get; }

    Task<TimerHandling> HandleAsync(WorkflowTimer timer, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>
/// What became of a claimed timer: done, or skipped with a reason (e.g. the meeting was cancelled); and the
/// timers its handling created (a resumed workflow may plan the next consultation), to schedule after commit.
/// </summary>
public sealed record TimerHandling(bool Skipped, string Message)
{
    public IReadOnlyList<WorkflowTimer> NewTimers { get; init; } = [];

    public static TimerHandling Fired(string message, IReadOnlyList<WorkflowTimer>? newTimers = null) =>
        new(false, message) { NewTimers = newTimers ?? [] };

    public static TimerHandling Skip(string reason) => new(true, reason);
}
