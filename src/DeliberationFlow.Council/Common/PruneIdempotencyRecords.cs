using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Common;

/// <summary>
/// Deletes the stored first answers of requests older than <see cref="Retention"/>. A client retries within seconds or
/// minutes, and the outcomes page within a secretary's working session; after that a repeat of the request finds its
/// consultation recorded and is answered with a conflict, never with a second step. Without this the table grew by one
/// answer of several kilobytes with every step, for the life of the installation. Run by the every-minute reconciliation.
/// </summary>
public sealed class PruneIdempotencyRecords(ICouncilDb db, TimeProvider clock)
{
    /// <summary>How long a request's first answer is kept for a retry with the same <c>Idempotency-Key</c>.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    /// <summary>
    /// At most this many per run, so that a first run on an installation that kept every answer so far takes the backlog
    /// in short transactions (7.2 million a day at one run a minute, more than any council records).
    /// </summary>
    public const int BatchSize = 5_000;

    public async Task<int> HandleAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - Retention;
        // Oldest first, so a backlog shrinks in the order its answers expired.
        return await db.IdempotencyRecords.Where(r => r.CreatedAt < cutoff).OrderBy(r => r.CreatedAt).Take(BatchSize).ExecuteDeleteAsync(cancellationToken);
    }
}
