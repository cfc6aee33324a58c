namespace DeliberationFlow.Scheduling;

/// <summary>
/// Remembers the Hangfire job this process has waiting to drain one kind of due work (mail, timers due at once), so
/// that the steps of a busy node share one job instead of paying Hangfire's ~25 transactions each. The job clears the
/// mark before it reads what is due: work committed before the mark was cleared is found by that job, and work
/// committed after it starts a new one. Only the node that made a job holds its mark; when another node's server runs
/// the job, the maker goes on handing work to it until the mark runs out (<see cref="MarkLifetime"/>), so such a run
/// asks for a follow-up drain at that moment (see <see cref="DrainStarting"/>).
/// </summary>
public abstract class DrainCoordinator
{
    /// <summary>How long a node trusts that the job it made is still waiting, unless it runs the job itself.</summary>
    public static readonly TimeSpan MarkLifetime = TimeSpan.FromSeconds(10);

    // Nodes' clocks differ by a few milliseconds (NTP); a follow-up a second late costs nothing.
    private static readonly TimeSpan ClockMargin = TimeSpan.FromSeconds(1);

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

            // Created under the lock: a step arriving meanwhile must be told this job, not start a second one. The mark's
            // lifetime counts from before the job exists, so it ends no later than the job's creation time plus
            // MarkLifetime, the moment a run on another node reckons with.
            var since = Environment.TickCount64;
            var mark = new Mark(enqueue(), since);
            Volatile.Write(ref _mark, mark);
            return mark.JobId;
        }
    }

    /// <summary>The id of the job waiting to drain, if one waits; creates none.</summary>
    public string? WaitingJob() => Fresh(Volatile.Read(ref _mark))?.JobId;

    /// <summary>
    /// Called by the drain job <paramref name="jobId"/>, created at <paramref name="createdAtUtc"/>, before it reads what
    /// is due. If this node was waiting for that job, its mark is cleared and null returned. Otherwise the job may be
    /// another node's, which hands work to it until its mark runs out: the answer is how long from now that may be,
    /// and a drain then finds what was handed over after this one read (null when that moment has passed). A call
    /// without a job (a drain run directly, not by Hangfire) clears the mark.
    /// </summary>
    public TimeSpan? DrainStarting(string? jobId = null, DateTime? createdAtUtc = null)
    {
        // Under the lock: a job that starts while the step that created it has yet to record its mark must not have
        // its clearing overwritten by that mark.
        lock (_gate)
        {
            if (jobId is null || _mark?.JobId == jobId)
            {
                Volatile.Write(ref _mark, null);
                return null;
            }
        }

        // Not this node's waiting job: this node's own mark (if any) stays, its job has yet to run.
        if (createdAtUtc is not { } created)
        {
            return null;
        }

        // The machine's clock, not the service's TimeProvider: Hangfire stamps and schedules its jobs by it.
        var left = created + MarkLifetime + ClockMargin - DateTime.UtcNow;
        return left > TimeSpan.Zero ? left : null;
    }

    private static Mark? Fresh(Mark? mark) =>
        mark is not null && Environment.TickCount64 - mark.Since < (long)MarkLifetime.TotalMilliseconds ? mark : null;

    private sealed record Mark(string JobId, long Since);
}

/// <summary>The delivery job waiting on this node.</summary>
public sealed class OutboxDrainCoordinator : DrainCoordinator;

/// <summary>The job waiting on this node to fire the timers that were already due when a step created them.</summary>
public sealed class TimerDrainCoordinator : DrainCoordinator;
