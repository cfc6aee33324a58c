namespace DeliberationFlow.Scheduling;

/// <summary>
/// Remembers the Hangfire job this process has waiting to drain one kind of due work (mail, timers due at once), so
/// that the steps of a busy node share one job instead of paying Hangfire's ~25 transactions each. The job clears the
/// mark before it reads what is due: work committed before the mark was cleared is found by that job, and work
/// committed after it starts a new one. A job taken by another node never clears this node's mark; after a few seconds
/// the mark counts as gone, and the every-minute reconciliation catches what this misses.
/// </summary>
public abstract class DrainCoordinator
{
    private const long StaleAfterMilliseconds = 10_000;
    private readonly Lock _gate = new();
    private Mark? _mark;

    /// <summary>The id of the job waiting to drain, or of the one <paramref name="enqueue"/> creates because none waits.</summary>
    public string JobFor(Func<string> enqueue)
    {
        // Every step asks; nearly always a job is waiting, and the answer costs no lock.
        if (Fresh(Volatile.Read(ref _mark)) is { } waiting)
        {
            return waiting.JobId;
        }

        lock (_gate)
        {
            if (Fresh(_mark) is { } created)
            {
                return created.JobId;
            }

            // Created under the lock: a step arriving meanwhile must be told this job, not start a second one.
            var mark = new Mark(enqueue(), Environment.TickCount64);
            Volatile.Write(ref _mark, mark);
            return mark.JobId;
        }
    }

    /// <summary>Called by the drain job before it reads what is due.</summary>
    public void DrainStarting()
    {
        // Under the lock: a job that starts while the step that created it has yet to record its mark must not have
        // its clearing overwritten by that mark.
        lock (_gate)
        {
            Volatile.Write(ref _mark, null);
        }
    }

    private static Mark? Fresh(Mark? mark) =>
        mark is not null && Environment.TickCount64 - mark.Since < StaleAfterMilliseconds ? mark : null;

    private sealed record Mark(string JobId, long Since);
}

/// <summary>The delivery job waiting on this node.</summary>
public sealed class OutboxDrainCoordinator : DrainCoordinator;

/// <summary>The job waiting on this node to fire the timers that were already due when a step created them.</summary>
public sealed class TimerDrainCoordinator : DrainCoordinator;
