using System.Diagnostics;
using System.Globalization;
using HdrHistogram;

namespace DeliberationFlow.Benchmarks;

/// <summary>
/// Latencies of one phase, recorded concurrently into an HDR histogram (microseconds, three significant digits):
/// its memory is fixed when it is created, so a million recorded steps do not grow the RSS the benchmark measures.
/// </summary>
public sealed class Latencies
{
    private const long MaxMicroseconds = 10L * 60 * 1_000_000;
    private readonly LongConcurrentHistogram _histogram = new(1, MaxMicroseconds, 3);

    public long Count => _histogram.TotalCount;

    public double Mean => Count == 0 ? 0 : _histogram.GetMean() / 1000.0;

    public double Max => Count == 0 ? 0 : _histogram.GetMaxValue() / 1000.0;

    public void Record(TimeSpan elapsed) =>
        _histogram.RecordValue(Math.Clamp((long)Math.Round(elapsed.TotalMicroseconds), 1, MaxMicroseconds));

    /// <summary>The latencies of several phases together (the percentiles of all steps).</summary>
    public static Latencies Combine(IEnumerable<Latencies> phases)
    {
        var all = new Latencies();
        foreach (var phase in phases)
        {
            all._histogram.Add(phase._histogram);
        }

        return all;
    }

    /// <summary>The latency <paramref name="p"/> per cent of the requests stayed within.</summary>
    public double Percentile(double p) => Count == 0 ? 0 : _histogram.GetValueAtPercentile(p) / 1000.0;

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"mean {Mean:F2} ms, p50 {Percentile(50):F2}, p95 {Percentile(95):F2}, p99 {Percentile(99):F2}, max {Max:F2}");
}

/// <summary>Runs work items with a fixed number of concurrent clients, each doing one item at a time.</summary>
public static class Clients
{
    public static async Task<TimeSpan> RunAsync(int items, int clients, Func<int, Task> work)
    {
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Math.Min(clients, items)).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < items)
            {
                await work(i);
            }
        }));
        await Task.WhenAll(workers);
        return stopwatch.Elapsed;
    }
}

/// <summary>The process's resident set, as the operating system counts it.</summary>
public static class ProcessMemory
{
    /// <summary>RSS in bytes after a full, compacting collection, so garbage not yet collected is not counted.</summary>
    public static long ResidentAfterCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return Resident();
    }

    public static long Resident()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // Not Linux: the runtime's own figure.
        }

        return Environment.WorkingSet;
    }

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " MB";
}
