using System.Globalization;

namespace DeliberationFlow.Council.Calendar;

/// <summary>
/// Calendar arithmetic in a body's local time. "Seven days before a meeting at 15:00" means 15:00 local
/// time seven calendar days earlier, even when a daylight-saving change lies between.
/// </summary>
public static class BodyClock
{
    public static DateTimeOffset LocalDaysBefore(DateTimeOffset instant, int days, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone).DateTime.AddDays(-days);
        return FromLocal(local, zone);
    }

    /// <summary>The instant of a wall-clock time in the zone. A time skipped by the spring change moves forward by the gap.</summary>
    public static DateTimeOffset FromLocal(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>
    /// A local date and time of the body as a request or a workflow writes it ("2022-01-25T15:00"). A text that names
    /// its offset ("2022-01-25T14:00Z", "…T15:00+01:00", as JavaScript's toISOString writes) is that instant, told in the
    /// body's zone: read as a plain date and time it would be moved into the server's zone and then taken for the body's,
    /// an hour or two off on a server that runs in UTC.
    /// </summary>
    public static bool TryParseLocal(string? text, TimeZoneInfo zone, out DateTime local)
    {
        local = default;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            return false;
        }

        if (parsed.Kind == DateTimeKind.Unspecified)
        {
            local = parsed;
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            return false;
        }

        local = ToLocal(instant, zone).DateTime;
        return true;
    }

    public static DateTimeOffset ToLocal(DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone);

    /// <summary>The calendar day the instant falls on in the zone: a meeting at 00:30 local time is on that day, not the one before in UTC.</summary>
    public static DateOnly LocalDay(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(ToLocal(instant, zone).DateTime);

    /// <summary>Date and time in the zone as German minutes and journal lines write them: 29.04.2021 15:00.</summary>
    public static string LocalText(DateTimeOffset instant, TimeZoneInfo zone) =>
        ToLocal(instant, zone).ToString("dd.MM.yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
