using System.Globalization;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Meetings;

/// <summary>
/// A single meeting (<see cref="Start"/> only) or a series: an iCalendar recurrence rule such as
/// <c>FREQ=MONTHLY;BYDAY=4TU</c> ("every 4th Tuesday") from <see cref="Start"/> until <see cref="Until"/>, without the
/// <see cref="Exceptions"/>. Times are local times of the body.
/// </summary>
public sealed record ScheduleMeetingsRequest(
    string? Start,
    string? Recurrence,
    string? Until,
    IReadOnlyList<string>? Exceptions,
    string? Name,
    string? Location,
    string? Publicity,
    int? DurationMinutes);

/// <summary>
/// What scheduling did: the meetings created, the days skipped (an exception, a day that already has a meeting of the
/// committee, a day past, a public holiday), and of those the public holidays by name.
/// <see cref="Moved"/>: the meetings of a series whose time did not exist on their day (the night the clocks go forward),
/// each with the time it was moved to.
/// </summary>
public sealed record ScheduledMeetings(
    IReadOnlyList<MeetingView> Created, IReadOnlyList<string> Skipped, IReadOnlyList<SkippedHoliday> Holidays, IReadOnlyList<MovedOccurrence> Moved);

/// <summary>
/// A meeting of a series at a local time the clocks skip on its day (02:30 on the last Sunday of March in Europe/Berlin):
/// created at <see cref="Start"/>, the same time moved forward by the change (03:30), as calendars read such a time.
/// </summary>
public sealed record MovedOccurrence(string Date, string Requested, string Start);

/// <summary>A day of a series left out because it is a public holiday of the body's state.</summary>
public sealed record SkippedHoliday(string Date, string Name);

/// <summary>
/// Adds meetings to a committee's calendar; days that already have a meeting of the committee are skipped, and so are
/// the public holidays of the body's state that a series falls on (a single meeting is taken on the day it names).
/// </summary>
public sealed class ScheduleMeetings(ICouncilDb db, TimeProvider clock, ILogger<ScheduleMeetings> logger)
{
    private const int MaxOccurrences = 200;

    /// <summary>A meeting's name as calendars and invitations show it ("Sitzung: Finanz- und Personalausschuss").</summary>
    public const int MaxNameLength = 300;

    /// <summary>A place with room and address ("Rathaus, Raum A1.129, Platz der Deutschen Einheit 1, 38100 Braunschweig").</summary>
    public const int MaxLocationLength = 500;

    public async Task<ScheduledMeetings> HandleAsync(Caller caller, string committeeKey, ScheduleMeetingsRequest request, CancellationToken cancellationToken)
    {
        var committee = await db.Organizations.SingleOrDefaultAsync(
                o => o.BodyId == caller.BodyId && o.Key == committeeKey && o.Kind == OrganizationKind.Committee, cancellationToken)
            ?? throw new NotFoundException($"No committee '{committeeKey}'.");
        if (!caller.MayRecordFor(committee.Id))
        {
            throw new ForbiddenException($"You may plan meetings only of your own committees; '{committee.Name}' is not one of them.");
        }

        var body = await db.Bodies.GetAsync(caller.BodyId, cancellationToken);
        var errors = new ValidationErrors();
        var start = ParseLocal(errors, "start", request.Start, body.Zone, required: true);
        var until = ParseLocal(errors, "until", request.Until, body.Zone, required: request.Recurrence is { Length: > 0 });
        if (request.Recurrence is { Length: > 0 } && start is not null && until < start)
        {
            // Else the series would hold no meeting and the answer would look like success.
            errors.Add("until", $"The series ends before its first meeting ({start:yyyy-MM-dd HH:mm}); give an 'until' on or after the start.");
        }

        // A single start is typed by a person, who is told rather than invited to a time they never wrote; a series'
        // times come from its rule, and one the clocks skip is moved forward and named in the answer's moved.
        if (start is { } typed && request.Recurrence is not { Length: > 0 } && BodyClock.IsSkipped(typed, body.Zone))
        {
            errors.Add("start", BodyClock.SkippedTimeMessage(typed, body.Zone));
        }

        errors.MaxLength("name", request.Name, MaxNameLength, "A meeting's name");
        errors.MaxLength("location", request.Location, MaxLocationLength, "The location");
        var publicity = committee.MeetsInPrivate ? MeetingPublicity.NonPublic : MeetingPublicity.Public;
        if (request.Publicity is { Length: > 0 } && !Enum.TryParse(request.Publicity, ignoreCase: true, out publicity))
        {
            errors.Add("publicity", $"Use one of: {string.Join(", ", Enum.GetNames<MeetingPublicity>())}.");
        }
        else if (committee.MeetsInPrivate && publicity != MeetingPublicity.NonPublic)
        {
            errors.Add("publicity", $"The {committee.Name} sits in private (§ 78 Abs. 2 NKomVG); leave the publicity empty or choose NonPublic.");
        }

        if (request.DurationMinutes is < 15 or > 24 * 60)
        {
            errors.Add("durationMinutes", "A meeting lasts between 15 minutes and a day.");
        }

        var exceptions = new HashSet<DateOnly>();
        foreach (var (text, i) in (request.Exceptions ?? []).Select((e, i) => (e, i)))
        {
            if (DateOnly.TryParse(text, CultureInfo.InvariantCulture, out var day))
            {
                exceptions.Add(day);
            }
            else
            {
                errors.Add($"exceptions[{i}]", $"'{text}' is not a date like \"2022-07-26\".");
            }
        }

        errors.ThrowIfAny();
        var occurrences = Occurrences(start!.Value, request.Recurrence, until);
        var now = clock.GetUtcNow();
        return await db.InTransactionAsync(logger, $"Adding meetings of '{committee.Key}'", async cancellationToken =>
        {
            // Taken before the days that have a meeting are read, so meetings added or moved at the same moment are seen.
            await TakeCalendarAsync(db, committee.Id, cancellationToken);
            return await AddAsync(committee, body, request, occurrences, publicity, exceptions, now, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Takes the committee's row until the transaction ends. Adding meetings and moving one each check that the day is
    /// free of the committee's meetings before they write theirs; two of them on the same day at the same moment could
    /// otherwise both find it free (PostgreSQL reads committed rows only), and the committee would meet twice that day.
    /// Taken first, before the days are read: the second waits for the first to commit and then sees its meeting.
    /// </summary>
    internal static Task TakeCalendarAsync(ICouncilDb db, Guid committeeId, CancellationToken cancellationToken) =>
        db.TakeOrganizationAsync(committeeId, cancellationToken);

    private async Task<ScheduledMeetings> AddAsync(
        Organization committee, Body body, ScheduleMeetingsRequest request, List<DateTime> occurrences, MeetingPublicity publicity, HashSet<DateOnly> exceptions,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existingDays = (await db.Meetings.Where(m => m.OrganizationId == committee.Id && !m.Cancelled).Select(m => m.Start).ToListAsync(cancellationToken))
            .Select(s => BodyClock.LocalDay(s, body.Zone)).ToHashSet();
        var created = new List<Meeting>();
        var skipped = new List<string>();
        var holidays = new List<SkippedHoliday>();
        var moved = new List<MovedOccurrence>();
        var series = request.Recurrence is { Length: > 0 };
        foreach (var local in occurrences)
        {
            var day = DateOnly.FromDateTime(local);
            var dayText = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (exceptions.Contains(day) || existingDays.Contains(day))
            {
                skipped.Add(dayText);
                continue;
            }

            // "Every second Thursday" does not mean Christi Himmelfahrt: a rule knows no holidays, the committee does.
            if (series && Deadlines.HolidayName(day, body) is { } holiday)
            {
                skipped.Add(dayText);
                holidays.Add(new SkippedHoliday(dayText, holiday));
                continue;
            }

            var instant = BodyClock.FromLocal(local, body.Zone);
            if (instant <= now)
            {
                skipped.Add(dayText);
                continue;
            }

            if (BodyClock.IsSkipped(local, body.Zone))
            {
                moved.Add(new MovedOccurrence(dayText, local.ToString("HH:mm", CultureInfo.InvariantCulture),
                    BodyClock.ToLocal(instant, body.Zone).ToString("HH:mm", CultureInfo.InvariantCulture)));
            }

            // One meeting a day holds for the series itself too: a rule with two times a day (BYHOUR=9,15) or an
            // hourly one would otherwise put two meetings of the committee on one day, which a move refuses.
            existingDays.Add(day);
            created.Add(new Meeting
            {
                Id = Guid.CreateVersion7(now), BodyId = body.Id, OrganizationId = committee.Id,
                Name = request.Name ?? $"Sitzung: {committee.Name}", Start = instant, End = instant.AddMinutes(request.DurationMinutes ?? 180),
                Location = request.Location, Publicity = publicity, Created = now, Modified = now,
            });
        }

        db.Meetings.AddRange(created);
        await db.SaveChangesAsync(cancellationToken);
        return new ScheduledMeetings(
            created.Select(m => MeetingView.Of(m, committee)).ToList(),
            skipped,
            holidays,
            moved);
    }

    /// <summary>The local start times of the series, expanded by Ical.Net as wall-clock times of the body (so 15:00 stays 15:00 across DST).</summary>
    private static List<DateTime> Occurrences(DateTime start, string? recurrence, DateTime? until)
    {
        if (recurrence is not { Length: > 0 })
        {
            return [start];
        }

        List<DateTime> result;
        try
        {
            // Expanded in floating (wall-clock) time: in the body's zone Ical.Net would already have moved a time the
            // clocks skip (02:30 → 03:30), and the answer could not name it; FromLocal moves it as Ical.Net does.
            var series = new CalendarEvent { DtStart = new CalDateTime(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0) };
            series.RecurrenceRule = new RecurrencePattern(recurrence);
            result = series.GetOccurrences()
                .Select(o => o.Period.StartTime)
                .TakeWhile(t => new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0) <= until!.Value)
                .Take(MaxOccurrences + 1)
                .Select(t => new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0))
                .ToList();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or NotSupportedException)
        {
            throw RequestValidationException.For("recurrence", $"'{recurrence}' is not a recurrence rule like \"FREQ=MONTHLY;BYDAY=4TU\": {ex.Message}");
        }

        if (result.Count > MaxOccurrences)
        {
            throw RequestValidationException.For("until", $"The series would hold more than {MaxOccurrences} meetings; choose an earlier 'until'.");
        }

        return result;
    }

    private static DateTime? ParseLocal(ValidationErrors errors, string field, string? text, TimeZoneInfo zone, bool required)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add(field, $"'{field}' is required: a local date and time like \"2022-01-25T15:00\".");
            }

            return null;
        }

        if (BodyClock.TryParseLocal(text, zone, out var value))
        {
            if (!errors.PlausibleYear(field, value.Year, "2022-01-25T15:00"))
            {
                return null;
            }

            return value.TimeOfDay == TimeSpan.Zero && field == "until" ? value.Date.AddDays(1).AddTicks(-1) : value;
        }

        errors.Add(field, $"'{text}' is not a local date and time like \"2022-01-25T15:00\".");
        return null;
    }
}
