using DeliberationFlow.Council.Model;
using PublicHoliday;

namespace DeliberationFlow.Council.Calendar;

/// <summary>
/// The deadlines of a consultation, in the body's local time: the Vorlagenfrist (by default in working days,
/// without weekends and the public holidays of the body's state) and the Ladungsfrist (calendar days). Urgent
/// papers get the committee's shorter deadlines.
/// </summary>
public static class Deadlines
{
    /// <summary>The moment by which the paper must be final for the meeting.</summary>
    public static DateTimeOffset SubmissionDeadline(Meeting meeting, Organization committee, Paper paper, Body body) =>
        SubmissionDeadline(meeting, committee, paper.IsUrgent, body);

    /// <summary>The Vorlagenfrist, the urgent one or the normal one (an Eilentscheidung asks for the urgent one of any paper).</summary>
    public static DateTimeOffset SubmissionDeadline(Meeting meeting, Organization committee, bool urgent, Body body)
    {
        var days = urgent ? committee.UrgentSubmissionDeadlineDays : committee.SubmissionDeadlineDays;
        return committee.SubmissionDeadlineInWorkingDays
            ? WorkingDaysBefore(meeting.Start, days, body)
            : BodyClock.LocalDaysBefore(meeting.Start, days, body.Zone);
    }

    /// <summary>When the invitation goes out: the Ladungsfrist before the meeting, at the meeting's local time.</summary>
    public static DateTimeOffset InvitationDue(Meeting meeting, Organization committee, Paper paper, Body body) =>
        BodyClock.LocalDaysBefore(meeting.Start, paper.IsUrgent ? committee.UrgentNoticePeriodDays : committee.NoticePeriodDays, body.Zone);

    /// <summary>The same local time, <paramref name="workingDays"/> working days of the body's state earlier.</summary>
    public static DateTimeOffset WorkingDaysBefore(DateTimeOffset instant, int workingDays, Body body)
    {
        var local = BodyClock.ToLocal(instant, body.Zone).DateTime;
        var holidays = Holidays(body);
        var day = local.Date;
        for (var counted = 0; counted < workingDays;)
        {
            day = day.AddDays(-1);
            if (holidays.IsWorkingDay(day))
            {
                counted++;
            }
        }

        return BodyClock.FromLocal(day + local.TimeOfDay, body.Zone);
    }

    public static bool IsWorkingDay(DateOnly day, Body body) => Holidays(body).IsWorkingDay(day.ToDateTime(TimeOnly.MinValue));

    /// <summary>The public holiday of the body's state on this day ("Christi Himmelfahrt"), or null on any other day.</summary>
    public static string? HolidayName(DateOnly day, Body body) =>
        Holidays(body).PublicHolidayNames(day.Year).TryGetValue(day.ToDateTime(TimeOnly.MinValue), out var name) ? name : null;

    private static GermanPublicHoliday Holidays(Body body) =>
        new() { State = Enum.TryParse<GermanPublicHoliday.States>(body.State, ignoreCase: true, out var state) ? state : GermanPublicHoliday.States.NI };
}
