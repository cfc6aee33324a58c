using System.Diagnostics;

namespace DeliberationFlow.Benchmarks;

/// <summary>
/// Counts the commands this process sends to PostgreSQL, from Npgsql's own activity source (one activity per command
/// or batch, whoever issues it: EF Core, Hangfire's storage, the baseline), i.e. the round trips. An EF Core save is one
/// batch of many statements; the statements PostgreSQL executes per step are counted with <c>pg_stat_statements</c>
/// (docs/performance.md). Until the sixth session the benchmark called this figure "SQL statements per request".
/// </summary>
public sealed class StatementCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private long _count;

    public StatementCounter()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
            ActivityStopped = _ => Interlocked.Increment(ref _count),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
