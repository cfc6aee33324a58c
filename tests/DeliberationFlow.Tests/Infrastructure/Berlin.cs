using Microsoft.Extensions.Time.Testing;

namespace DeliberationFlow.Tests.Infrastructure;

/// <summary>Local times of the demo body, as the tests speak of them.</summary>
public static class Berlin
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static DateTimeOffset At(int year, int month, int day, int hour, int minute = 0, int second = 0)
    {
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    public static FakeTimeProvider Clock(int year, int month, int day, int hour, int minute = 0) => new(At(year, month, day, hour, minute));
}
