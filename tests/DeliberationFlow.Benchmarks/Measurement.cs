using System.Diagnostics;
using System.Globalization;

namespace DeliberationFlow.Benchmarks;

/// <summary>Latencies of one phase, in milliseconds, and what they sum up to.</summary>
public sealed class Latencies(IEnumerable<double> milliseconds)
{
    private readonly double[] _sorted = [.. milliseconds.Order()];

    public int Count => _sorted.Length;

    public IReadOnlyList<double> Values => _sorted;

    public double Mean => _sorted.Length == 0 ? 0 : _sorted.Average();

    public double Max => _sorted.Length == 0 ? 0 : _sorted[^1];

    /// <summary>Nearest-rank percentile.</summary>
    public double Percentile(double p)
    {
        if (_sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(p / 100.0 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

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
