using System.Globalization;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Model;

namespace DeliberationFlow.Council.Notifications;

/// <summary>
/// The values templates see, built from the council's records; dates are written as the recipient's language
/// writes them, in the body's time zone. The shapes match the samples of <see cref="Templates.MailKinds"/>.
/// </summary>
public static class MailModels
{
    public static CultureInfo Culture(string language) => CultureInfo.GetCultureInfo(language == MailLanguages.English ? "en-GB" : "de-DE");

    public static Dictionary<string, object?> Recipient(string name, string address, string? role = null, bool deputy = false, bool votingRight = false) => new()
    {
        ["name"] = name,
        ["address"] = address,
        ["role"] = role ?? "",
        ["deputy"] = deputy,
        ["votingRight"] = votingRight,
    };

    public static Dictionary<string, object?> Committee(Organization committee) => new()
    {
        ["key"] = committee.Key,
        ["name"] = committee.Name,
        ["shortName"] = committee.ShortName ?? committee.Name,
    };

    public static Dictionary<string, object?> Body(Body body) => new() { ["name"] = body.Name };

    /// <summary>
    /// The days from the message's day to the meeting's as a reminder words them ("heute", "morgen", "in 3 Tagen";
    /// "today", "tomorrow", "in 3 days"): <c>daysBeforeText</c>. Ready-made, so a body's own template need not spell out
    /// every case of <c>daysBefore</c>; one that handled only 1 said "in 0 Tagen" on the meeting's own day.
    /// </summary>
    public static string DaysBefore(int days, string language) => (days, language) switch
    {
        (0, MailLanguages.English) => "today",
        (1, MailLanguages.English) => "tomorrow",
        (_, MailLanguages.English) => $"in {days} days",
        (0, _) => "heute",
        (1, _) => "morgen",
        _ => $"in {days} Tagen",
    };

    /// <summary>
    /// The meeting with <c>link</c>, its page for every reader (agenda, then results), and <c>workspaceLink</c>, its page in
    /// the Sitzungsdienst's workspace; both empty without a meeting.
    /// </summary>
    public static Dictionary<string, object?> Meeting(Meeting? meeting, Body body, string language, MailLinks links)
    {
        var culture = Culture(language);
        if (meeting is null)
        {
            var none = language == MailLanguages.English ? "without a meeting" : "ohne Sitzung";
            return new()
            {
                ["name"] = none, ["date"] = none, ["time"] = "", ["weekday"] = "", ["location"] = "", ["publicity"] = "", ["link"] = "", ["workspaceLink"] = "",
            };
        }

        var start = BodyClock.ToLocal(meeting.Start, body.Zone);
        return new()
        {
            ["name"] = meeting.Name,
            ["date"] = start.ToString(language == MailLanguages.English ? "dd/MM/yyyy" : "dd.MM.yyyy", culture),
            ["time"] = start.ToString("HH:mm", culture),
            ["weekday"] = start.ToString("dddd", culture),
            ["location"] = meeting.Location ?? (language == MailLanguages.English ? "to be announced" : "wird noch bekannt gegeben"),
            ["publicity"] = meeting.Publicity switch
            {
                MeetingPublicity.NonPublic => language == MailLanguages.English ? "closed" : "nichtöffentlich",
                MeetingPublicity.Mixed => language == MailLanguages.English ? "partly public" : "gemischt",
                _ => language == MailLanguages.English ? "public" : "öffentlich",
            },
            ["link"] = links.Meeting(meeting),
            ["workspaceLink"] = links.MeetingWorkspace(meeting),
        };
    }

    /// <summary>
    /// In place of the meeting, for a step decided by Umlaufverfahren: the day it closed, told as "03.05.2021 (Umlaufverfahren)",
    /// so a template's "am {{ meeting.date }}" reads right without a meeting.
    /// </summary>
    public static Dictionary<string, object?> Circulation(Consultation consultation, Body body, string language)
    {
        var closed = BodyClock.ToLocal(consultation.RecordedAt ?? consultation.Modified, body.Zone);
        var english = language == MailLanguages.English;
        var culture = Culture(language);
        return new()
        {
            ["name"] = english ? "decision by circulation" : "Umlaufverfahren",
            ["date"] = closed.ToString(english ? "dd/MM/yyyy" : "dd.MM.yyyy", culture) + (english ? " (by circulation)" : " (Umlaufverfahren)"),
            ["time"] = "", ["weekday"] = closed.ToString("dddd", culture), ["location"] = "", ["publicity"] = english ? "closed" : "nichtöffentlich",
            ["link"] = "", ["workspaceLink"] = "",
        };
    }

    /// <summary>The paper with <c>link</c>, its page (which checks access: a non-public paper's link shows nothing to others).</summary>
    public static Dictionary<string, object?> Paper(Paper paper, MailLinks links) => new()
    {
        ["reference"] = paper.Reference,
        ["name"] = paper.Name,
        ["paperType"] = paper.PaperType,
        ["public"] = paper.IsPublic,
        ["status"] = Vocabulary.Label(paper.Status),
        ["link"] = links.Paper(paper),
    };

    /// <summary>An agenda item with <c>link</c>, its paper's page.</summary>
    public static Dictionary<string, object?> Item(string number, Consultation consultation, Paper paper, MailLinks links) => new()
    {
        ["number"] = number,
        ["reference"] = paper.Reference,
        ["name"] = paper.Name,
        ["paperType"] = paper.PaperType,
        ["role"] = consultation.RoleText,
        ["public"] = paper.IsPublic,
        ["lateAddition"] = consultation.LateAddition,
        ["link"] = links.Paper(paper),
    };

    public static Dictionary<string, object?> Consultation(Consultation consultation, string? referredTo = null) => new()
    {
        ["role"] = consultation.RoleText,
        ["result"] = consultation.ResultText ?? "",
        ["resolution"] = consultation.ResolutionText ?? "",
        ["votesFor"] = consultation.VotesFor?.ToString(CultureInfo.InvariantCulture) ?? "",
        ["votesAgainst"] = consultation.VotesAgainst?.ToString(CultureInfo.InvariantCulture) ?? "",
        ["abstentions"] = consultation.Abstentions?.ToString(CultureInfo.InvariantCulture) ?? "",
        ["referredTo"] = referredTo ?? "",
        ["status"] = Vocabulary.Label(consultation.Status),
    };
}
