using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace DeliberationFlow.Benchmarks;

/// <summary>
/// Diagnostic (<c>--allocation-types N</c>): which types the process allocates, per phase of the main run. The runtime
/// raises an allocation tick about every 100 KB a thread allocates, naming the type of the object that crossed the mark,
/// so over thousands of requests the ticks share out the bytes by type (a sample: a type allocated seldom may not show).
/// It answered the eleventh session's question of what a step's 350 KB are made of; it names types, not call sites.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    // The runtime's GC keyword; allocation ticks come at the verbose level.
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.PayloadNames is not { } names)
        {
            return;
        }

        var type = eventData.Payload?[names.IndexOf("TypeName")] as string ?? "(unknown)";
        var amount = Convert.ToInt64(eventData.Payload?[names.IndexOf("AllocationAmount64")], CultureInfo.InvariantCulture);
        _bytes.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }

    /// <summary>The <paramref name="top"/> types by sampled bytes since the last call, per request; then starts afresh.</summary>
    public IEnumerable<string> Drain(int top, int requests)
    {
        var sample = _bytes.ToArray();
        _bytes.Clear();
        var total = Math.Max(1, sample.Sum(kv => kv.Value));
        yield return $"allocation sample: {total / 1024.0 / Math.Max(1, requests):F0} KB per request, by type:";
        foreach (var (type, bytes) in sample.OrderByDescending(kv => kv.Value).Take(top))
        {
            yield return $"{bytes / 1024.0 / Math.Max(1, requests),8:F1} KB {100.0 * bytes / total,5:F1} %  {type}";
        }
    }
}
