using System.Diagnostics;

namespace DeliberationFlow.Benchmarks;

/// <summary>
/// Counts the SQL statements this process sends to PostgreSQL, from Npgsql's own activity source (one activity
/// per command, whoever issues it: EF Core, Hangfire's storage, the baseline). With PostgreSQL on the same cores,
/// statements per step is the figure that decides a step's cost; the benchmark prints it per phase.
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
