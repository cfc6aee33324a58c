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

    public static DateTimeOffset ToLocal(DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone);

    /// <summary>The calendar day the instant falls on in the zone: a meeting at 00:30 local time is on that day, not the one before in UTC.</summary>
    public static DateOnly LocalDay(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(ToLocal(instant, zone).DateTime);

    /// <summary>Date and time in the zone as German minutes and journal lines write them: 29.04.2021 15:00.</summary>
    public static string LocalText(DateTimeOffset instant, TimeZoneInfo zone) =>
        ToLocal(instant, zone).ToString("dd.MM.yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
