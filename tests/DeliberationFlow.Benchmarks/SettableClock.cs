namespace DeliberationFlow.Benchmarks;

/// <summary>
/// The service's clock, standing still at a chosen moment and moved by the benchmark between phases, so planning
/// finds the demo meetings of spring 2021 ahead of "now" and the outcomes fall after those meetings.
/// </summary>
public sealed class SettableClock(DateTimeOffset start) : TimeProvider
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private long _ticks = start.UtcTicks;

    public static DateTimeOffset BerlinTime(int year, int month, int day, int hour, int minute = 0)
    {
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Berlin.GetUtcOffset(local)).ToUniversalTime();
    }

    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _ticks, now.UtcTicks);

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
}
