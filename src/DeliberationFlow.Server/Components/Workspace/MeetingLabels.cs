using System.Globalization;
using DeliberationFlow.Council.Meetings;

namespace DeliberationFlow.Server.Components.Workspace;

/// <summary>German wording (the keys of its translations) and local times of meetings, as the pages show them.</summary>
public static class MeetingLabels
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public static string State(MeetingView meeting) => meeting.Cancelled
        ? "abgesagt"
        : meeting.State switch
        {
            "Scheduled" => "terminiert",
            "Invited" => "eingeladen",
            "Held" => "durchgeführt",
            _ => meeting.State,
        };

    /// <summary>
    /// An instant in the body's local time (<see cref="Web.CouncilCalls.BodyZoneAsync"/>), whatever the server's or the
    /// browser's zone: the day's name in the UI language ("Do" or "Thu"), the date as the body writes it.
    /// </summary>
    public static string When(DateTimeOffset start, TimeZoneInfo bodyZone)
    {
        var local = TimeZoneInfo.ConvertTime(start, bodyZone);
        var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? CultureInfo.GetCultureInfo("en-GB") : German;
        return $"{local.ToString("ddd", language)}, {local.ToString("dd.MM.yyyy HH:mm", German)}";
    }

    /// <summary>The local start as a browser's date-and-time field takes it and ChangeMeeting reads it, in the body's zone ("2021-05-06T15:00").</summary>
    public static string LocalInput(DateTimeOffset start, TimeZoneInfo bodyZone) =>
        TimeZoneInfo.ConvertTime(start, bodyZone).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
}
