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

    /// <summary>
    /// The instant of a wall-clock time in the zone, as RFC 5545 (3.3.5) reads a local time, so a calendar that imports
    /// the meeting shows the same instant: a time skipped by the spring change (02:30 on the last Sunday of March in
    /// Europe/Berlin) is read with the offset before the gap, which is the same wall-clock time moved forward by the gap
    /// (03:30 summer time); a time the autumn change gives twice (02:30 on the last Sunday of October) is the first of the
    /// two, still in summer time (00:30 UTC, not 01:30). Where a person types a single time, the use case refuses a
    /// skipped one first (<see cref="IsSkipped"/>).
    /// </summary>
    public static DateTimeOffset FromLocal(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            local = local.Add(Gap(local, zone));
        }

        // .NET's GetUtcOffset answers the standard offset for an ambiguous time, the second instant.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>True when the wall-clock time does not exist in the zone: the clocks jump over it in spring.</summary>
    public static bool IsSkipped(DateTime local, TimeZoneInfo zone) => zone.IsInvalidTime(DateTime.SpecifyKind(local, DateTimeKind.Unspecified));

    /// <summary>
    /// Why a skipped time is refused, for the field that named it, with the time it would be in the zone's words:
    /// "2027-03-28 02:30 does not exist in Europe/Berlin: …; did you mean 03:30?".
    /// </summary>
    public static string SkippedTimeMessage(DateTime local, TimeZoneInfo zone)
    {
        var moved = ToLocal(FromLocal(local, zone), zone).DateTime;
        return string.Create(CultureInfo.InvariantCulture,
            $"{local:yyyy-MM-dd HH:mm} does not exist in {zone.Id}: that night the clocks go forward by {Gap(local, zone).TotalMinutes:0} minutes and skip it; did you mean {moved:HH:mm}?");
    }

    // How far the clocks go forward across a skipped time: the offset after the change less the offset before it.
    private static TimeSpan Gap(DateTime local, TimeZoneInfo zone) =>
        zone.GetUtcOffset(local.AddHours(3)) - zone.GetUtcOffset(local.AddHours(-3));

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
