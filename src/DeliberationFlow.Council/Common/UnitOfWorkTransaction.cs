using DeliberationFlow.Engine.Runtime;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Common;

/// <summary>
/// Runs a use case's work in one transaction of the unit of work and commits it. Two use cases that touch the same
/// paper, meeting or timers at the same moment can lock rows in orders that cross; PostgreSQL then undoes one of them
/// whole to break the deadlock. That one is run again from the start with an empty unit of work: it waits for the
/// other to commit and then goes on, or finds its work done and answers as any request that came second does. Without
/// this the caller would get a 500 for work that is safe to repeat. A step whose workflow ran into a loop that never
/// waits is run again the same way, for the runner to fault the instance instead of the loop's iterations being
/// committed or the step refused (see <see cref="WorkflowRunner"/>).
/// </summary>
public static class UnitOfWorkTransaction
{
    /// <summary>How often a deadlock victim is run in all; a third deadlock in a row is reported, not hidden.</summary>
    public const int MaxAttempts = 3;

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and commits it. <paramref name="work"/> must load what it changes
    /// itself (the unit of work is empty again when it is run a second time).
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(
        this ICouncilDb db, ILogger logger, string what, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var runaways = 0;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var result = await work(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (Exception ex) when (db.IsDeadlock(ex))
            {
                db.ChangeTracker.Clear();
                if (attempt == MaxAttempts)
                {
                    throw new RetryLaterException(
                        $"{what} met other work on the same records and was undone {MaxAttempts} times; nothing was changed. Send the request again in a moment.", ex);
                }

                logger.LogInformation("{Work} was undone to end a deadlock (attempt {Attempt}); running it again.", what, attempt);
            }
            catch (WorkflowRunawayException ex) when (++runaways <= MaxAttempts)
            {
                // The workflow ran into a loop that never waits, with the loop's iterations staged among the step's own
                // work. The transaction is rolled back (disposed above) and the unit of work emptied; run again, the step
                // does its own part (the paper registered, the outcome recorded) and the runner, having noted the loop,
                // faults the instance where the loop's run began instead of entering it (see WorkflowRunner). The
                // request is answered as usual; the admin finds the incident. Not counted as a deadlock attempt.
                db.ChangeTracker.Clear();
                attempt--;
                logger.LogWarning("{Work} ran into a workflow loop and was undone; running it again to fault the instance: {Fault}", what, ex.Message);
            }
        }
    }
}
