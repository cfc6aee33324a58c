using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace DeliberationFlow.Tests.Integration;

/// <summary>Correcting a recorded outcome (Protokollberichtigung): wording and tally change, the decision and its path stay.</summary>
[Collection(HostCollection.Name)]
public sealed class OutcomeCorrectionTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task ASecretary_CorrectsWordingAndTally_TheJournalKeepsOldAndNew_AndThePaperStaysOnItsWay(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var paper = await RegisterAsync(test, "21-17101");
        var fpa = paper.Consultations[0].Id;
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", fpa, new RecordOutcomeRequest("Adopted", "einstimmig beschlossen", null, VotesFor: 9, VotesAgainst: 0, Abstentions: 0)), HttpStatusCode.OK);
        test.Clock.SetUtcNow(Berlin.At(2021, 5, 3, 10, 0));

        var response = await CorrectAsync(test, "sekretariat-fpa", fpa,
            new CorrectOutcomeRequest("Zählfehler im Protokoll, berichtigt in der Sitzung vom 03.05.", "mehrheitlich beschlossen", "Der Ausschuss empfiehlt den Beschluss.", VotesFor: 8, VotesAgainst: 1));

        await Http.EnsureAsync(response, HttpStatusCode.OK);
        var corrected = (await response.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!;
        Assert.Equal(("Adopted", "mehrheitlich beschlossen", "Der Ausschuss empfiehlt den Beschluss."),
            (corrected.Consultation.Outcome, corrected.Consultation.ResultText, corrected.Consultation.ResolutionText));
        Assert.Equal((8, 1, 0, false), (corrected.Consultation.Votes!.For, corrected.Consultation.Votes.Against, corrected.Consultation.Votes.Abstentions, corrected.Consultation.Votes.Unanimous));

        var after = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal(("va", 2), (after.Workflow!.CurrentActivityId, after.Consultations.Count));
        var line = Assert.Single(after.Journal, j => j.Kind == "OutcomeCorrected");
        Assert.Equal(("sekretariat-fpa", "Adopted", Berlin.At(2021, 5, 3, 10, 0)), (line.Actor, line.Outcome, line.Timestamp));
        Assert.Contains("Zählfehler im Protokoll", line.Message, StringComparison.Ordinal);
        Assert.Contains("Vorher: „einstimmig beschlossen“, 9 Ja, 0 Nein, 0 Enthaltungen.", line.Message, StringComparison.Ordinal);
        Assert.Contains("Jetzt: „mehrheitlich beschlossen“, Beschlusstext „Der Ausschuss empfiehlt den Beschluss.“, 8 Ja, 1 Nein, 0 Enthaltungen.", line.Message, StringComparison.Ordinal);
        Assert.Contains(after.Timeline, t => t.Contains("mehrheitlich beschlossen", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACorrection_ThatNamesAnotherDecision_ComesFromAnotherCommittee_OrPrecedesTheOutcome_IsRefused_AndChangesNothing()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var recorded = await RegisterAsync(test, "21-17102");
        var waiting = await RegisterAsync(test, "21-17103");
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));
        var fpa = recorded.Consultations[0].Id;
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", fpa, new RecordOutcomeRequest("Adopted", "einstimmig beschlossen", null)), HttpStatusCode.OK);

        var otherDecision = await CorrectAsync(test, "sekretariat-fpa", fpa, new CorrectOutcomeRequest("Versehen", "abgelehnt"));
        var noReason = await CorrectAsync(test, "sekretariat-fpa", fpa, new CorrectOutcomeRequest(null, "beschlossen"));
        var nothing = await CorrectAsync(test, "sekretariat-fpa", fpa, new CorrectOutcomeRequest("Versehen", "einstimmig beschlossen"));
        var stranger = await CorrectAsync(test, "sekretariat-plua", fpa, new CorrectOutcomeRequest("Versehen", "beschlossen"));
        var notYet = await CorrectAsync(test, "sekretariat-fpa", waiting.Consultations[0].Id, new CorrectOutcomeRequest("Versehen", "beschlossen"));

        Assert.Contains("'beschlossen' was recorded", (await ErrorsAsync(otherDecision))["resultText"][0], StringComparison.Ordinal);
        Assert.Contains("reason", (await ErrorsAsync(noReason)).Keys);
        Assert.Contains("changes nothing", (await ErrorsAsync(nothing))["resultText"][0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
        await Http.EnsureAsync(notYet, HttpStatusCode.Conflict);
        Assert.Contains("no outcome recorded yet", (await notYet.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail, StringComparison.Ordinal);

        var after = await test.GetPaperAsync("admin", recorded.Id);
        Assert.Equal("einstimmig beschlossen", after.Consultations[0].ResultText);
        Assert.DoesNotContain(after.Journal, j => j.Kind == "OutcomeCorrected");
    }

    [Fact]
    public async Task ACorrection_WithOverlongTexts_IsRefusedNamingTheFields_ALongResolutionTextIsCorrected_TheJournalLineCutsIt()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await RegisterAsync(test, "21-17104");
        var fpa = paper.Consultations[0].Id;
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", fpa,
            new RecordOutcomeRequest("Adopted", "beschlossen", new string('A', OutcomeInput.MaxResolutionTextLength))), HttpStatusCode.OK);

        var tooLong = await CorrectAsync(test, "sekretariat-fpa", fpa, new CorrectOutcomeRequest(
            "Versehen", "beschlossen " + new string('x', OutcomeInput.MaxResultTextLength), new string('B', OutcomeInput.MaxResolutionTextLength + 1)));
        Assert.Equal(["resolutionText", "resultText"], (await ErrorsAsync(tooLong)).Keys.Order(StringComparer.Ordinal));
        var unchanged = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal(("beschlossen", new string('A', OutcomeInput.MaxResolutionTextLength)), (unchanged.Consultations[0].ResultText, unchanged.Consultations[0].ResolutionText));
        Assert.DoesNotContain(unchanged.Journal, j => j.Kind == "OutcomeCorrected");

        // Pages of resolution text before and after: the consultation keeps all of it, the journal's line both, cut.
        var corrected = await CorrectAsync(test, "sekretariat-fpa", fpa, new CorrectOutcomeRequest(
            "Beschlusstext im Protokoll berichtigt", null, new string('B', OutcomeInput.MaxResolutionTextLength)));
        await Http.EnsureAsync(corrected, HttpStatusCode.OK);
        var after = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal(new string('B', OutcomeInput.MaxResolutionTextLength), after.Consultations[0].ResolutionText);
        var line = Assert.Single(after.Journal, j => j.Kind == "OutcomeCorrected").Message;
        Assert.InRange(line.Length, 1000, 2000);
        Assert.Matches("Vorher: „beschlossen“, Beschlusstext „A+…“\\. Jetzt: „beschlossen“, Beschlusstext „B+…“\\.$", line);
    }

    [Fact]
    public async Task ACorrection_ReachesTheLeadOfficeAndTheFollowers_InTheirLanguage_OnceForEachCorrection()
    {
        const string leadOffice = "fb10@braunschweig.example";
        const string jana = "jana.beispiel@rat.braunschweig.example";
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await RegisterAsync(test, "21-17104");
        var janaClient = test.ClientFor("ratsmitglied");
        await Http.EnsureAsync(await janaClient.PutAsync($"/api/papers/{paper.Id}/follow", null), HttpStatusCode.OK);
        await Http.EnsureAsync(await janaClient.PutAsJsonAsync("/api/me/notification-preferences", new SavePreferencesRequest("en", false, [])), HttpStatusCode.OK);
        var fpa = paper.Consultations[0].Id;
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", fpa, new RecordOutcomeRequest("Adopted", "einstimmig beschlossen", null, VotesFor: 9, VotesAgainst: 0, Abstentions: 0)), HttpStatusCode.OK);
        await test.MoveClockToAsync(Berlin.At(2021, 5, 3, 10, 0));

        await Http.EnsureAsync(await CorrectAsync(test, "sekretariat-fpa", fpa, new CorrectOutcomeRequest("Zählfehler im Protokoll", "mehrheitlich beschlossen", VotesFor: 8, VotesAgainst: 1)), HttpStatusCode.OK);

        var office = Assert.Single(await test.Smtp.WaitForAsync(m => m.To.Mailboxes.Single().Address == leadOffice && (m.Subject ?? "").StartsWith("Berichtigung", StringComparison.Ordinal), 1));
        Assert.Equal("Berichtigung 21-17104: Finanz- und Personalausschuss am 29.04.2021 – mehrheitlich beschlossen", office.Subject);
        Assert.Contains("Bisher: „einstimmig beschlossen“, 9 Ja, 0 Nein, 0 Enthaltungen", office.TextBody, StringComparison.Ordinal);
        Assert.Contains("Jetzt: „mehrheitlich beschlossen“, 8 Ja, 1 Nein, 0 Enthaltungen", office.TextBody, StringComparison.Ordinal);
        Assert.Contains("Grund: Zählfehler im Protokoll", office.TextBody, StringComparison.Ordinal);
        Assert.Contains("Berichtigt am 03.05.2021 von sekretariat-fpa", office.TextBody, StringComparison.Ordinal);
        var follower = Assert.Single(await test.Smtp.WaitForAsync(m => m.To.Mailboxes.Single().Address == jana && (m.Subject ?? "").StartsWith("Correction", StringComparison.Ordinal), 1));
        Assert.Contains("Before: \"einstimmig beschlossen\", 9 for, 0 against, 0 abstentions", follower.TextBody, StringComparison.Ordinal);
        Assert.Contains("Now: \"mehrheitlich beschlossen\", 8 for, 1 against, 0 abstentions", follower.TextBody, StringComparison.Ordinal);
        var journal = (await test.GetPaperAsync("admin", paper.Id)).Journal;
        Assert.Contains(journal, j => j.Kind == "NotificationQueued" && j.Message.StartsWith("Berichtigung an", StringComparison.Ordinal) && j.Message.Contains(leadOffice, StringComparison.Ordinal));

        // A second correction is a notice of its own; a follower who opted out of corrections hears of it no more.
        await Http.EnsureAsync(await janaClient.PutAsJsonAsync("/api/me/notification-preferences", new SavePreferencesRequest("en", false, ["outcome-correction"])), HttpStatusCode.OK);
        await Http.EnsureAsync(await CorrectAsync(test, "sekretariat-fpa", fpa, new CorrectOutcomeRequest("Beschlusstext ergänzt", ResolutionText: "Der Ausschuss empfiehlt den Beschluss.")), HttpStatusCode.OK);
        var second = await test.Smtp.WaitForAsync(m => m.To.Mailboxes.Single().Address == leadOffice && (m.Subject ?? "").StartsWith("Berichtigung", StringComparison.Ordinal), 2);
        var latest = Assert.Single(second, m => (m.TextBody ?? "").Contains("Grund: Beschlusstext ergänzt", StringComparison.Ordinal));
        Assert.Contains("Beschlusstext: Der Ausschuss empfiehlt den Beschluss.", latest.TextBody, StringComparison.Ordinal);
        await test.WaitForMailOutAsync();
        Assert.Single(test.Smtp.Messages, m => m.To.Mailboxes.Single().Address == jana && (m.Subject ?? "").StartsWith("Correction", StringComparison.Ordinal));
    }

    private static Task<PaperDetails> RegisterAsync(TestApp test, string reference) =>
        test.RegisterAsync("admin", new RegisterPaperRequest(reference, "Testvorlage", "Beschlussvorlage", "fb10", null, true, null, null));

    private static Task<HttpResponseMessage> CorrectAsync(TestApp test, string user, Guid consultationId, CorrectOutcomeRequest request) =>
        test.ClientFor(user).PostAsJsonAsync($"/api/consultations/{consultationId}/outcome/correction", request);

    private static async Task<IDictionary<string, string[]>> ErrorsAsync(HttpResponseMessage response)
    {
        await Http.EnsureAsync(response, HttpStatusCode.BadRequest);
        return (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors;
    }
}
