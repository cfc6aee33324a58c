namespace DeliberationFlow.Council.Notifications.Templates;

/// <summary>
/// A kind of message: its name, its short German label (as lists show it), its description in German and in English,
/// whether a recipient may opt out of it, and sample data. The sample is also the kind's model: a template may name exactly
/// the fields the sample has (lists by their first element).
/// </summary>
public sealed record MailKind(
    string Name, string Label, string Description, string EnglishDescription, bool Mandatory, Func<Dictionary<string, object?>> Sample)
{
    /// <summary>The description in a template's language: an English template is described in English.</summary>
    public string DescriptionIn(string language) => language == MailLanguages.English ? EnglishDescription : Description;
}

public static class MailKinds
{
    public const string Invitation = "invitation";
    public const string Reminder = "reminder";
    public const string OutcomeNotice = "outcome-notice";
    public const string DeferralNotice = "deferral-notice";
    public const string ReferralNotice = "referral-notice";
    public const string OutcomeCorrection = "outcome-correction";
    public const string MeetingChange = "meeting-change";
    public const string Escalation = "escalation";
    public const string AgendaNotice = "agenda-notice";
    public const string CirculationRequest = "circulation-request";
    public const string CirculationFailed = "circulation-failed";
    public const string UrgentDecision = "urgent-decision";
    public const string CirculationReminder = "circulation-reminder";
    public const string CirculationEnded = "circulation-ended";

    public static readonly IReadOnlyList<MailKind> All =
    [
        new(Invitation, "Einladung", "Einladung zur Sitzung mit Tagesordnung und Kalendereintrag (.ics); Pflicht",
            "Invitation to the meeting with agenda and calendar entry (.ics); mandatory", true, MeetingSample),
        new(Reminder, "Erinnerung", "Erinnerung an die Sitzung (Tage vorher je Gremium einstellbar)",
            "Reminder of the meeting (days before set per committee)", false, MeetingSample),
        new(OutcomeNotice, "Beratungsergebnis", "Beratungsergebnis an das federführende Amt und an Folgende",
            "Outcome to the lead office and followers", false, OutcomeSample),
        new(DeferralNotice, "Vertagung", "Vertagung an das federführende Amt und an Folgende",
            "Deferral to the lead office and followers", false, OutcomeSample),
        new(ReferralNotice, "Verweisung", "Verweisung an das federführende Amt und an Folgende",
            "Referral to the lead office and followers", false, OutcomeSample),
        new(OutcomeCorrection, "Berichtigung", "Berichtigung eines Beratungsergebnisses (Protokollberichtigung) an das federführende Amt und an Folgende",
            "Correction of a recorded outcome (correction of the minutes) to the lead office and followers", false, CorrectionSample),
        new(MeetingChange, "Sitzungsänderung", "Sitzung verlegt oder abgesagt; Pflicht",
            "Meeting moved or cancelled; mandatory", true, MeetingChangeSample),
        new(Escalation, "Überfälliger Schritt", "Beratungsschritt überfällig: an Sitzungsdienst und federführendes Amt; Pflicht",
            "Consultation step overdue: to the secretariat and the lead office; mandatory", true, EscalationSample),
        new(AgendaNotice, "Tagesordnung", "Öffentliche Tagesordnung einer Sitzung, wenn eingeladen wird, an die, die dem Gremium folgen (Mitglieder erhalten die Einladung)",
            "Public agenda of a meeting when it is invited, to those who follow the committee (members receive the invitation)", false, AgendaSample),
        new(CirculationRequest, "Umlaufverfahren", "Bitte um Abstimmung im Umlaufverfahren (§ 78 Abs. 3 NKomVG) an die Mitglieder des Gremiums, mit Beschlussvorschlag, Frist und Link; Pflicht",
            "Request to vote by circulation (section 78(3) NKomVG) to the committee's members, with the proposed resolution, deadline and link; mandatory", true, CirculationSample),
        new(CirculationFailed, "Umlaufverfahren gescheitert", "Umlaufverfahren gescheitert (Widerspruch oder Frist abgelaufen) an den Sitzungsdienst, mit der Sitzung, in die die Vorlage nun geht; Pflicht",
            "Circulation failed (objection or deadline passed) to the secretariat, with the meeting the paper now goes to; mandatory", true, CirculationSample),
        new(UrgentDecision, "Eilentscheidung", "Eilentscheidung nach § 89 NKomVG: der Verwaltungsausschuss entscheidet anstelle des Rates; an das federführende Amt und den Sitzungsdienst des Verwaltungsausschusses, mit Grund und Sitzung; Pflicht",
            "Urgent decision (section 89 NKomVG): the main committee decides in place of the council; to the lead office and the main committee's secretariat, with the reason and the meeting; mandatory", true, UrgentDecisionSample),
        new(CirculationReminder, "Erinnerung Umlaufverfahren", "Erinnerung vor der Frist eines Umlaufverfahrens an die Mitglieder, die noch nicht geantwortet haben; Pflicht",
            "Reminder before a circulation's deadline to the members who have not answered yet; mandatory", true, CirculationSample),
        new(CirculationEnded, "Umlaufverfahren beendet", "Ende eines Umlaufverfahrens (beschlossen mit Ergebnis und Stimmen, gescheitert oder abgebrochen mit Grund) an alle gefragten Mitglieder, mit dem Schritt, in dem die Vorlage nun ist; Pflicht",
            "End of a circulation (decided with outcome and votes, failed or called off with the reason) to every member asked, with the step the paper is at now; mandatory", true, CirculationEndedSample),
    ];

    public static MailKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    // The samples' links, shaped as MailLinks builds them (papers by id, meetings by id) under an example address.
    private const string SampleBase = "https://ratsinfo.example.org/";
    private const string SampleMeetingId = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

    private static string SamplePaperLink(string id) => $"{SampleBase}papers/{id}";

    private static Dictionary<string, object?> Links() => new()
    {
        ["home"] = SampleBase,
        ["portal"] = SampleBase + "portal",
        ["workspace"] = SampleBase + "workspace",
    };

    private static Dictionary<string, object?> Recipient() => new()
    {
        ["name"] = "Erika Mustermann",
        ["address"] = "erika.mustermann@example.org",
        ["role"] = "Mitglied",
        ["deputy"] = false,
        ["votingRight"] = true,
    };

    private static Dictionary<string, object?> Committee() => new() { ["key"] = "fpa", ["name"] = "Finanz- und Personalausschuss", ["shortName"] = "FPA" };

    private static Dictionary<string, object?> Body() => new() { ["name"] = "Stadt Braunschweig" };

    private static Dictionary<string, object?> Meeting() => new()
    {
        ["name"] = "7. Sitzung des Finanz- und Personalausschusses",
        ["date"] = "29.04.2021",
        ["time"] = "15:00",
        ["weekday"] = "Donnerstag",
        ["location"] = "Rathaus, Großer Sitzungssaal",
        ["publicity"] = "öffentlich",
        ["link"] = $"{SampleBase}meetings/{SampleMeetingId}/minutes",
        ["workspaceLink"] = $"{SampleBase}workspace/meetings/{SampleMeetingId}",
    };

    private static Dictionary<string, object?> Paper() => new()
    {
        ["reference"] = "21-15513",
        ["name"] = "Sanierung der Grundschule Lehndorf",
        ["paperType"] = "Beschlussvorlage",
        ["public"] = true,
        ["status"] = "in Beratung",
        ["link"] = SamplePaperLink("0190a1b2-0000-7000-8000-000000015513"),
    };

    private static Dictionary<string, object?> Item() => new()
    {
        ["number"] = "Ö 1",
        ["reference"] = "21-15513",
        ["name"] = "Sanierung der Grundschule Lehndorf",
        ["paperType"] = "Beschlussvorlage",
        ["role"] = "Vorberatung",
        ["public"] = true,
        ["lateAddition"] = false,
        ["link"] = SamplePaperLink("0190a1b2-0000-7000-8000-000000015513"),
    };

    private static Dictionary<string, object?> MeetingSample() => new()
    {
        ["recipient"] = Recipient(),
        ["committee"] = Committee(),
        ["meeting"] = Meeting(),
        ["items"] = new List<object?> { Item(), new Dictionary<string, object?>(Item()) { ["number"] = "N 1", ["reference"] = "21-15600", ["name"] = "Grundstücksangelegenheit", ["public"] = false, ["link"] = SamplePaperLink("0190a1b2-0000-7000-8000-000000015600") } },
        ["references"] = "21-15513, 21-15600",
        ["supplement"] = false,
        ["daysBefore"] = 1,
        ["daysBeforeText"] = "morgen",
        ["body"] = Body(),
        ["links"] = Links(),
    };

    private static Dictionary<string, object?> AgendaSample() => new()
    {
        ["recipient"] = new Dictionary<string, object?> { ["name"] = "Erika Mustermann", ["address"] = "erika.mustermann@example.org" },
        ["committee"] = Committee(),
        ["meeting"] = Meeting(),
        ["items"] = new List<object?> { Item() },
        ["references"] = "21-15513",
        ["supplement"] = false,
        ["body"] = Body(),
        ["links"] = Links(),
    };

    private static Dictionary<string, object?> OutcomeSample() => new()
    {
        ["recipient"] = new Dictionary<string, object?> { ["name"] = "Fachbereich 10", ["address"] = "fb10@example.org", ["role"] = "Federführung", ["deputy"] = false, ["votingRight"] = false },
        ["committee"] = Committee(),
        ["meeting"] = Meeting(),
        ["paper"] = Paper(),
        ["consultation"] = new Dictionary<string, object?>
        {
            ["role"] = "Vorberatung",
            ["result"] = "geändert beschlossen",
            ["resolution"] = "Der Ausschuss empfiehlt die Sanierung mit der Änderung der Bauabschnitte.",
            ["votesFor"] = "9",
            ["votesAgainst"] = "2",
            ["abstentions"] = "1",
            ["referredTo"] = "Planungs- und Umweltausschuss",
        },
        ["finished"] = false,
        ["withdrawn"] = false,
        ["body"] = Body(),
        ["links"] = Links(),
    };

    private static Dictionary<string, object?> CorrectionSample() => new(OutcomeSample())
    {
        ["correction"] = new Dictionary<string, object?>
        {
            ["reason"] = "Stimmenzahl im Protokoll falsch übertragen",
            ["before"] = "„geändert beschlossen“, 9 Ja, 3 Nein, 0 Enthaltungen",
            ["after"] = "„geändert beschlossen“, 9 Ja, 2 Nein, 1 Enthaltung",
            ["by"] = "sekretariat-fpa",
            ["date"] = "06.05.2021",
        },
    };

    private static Dictionary<string, object?> MeetingChangeSample() => new()
    {
        ["recipient"] = Recipient(),
        ["committee"] = Committee(),
        ["meeting"] = new Dictionary<string, object?>(Meeting()) { ["oldDate"] = "22.04.2021", ["oldTime"] = "15:00", ["cancelled"] = false, ["reason"] = "Raum belegt" },
        ["paper"] = Paper(),
        ["replannedTo"] = "29.04.2021 15:00",
        ["body"] = Body(),
        ["links"] = Links(),
    };

    private static Dictionary<string, object?> CirculationSample() => new()
    {
        ["recipient"] = Recipient(),
        ["committee"] = Committee(),
        ["meeting"] = Meeting(),
        ["paper"] = Paper(),
        ["consultation"] = new Dictionary<string, object?>
        {
            ["role"] = "Vorberatung", ["result"] = "", ["resolution"] = "", ["votesFor"] = "", ["votesAgainst"] = "", ["abstentions"] = "", ["referredTo"] = "",
            ["status"] = "geplant",
        },
        ["circulation"] = new Dictionary<string, object?>
        {
            ["resolution"] = "Der Verwaltungsausschuss beschließt die Sanierung der Grundschule Lehndorf.",
            ["deadlineDate"] = "12.05.2021",
            ["deadlineTime"] = "12:00",
            ["members"] = 10,
            ["link"] = SampleBase + "portal",
            ["reason"] = "Widerspruch von Klaus Hartmann gegen das Umlaufverfahren",
            ["startedBy"] = "sekretariat-va",
            ["status"] = "gescheitert",
            ["decided"] = false,
            ["answered"] = 4,
        },
        ["body"] = Body(),
        ["links"] = Links(),
    };

    private static Dictionary<string, object?> UrgentDecisionSample() => new()
    {
        ["recipient"] = new Dictionary<string, object?> { ["name"] = "Fachbereich 10", ["address"] = "fb10@example.org", ["role"] = "Federführung", ["deputy"] = false, ["votingRight"] = false },
        ["committee"] = Committee(),
        ["meeting"] = Meeting(),
        ["paper"] = Paper(),
        ["urgent"] = new Dictionary<string, object?>
        {
            ["council"] = "Rat der Stadt Braunschweig",
            ["reason"] = "Der Förderantrag muss bis zum 10.05.2021 gestellt sein; der Rat tagt erst am 18.05.2021.",
            ["by"] = "admin",
            ["date"] = "21.04.2021",
        },
        ["body"] = Body(),
        ["links"] = Links(),
    };

    /// <summary>The circulation's sample, and where the paper is now: the step's committee ("" once no step waits) and its meeting.</summary>
    private static Dictionary<string, object?> CirculationEndedSample() => new(CirculationSample())
    {
        ["next"] = new Dictionary<string, object?> { ["committee"] = "Finanz- und Personalausschuss", ["meeting"] = Meeting() },
    };

    private static Dictionary<string, object?> EscalationSample() => new()
    {
        ["recipient"] = new Dictionary<string, object?> { ["name"] = "Sitzungsdienst FPA", ["address"] = "sitzungsdienst@example.org", ["role"] = "Sitzungsdienst", ["deputy"] = false, ["votingRight"] = false },
        ["committee"] = Committee(),
        ["meeting"] = Meeting(),
        ["paper"] = Paper(),
        ["consultation"] = new Dictionary<string, object?> { ["role"] = "Vorberatung", ["status"] = "geplant" },
        ["daysOverdue"] = 15,
        ["body"] = Body(),
        ["links"] = Links(),
    };
}
