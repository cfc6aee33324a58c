using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Model;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace DeliberationFlow.Council.Notifications;

/// <summary>Who the service's calendar entries and mails come from (the configured sender).</summary>
public sealed record MailIdentity(string Address, string Name)
{
    public static readonly MailIdentity Default = new("sitzungsdienst@deliberationflow.local", "DeliberationFlow Sitzungsdienst");
}

/// <summary>
/// Meetings as iCalendar (Ical.Net): the attachment of an invitation and the personal feed. A meeting keeps one UID
/// for its whole life, so a calendar that received the invitation updates the entry when the meeting moves.
/// </summary>
public static class MeetingCalendar
{
    public const string ContentType = "text/calendar; method=REQUEST; charset=utf-8";
    public const string FileName = "einladung.ics";

    public static string Uid(Guid meetingId) => $"meeting-{meetingId:N}@deliberationflow";

    /// <summary>An invitation (METHOD:REQUEST) for one meeting, or its cancellation (METHOD:CANCEL).</summary>
    public static string Invitation(Meeting meeting, Organization committee, Body body, IEnumerable<string> agenda, MailIdentity organizer)
    {
        var calendar = NewCalendar(body, meeting.Cancelled ? "CANCEL" : "REQUEST");
        var calendarEvent = Event(meeting, committee, body, agenda);
        calendarEvent.Organizer = new Organizer($"mailto:{organizer.Address}") { CommonName = organizer.Name };
        calendar.Events.Add(calendarEvent);
        return Serialize(calendar);
    }

    /// <summary>A subscribed feed (METHOD:PUBLISH) of meetings.</summary>
    public static string Feed(string name, Body body, IEnumerable<(Meeting Meeting, Organization Committee)> meetings)
    {
        var calendar = NewCalendar(body, "PUBLISH");
        calendar.AddProperty("X-WR-CALNAME", name);
        foreach (var (meeting, committee) in meetings)
        {
            calendar.Events.Add(Event(meeting, committee, body, []));
        }

        return Serialize(calendar);
    }

    /// <summary>Lines of an iCalendar text hold at most 75 octets (RFC 5545, 3.1); longer ones go on after CRLF and a space.</summary>
    private const int MaxLineOctets = 75;

    /// <summary>
    /// The calendar as text, its long lines folded between whole characters. Ical.Net folds between the two halves of a
    /// character outside the BMP (an emoji in a meeting's name or place), which UTF-8 cannot write: the feed and the
    /// invitation showed "��" in its place. So its folds are undone (the halves meet again) and the lines folded anew.
    /// </summary>
    private static string Serialize(Ical.Net.Calendar calendar)
    {
        // Values escape their line breaks (\n), so CRLF and a space in the text is a fold and nothing else.
        var lines = new CalendarSerializer().SerializeToString(calendar)!.Replace("\r\n ", "", StringComparison.Ordinal).Split("\r\n");
        var text = new System.Text.StringBuilder();
        for (var l = 0; l < lines.Length; l++)
        {
            var (line, octets) = (lines[l], 0);
            for (var i = 0; i < line.Length;)
            {
                var length = char.IsSurrogatePair(line, i) ? 2 : 1;
                var size = System.Text.Encoding.UTF8.GetByteCount(line.AsSpan(i, length));
                if (octets + size > MaxLineOctets)
                {
                    text.Append("\r\n ");
                    octets = 1;
                }

                text.Append(line, i, length);
                octets += size;
                i += length;
            }

            if (l < lines.Length - 1)
            {
                text.Append("\r\n");
            }
        }

        return text.ToString();
    }

    private static Ical.Net.Calendar NewCalendar(Body body, string method)
    {
        var calendar = new Ical.Net.Calendar { Method = method, ProductId = "-//DeliberationFlow//Sitzungsdienst//DE" };
        calendar.AddTimeZone(body.TimeZone);
        return calendar;
    }

    private static CalendarEvent Event(Meeting meeting, Organization committee, Body body, IEnumerable<string> agenda)
    {
        var start = BodyClock.ToLocal(meeting.Start, body.Zone);
        var end = BodyClock.ToLocal(meeting.End ?? meeting.Start.AddHours(3), body.Zone);
        var description = string.Join("\n", agenda);
        return new CalendarEvent
        {
            Uid = Uid(meeting.Id),

            // Later versions of the same meeting must carry a higher sequence for calendars to apply them.
            Sequence = (int)Math.Clamp((meeting.Modified - meeting.Created).TotalSeconds, 0, int.MaxValue),
            DtStamp = new CalDateTime(meeting.Modified.UtcDateTime),
            DtStart = new CalDateTime(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, body.TimeZone),
            DtEnd = new CalDateTime(end.Year, end.Month, end.Day, end.Hour, end.Minute, 0, body.TimeZone),
            Summary = $"{committee.Name}: {meeting.Name}",
            Location = meeting.Location,
            Description = description.Length == 0 ? null : description,
            Status = meeting.Cancelled ? EventStatus.Cancelled : EventStatus.Confirmed,
        };
    }
}
