using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using MimeKit;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// A Beschlussvorlage travels Finanz- und Personalausschuss → Verwaltungsausschuss → Rat: registered over HTTP,
/// invitations sent by timers through Hangfire and MailKit to a real SMTP server, outcomes recorded over HTTP.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class BeschlussvorlageScenarioTests
{
    private const string Reference = "21-16001";

    private static readonly string[] FpaMembers =
        ["klaus.hartmann", "jana.beispiel", "aylin.demir", "sabine.krueger", "petra.vogel"];

    private static readonly string[] VaMembers =
        ["tobias.muster", "klaus.hartmann", "jonas.weber", "felix.schulz", "murat.kaya"];

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Beschlussvorlage_TravelsThroughAllThreeCommittees_WithInvitationsAndOutcomeNotices(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));

        var paper = await test.RegisterAsync("sekretariat-fpa", new RegisterPaperRequest(
            Reference, "Neuordnung der Stabsstelle Digitalisierung", "Beschlussvorlage", "fb10", ["fb20"], true, null, null));
        Assert.Equal("beschlussvorlage", paper.Workflow!.DefinitionId);
        var fpa = Assert.Single(paper.Consultations);
        Assert.Equal(("fpa", "29.04.2021", "Planned"), (fpa.Committee.Key, fpa.Date, fpa.Status));

        // Ladungsfrist: seven days before 29.04.2021 15:00 the FPA's members are invited.
        await test.MoveClockToAsync(Berlin.At(2021, 4, 22, 15, 0, 1));
        await test.ReconcileAsync();
        var fpaInvitations = await test.Smtp.WaitForAsync(IsInvitation, FpaMembers.Length);
        Assert.Equal(FpaMembers.Select(Address).Order(), fpaInvitations.Select(Recipient).Order());
        Assert.All(fpaInvitations, m => Assert.Equal($"Einladung: Finanz- und Personalausschuss am 29.04.2021 – {Reference}", m.Subject));

        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        var afterFpa = await RecordAsync(test, "sekretariat-fpa", fpa.Id, "Adopted", "einstimmig beschlossen");
        var va = afterFpa.Paper.Consultations[1];
        Assert.Equal(("va", "04.05.2021", "Planned"), (va.Committee.Key, va.Date, va.Status));

        // The VA's Ladungsfrist has passed already (27.04.): the invitation goes out at once, as a late one.
        var vaInvitations = await test.Smtp.WaitForAsync(m => IsInvitation(m) && Subject(m).Contains("Verwaltungsausschuss", StringComparison.Ordinal), VaMembers.Length);
        Assert.Equal(VaMembers.Select(Address).Order(), vaInvitations.Select(Recipient).Order());
        Assert.All(vaInvitations, m => Assert.Equal($"Einladung: Verwaltungsausschuss am 04.05.2021 – {Reference}", m.Subject));

        await test.MoveClockToAsync(Berlin.At(2021, 5, 4, 17, 0));
        var afterVa = await RecordAsync(test, "sekretariat-va", va.Id, null, "beschlossen");
        var rat = afterVa.Paper.Consultations[2];
        Assert.Equal(("rat", "18.05.2021", "Entscheidung", true), (rat.Committee.Key, rat.Date, rat.RoleText, rat.Authoritative));

        await test.MoveClockToAsync(Berlin.At(2021, 5, 11, 14, 0, 1));
        await test.ReconcileAsync();
        var ratInvitations = await test.Smtp.WaitForAsync(m => IsInvitation(m) && Subject(m).Contains("Rat der Stadt", StringComparison.Ordinal), 12);
        Assert.Equal(12, ratInvitations.Count);
        // One invitation per member with the meeting's whole agenda: the demo's 21-15813 is on it too.
        Assert.All(ratInvitations, m => Assert.Equal($"Einladung: Rat der Stadt Braunschweig am 18.05.2021 – 21-15813, {Reference}", m.Subject));

        await test.MoveClockToAsync(Berlin.At(2021, 5, 18, 19, 0));
        var final = await RecordAsync(test, "sekretariat-va", rat.Id, "Adopted", "mehrheitlich beschlossen");

        // The answer of the step is the paper as its secretary reads it afterwards; a councillor reads the same story
        // without the technical journal, which names every notice's recipients.
        var done = await test.GetPaperAsync("sekretariat-va", paper.Id);
        var asCouncillor = await test.GetPaperAsync("ratsmitglied", paper.Id);
        Assert.Equal(done.Timeline, asCouncillor.Timeline);
        Assert.Empty(asCouncillor.Journal);
        Assert.Equal("Done", done.Status);
        Assert.Equal("Finished", done.Workflow!.Status);
        Assert.Equal(
            [
                "Finanz- und Personalausschuss, 29.04.2021: einstimmig beschlossen (Vorberatung)",
                "Verwaltungsausschuss, 04.05.2021: beschlossen (Vorberatung)",
                "Rat der Stadt Braunschweig, 18.05.2021: mehrheitlich beschlossen (Entscheidung)",
            ],
            done.Timeline);
        Assert.All(done.Consultations, c => Assert.Equal(("Done", "Adopted"), (c.Status, c.Outcome)));
        Assert.Equal(JsonSerializer.Serialize(done), JsonSerializer.Serialize(final.Paper));

        // The journal tells every step: three consultations planned, three invitations fired, three outcomes, the end, each mail queued.
        var kinds = done.Journal.Select(j => j.Kind).ToList();
        Assert.Equal("InstanceStarted", kinds[0]);
        Assert.Equal("InstanceFinished", kinds.Last(k => k != "NotificationQueued"));
        Assert.Equal(6, kinds.Count(k => k == "NotificationQueued")); // three invitations, three outcome notices
        Assert.Equal(3, kinds.Count(k => k == "BookmarkCreated"));
        Assert.Equal(3, kinds.Count(k => k == "BookmarkResumed"));
        Assert.Equal(3, kinds.Count(k => k == "TimerFired"));
        Assert.Contains(done.Journal, j => j.Kind == "ActivityCompleted" && j.ActivityId == "rat" && j.Outcome == "Adopted" && j.Actor == "sekretariat-va");

        // Each consultation completes once, in the committee's words (not again in the engine's generic ones).
        Assert.Equal(
            [
                ("start", "start abgeschlossen mit Done."),
                ("fpa", "Finanz- und Personalausschuss, 2021-04-29T13:00:00.0000000+00:00: einstimmig beschlossen"),
                ("va", "Verwaltungsausschuss, 2021-05-04T13:00:00.0000000+00:00: beschlossen"),
                ("rat", "Rat der Stadt Braunschweig, 2021-05-18T12:00:00.0000000+00:00: mehrheitlich beschlossen"),
            ],
            done.Journal.Where(j => j.Kind == "ActivityCompleted").Select(j => (j.ActivityId, j.Message)));

        // The lead office hears of each outcome; the last notice says the paper is done.
        var notices = await test.Smtp.WaitForAsync(m => Subject(m).StartsWith($"Beratungsergebnis {Reference}", StringComparison.Ordinal), 3);
        Assert.Equal(3, notices.Count);
        Assert.All(notices, m => Assert.Equal("fb10@braunschweig.example", Recipient(m)));
        Assert.Contains(notices, m => Subject(m).Contains("Rat der Stadt Braunschweig am 18.05.2021 – mehrheitlich beschlossen", StringComparison.Ordinal)
                                      && (m.TextBody ?? "").Contains("die Vorlage ist erledigt", StringComparison.Ordinal));

        // Each invitation was sent once, however often the reconciliation ran.
        Assert.Equal(FpaMembers.Length + VaMembers.Length + 12, test.Smtp.Messages.Count(IsInvitation));
    }

    private static async Task<RecordOutcomeResponse> RecordAsync(TestApp test, string user, Guid consultationId, string? outcome, string resultText)
    {
        var sent = test.Smtp.Messages.Count(IsOutcomeNotice);
        var response = await test.RecordAsync(user, consultationId, new RecordOutcomeRequest(outcome, resultText, null), Guid.NewGuid().ToString());
        await Http.EnsureAsync(response, HttpStatusCode.OK);

        // As the secretary would see it: the notice is out before the next day's business begins.
        await test.Smtp.WaitForAsync(IsOutcomeNotice, sent + 1);
        return (await response.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!;
    }

    private static bool IsOutcomeNotice(MimeMessage message) => Subject(message).StartsWith($"Beratungsergebnis {Reference}", StringComparison.Ordinal);

    // An invitation names the references of the meeting's items after the dash.
    private static bool IsInvitation(MimeMessage message) =>
        Subject(message).StartsWith("Einladung:", StringComparison.Ordinal)
        && Subject(message).Split(" – ")[^1].Split(", ").Contains(Reference, StringComparer.Ordinal);

    private static string Subject(MimeMessage message) => message.Subject ?? "";

    private static string Address(string local) => $"{local}@rat.braunschweig.example";

    private static string Recipient(MimeMessage message) => message.To.Mailboxes.Single().Address;
}
