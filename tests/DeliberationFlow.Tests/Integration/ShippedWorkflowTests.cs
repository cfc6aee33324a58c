using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;

namespace DeliberationFlow.Tests.Integration;

/// <summary>Every workflow shipped in workflows/ runs to its end, with the outcomes, hearings, referrals and waits councils use.</summary>
[Collection(HostCollection.Name)]
public sealed class ShippedWorkflowTests
{
    [Fact]
    public async Task BeschlussvorlageMitFachausschuss_RunsFourCommittees_ThenTheBeschlusskontrolle()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest(
            "21-30001", "Radverkehrskonzept", "Beschlussvorlage", "fb61", ["fb20"], true, null, "beschlussvorlage-fachausschuss"));

        var done = await RunToEndAsync(test, paper, _ => ("Adopted", "beschlossen"));

        Assert.Equal(["plua", "fpa", "va", "rat"], done.Consultations.Select(c => c.Committee.Key));
        Assert.Equal("Suspended", done.Workflow!.Status);
        Assert.Equal("wartezeit", done.Workflow.CurrentActivityId);

        // 90 days after the Rat's meeting the lead office is asked to report on the implementation.
        var ratMeeting = done.Consultations[^1].MeetingStart!.Value;
        await test.MoveClockToAsync(ratMeeting.AddDays(90).AddMinutes(1));
        await test.ReconcileAsync();
        var reminder = await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Beschlusskontrolle 21-30001", StringComparison.Ordinal), 1);
        Assert.Equal("fb61@braunschweig.example", Assert.Single(reminder).To.Mailboxes.Single().Address);
        var finished = await WaitForStatusAsync(test, paper.Id, "Finished");
        Assert.Equal("Done", finished.Status);
        Assert.Contains(finished.Journal, j => j.Kind == "NotificationQueued" && j.ActivityId == "beschlusskontrolle");
    }

    [Theory]
    [InlineData(new[] { "fb20" }, new[] { "fpa", "rat" })]
    [InlineData(new[] { "fb01" }, new[] { "rat" })]
    public async Task Mitteilung_IsNotedByTheFinanceCommitteeToo_WhenFinanceTakesPart(string[] participating, string[] expectedCommittees)
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest(
            "21-30002", "Quartalsbericht", "Mitteilung", "fb10", participating, true, null, null));
        Assert.Equal(2, paper.Workflow!.Version);

        var done = await RunToEndAsync(test, paper, _ => ("Noted", "zur Kenntnis genommen"));

        Assert.Equal(expectedCommittees, done.Consultations.Select(c => c.Committee.Key));
        Assert.All(done.Consultations, c => Assert.Equal(("Kenntnisnahme", "Noted"), (c.RoleText, c.Outcome)));
        Assert.Equal(("Done", "Finished"), (done.Status, done.Workflow!.Status));
    }

    [Fact]
    public async Task Antrag_AsksForTheStellungnahme_WhichFollowsAsPaper01_AndBothRunToTheEnd()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 3, 1, 9));
        var motion = await test.RegisterAsync("admin", new RegisterPaperRequest(
            "21-16100", "Umsetzung der Smart City Strategie beschleunigen", "Antrag", "fb10", ["fb01"], true, null, null));
        var request = await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Stellungnahme erbeten: 21-16100", StringComparison.Ordinal), 2);
        Assert.Equal(["fb01@braunschweig.example", "fb10@braunschweig.example"], request.Select(m => m.To.Mailboxes.Single().Address).Order());

        var statement = await test.RegisterAsync("admin", new RegisterPaperRequest(
            "21-16100-01", "Stellungnahme der Verwaltung", "Stellungnahme", "fb10", ["fb01"], true, null, null));
        Assert.Equal("21-16100", statement.SuperordinatedPaper!.Reference);
        Assert.Equal(["21-16100-01"], (await test.GetPaperAsync("admin", motion.Id)).SubordinatedPapers.Select(p => p.Reference));

        var statementDone = await RunToEndAsync(test, statement, _ => ("Noted", "zur Kenntnis genommen"));
        var motionDone = await RunToEndAsync(test, motion, c => c.Committee.Key == "rat" ? ("Rejected", "mehrheitlich abgelehnt") : ("Adopted", "empfohlen"));

        Assert.Equal(["rat"], statementDone.Consultations.Select(c => c.Committee.Key));
        Assert.Equal(["fpa", "va", "rat"], motionDone.Consultations.Select(c => c.Committee.Key));
        Assert.Equal("Rejected", motionDone.Consultations[^1].Outcome);
        Assert.Equal(("Done", "Done"), (statementDone.Status, motionDone.Status));

        // The answers of the steps tell each paper's relation: the motion has its Stellungnahme, the Stellungnahme none.
        Assert.Equal(["21-16100-01"], motionDone.SubordinatedPapers.Select(p => p.Reference));
        Assert.Empty(statementDone.SubordinatedPapers);
        Assert.Equal("21-16100", statementDone.SuperordinatedPaper!.Reference);
    }

    [Fact]
    public async Task Antrag_DeclaredSettledByTheStellungnahme_EndsInTheCommitteeThatSettlesIt()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 3, 1, 9));
        var motion = await test.RegisterAsync("admin", new RegisterPaperRequest(
            "21-16101", "Mehr Sitzbänke in der Innenstadt", "Antrag", "fb10", null, true, null, null));
        Assert.Equal(("antrag", 2), (motion.Workflow!.DefinitionId, motion.Workflow.Version));

        // The wording alone names the outcome, as the minutes give it.
        var done = await RunToEndAsync(test, motion, c => c.Committee.Key == "va" ? (null!, "erledigt durch Stellungnahme der Verwaltung") : ("Adopted", "empfohlen"));

        Assert.Equal(["fpa", "va"], done.Consultations.Select(c => c.Committee.Key));
        Assert.Equal(("Settled", "erledigt durch Stellungnahme der Verwaltung"), (done.Consultations[^1].Outcome, done.Consultations[^1].ResultText));
        Assert.Equal(("Done", "Finished"), (done.Status, done.Workflow!.Status));
        Assert.Contains("Verwaltungsausschuss, 04.05.2021: erledigt durch Stellungnahme der Verwaltung (Vorberatung)", done.Timeline);
    }

    [Fact]
    public async Task Antrag_SettledInTheVerwaltungsausschuss_IsServedAsErledigt_WithTheVaStepInPrivate_AndNoRatStep()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 3, 1, 9));
        var motion = await test.RegisterAsync("admin", new RegisterPaperRequest(
            "21-16101", "Mehr Sitzbänke in der Innenstadt", "Antrag", "fb10", null, true, null, null));

        // The FPA (public) recommends; the VA (in private, 04.05.2021 15:00) declares it settled at 18:00: the procedure ends there.
        var done = await RunToEndAsync(test, motion, c => c.Committee.Key == "va" ? ("Settled", "erledigt durch Stellungnahme der Verwaltung") : ("Adopted", "empfohlen"));

        // Members (the paper's page in the portal) see the Beratungsfolge as it went, the VA's outcome included.
        var member = await test.GetPaperAsync("ratsmitglied", done.Id);
        Assert.Equal(("Done", "Erledigt", "Finished"), (member.Status, member.StatusLabel, member.Workflow!.Status));
        Assert.Equal([("fpa", "Adopted"), ("va", "Settled")], member.Consultations.Select(c => (c.Committee.Key, c.Outcome)));
        Assert.Equal(["Finanz- und Personalausschuss, 29.04.2021: empfohlen (Vorberatung)",
            "Verwaltungsausschuss, 04.05.2021: erledigt durch Stellungnahme der Verwaltung (Vorberatung)"], member.Timeline);

        // The public (OParl, anonymous): the paper is erledigt, which is true, and its Beratungsfolge has no Rat step that
        // never comes. The VA step keeps committee, role and meeting, but neither agenda item, status nor outcome, and serves
        // its meeting's start as modified. Only the paper's status is a change served since, stamped when it happened.
        var client = test.App.CreateClient();
        var paper = JsonNode.Parse(await client.GetStringAsync($"/oparl/paper/{done.Id}"))!.AsObject();
        Assert.Equal(("Done", "Erledigt"), ((string)paper["deliberationflow:status"]!, (string)paper["deliberationflow:statusLabel"]!));
        Assert.Equal("2021-05-04T18:00:00+02:00", (string)paper["modified"]!);
        var steps = paper["consultation"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.Equal(2, steps.Count);
        Assert.Equal(("Done", "Adopted"), ((string)steps[0]["deliberationflow:status"]!, (string)steps[0]["deliberationflow:outcome"]!));
        var va = await client.GetStringAsync((string)steps[1]["id"]!);
        string[] hidden = ["agendaItem", "deliberationflow:status", "deliberationflow:statusLabel", "deliberationflow:outcome"];
        foreach (var step in new[] { steps[1], JsonNode.Parse(va)!.AsObject() })
        {
            Assert.Equal(("Vorberatung", "2021-05-04T15:00:00+02:00"), ((string)step["role"]!, (string)step["modified"]!));
            Assert.NotNull(step["meeting"]);
            Assert.All(hidden, field => Assert.Null(step[field]));
        }

        Assert.DoesNotContain("erledigt durch", va + paper.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        var schemas = new DeliberationFlow.Tests.OParl.OParlSchemas();
        Assert.Empty(schemas.Problems(paper, "paper").Concat(schemas.Problems(JsonNode.Parse(va)!.AsObject(), "VA step")));
    }

    [Fact]
    public async Task Bauleitplanung_HearsBothStadtbezirksraete_BeforeTheCommittees_AndReportsARejection()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 3, 20, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest(
            "21-30004", "Bebauungsplan „Holzmoor-Nord“, HA 141", "Bebauungsplan", "fb61", null, true, null, null));
        Assert.Equal(["sbr-112", "sbr-120"], paper.Consultations.Select(c => c.Committee.Key).Order(StringComparer.Ordinal));

        // The first hearing alone does not move the paper on: the Rat may decide only after every district was heard.
        var sbr112 = paper.Consultations.Single(c => c.Committee.Key == "sbr-112");
        await test.MoveClockToAsync(sbr112.MeetingStart!.Value.AddHours(3));
        await RecordAsync(test, "sekretariat-plua", sbr112.Id, "Rejected", "mehrheitlich abgelehnt");
        var waiting = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal(2, waiting.Consultations.Count);
        Assert.Equal("anhoerung", waiting.Workflow!.CurrentActivityId);

        var done = await RunToEndAsync(test, waiting, _ => ("Adopted", "zugestimmt"));

        Assert.Equal(["sbr-112", "sbr-120", "plua", "va", "rat"], done.Consultations.Select(c => c.Committee.Key));
        Assert.Equal(("Anhörung", "Rejected"), (done.Consultations.Single(c => c.Committee.Key == "sbr-112").RoleText, done.Consultations.Single(c => c.Committee.Key == "sbr-112").Outcome));
        var rejection = await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("21-30004: Ablehnung", StringComparison.Ordinal), 5);
        Assert.Equal(5, rejection.Count); // the lead office and the four members of the Planungs- und Umweltausschuss
        Assert.Contains(rejection, m => (m.TextBody ?? "").Contains("Stadtbezirksrat 112 Wabe-Schunter-Beberbach: mehrheitlich abgelehnt", StringComparison.Ordinal));
        Assert.Equal("Done", done.Status);
    }

    [Fact]
    public async Task HearingGuard_PlansNoDecisionBeforeTheHearing_UnlessAnAdminRecordsAnEilentscheidung()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 3, 20, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest(
            "21-30009", "Bebauungsplan „Wenden-West“", "Bebauungsplan", "fb61", null, true, null, null));

        // Blocked: while the Stadtbezirksräte are not heard, there is no deciding step to record.
        Assert.All(paper.Consultations, c => Assert.Equal("Anhörung", c.RoleText));
        var noReason = await test.ClientFor("admin").PostAsJsonAsync($"/api/papers/{paper.Id}/hearing-skip", new SkipHearingRequest("eilig"));
        var bySecretary = await test.ClientFor("sekretariat-plua").PostAsJsonAsync($"/api/papers/{paper.Id}/hearing-skip", new SkipHearingRequest("Fördermittelfrist läuft am 30.04. ab"));
        await Http.EnsureAsync(noReason, HttpStatusCode.BadRequest);
        Assert.Contains("§ 89", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, bySecretary.StatusCode);
        Assert.Equal(2, (await test.GetPaperAsync("admin", paper.Id)).Consultations.Count);

        // Allowed after a recorded Eilentscheidung: the hearings are dropped with the reason, the committees follow.
        var skipped = await test.ClientFor("admin").PostAsJsonAsync($"/api/papers/{paper.Id}/hearing-skip", new SkipHearingRequest("Fördermittelfrist läuft am 30.04. ab"));
        await Http.EnsureAsync(skipped, HttpStatusCode.OK);
        var after = (await skipped.Content.ReadFromJsonAsync<PaperDetails>())!;
        Assert.All(after.Consultations.Where(c => c.RoleText == "Anhörung"),
            c => Assert.Equal(("Skipped", "Entfallen – Eilentscheidung nach § 89 NKomVG: Fördermittelfrist läuft am 30.04. ab"), (c.Status, c.ResultText)));
        Assert.Equal("plua", after.Consultations[^1].Committee.Key);
        Assert.Contains(after.Journal, j => j.Message.Contains("Anhörung übersprungen von admin", StringComparison.Ordinal));
        var twice = await test.ClientFor("admin").PostAsJsonAsync($"/api/papers/{paper.Id}/hearing-skip", new SkipHearingRequest("Fördermittelfrist läuft am 30.04. ab"));
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
    }

    [Fact]
    public async Task AnEilentscheidung_WithAnOverlongReason_IsRefused_AndChangesNothing_TheLongestReasonIsNotedOnTheHearings()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 3, 20, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest(
            "21-30010", "Bebauungsplan „Wenden-Ost“", "Bebauungsplan", "fb61", null, true, null, null));
        var url = $"/api/papers/{paper.Id}/hearing-skip";

        var tooLong = await test.ClientFor("admin").PostAsJsonAsync(url, new SkipHearingRequest(new string('x', SkipHearing.MaxReasonLength + 1)));

        await Http.EnsureAsync(tooLong, HttpStatusCode.BadRequest);
        Assert.Contains($"at most {SkipHearing.MaxReasonLength} characters",
            Assert.Single((await tooLong.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>())!.Errors["reason"]), StringComparison.Ordinal);
        var unchanged = await test.GetPaperAsync("admin", paper.Id);
        Assert.All(unchanged.Consultations, c => Assert.Equal(("Anhörung", "Planned"), (c.RoleText, c.Status)));
        Assert.Equal(paper.Journal.Count, unchanged.Journal.Count);

        var longest = new string('x', SkipHearing.MaxReasonLength);
        var skipped = await test.ClientFor("admin").PostAsJsonAsync(url, new SkipHearingRequest(longest));
        await Http.EnsureAsync(skipped, HttpStatusCode.OK);
        Assert.All((await skipped.Content.ReadFromJsonAsync<PaperDetails>())!.Consultations.Where(c => c.RoleText == "Anhörung"),
            c => Assert.Equal(("Skipped", "Entfallen – Eilentscheidung nach § 89 NKomVG: " + longest), (c.Status, c.ResultText)));
    }

    [Fact]
    public async Task Consultation_DeferredReferredAndBack_KeepsTheBeratungsfolgeAndEndsInTheRat()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 3, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest(
            "21-30005", "Sanierung Sporthalle", "Beschlussvorlage", "fb10", null, true, null, null));
        Assert.Equal("29.04.2021", paper.Consultations[0].Date);

        // Vertagt: the FPA takes it up again in its next meeting.
        var first = paper.Consultations[0];
        await test.MoveClockToAsync(first.MeetingStart!.Value.AddHours(3));
        var deferred = (await RecordAsync(test, "sekretariat-fpa", first.Id, null, "vertagt")).Paper;
        var again = deferred.Consultations[1];
        Assert.Equal(("fpa", "Deferred"), (again.Committee.Key, deferred.Consultations[0].Status));
        Assert.True(again.MeetingStart > first.MeetingStart);

        // Verwiesen an den Planungs- und Umweltausschuss, then back to the FPA.
        await test.MoveClockToAsync(again.MeetingStart!.Value.AddHours(3));
        var referral = await test.RecordAsync("sekretariat-fpa", again.Id, new RecordOutcomeRequest(null, "verwiesen in den Planungs- und Umweltausschuss", null, "plua"));
        await Http.EnsureAsync(referral, HttpStatusCode.OK);
        var referred = (await referral.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Paper;
        var plua = referred.Consultations[2];
        Assert.Equal(("plua", "Beratung"), (plua.Committee.Key, plua.RoleText));

        var done = await RunToEndAsync(test, referred, _ => ("Adopted", "beschlossen"));

        Assert.Equal(["fpa", "fpa", "plua", "fpa", "va", "rat"], done.Consultations.Select(c => c.Committee.Key));
        Assert.Equal(["Deferred", "Referred", "Adopted", "Adopted", "Adopted", "Adopted"], done.Consultations.Select(c => c.Outcome));
        Assert.Equal("Done", done.Status);
    }

    [Fact]
    public async Task Recommendation_LeavesThroughAdopted_AndAbsetzung_PlansTheNextMeeting()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-30010", "Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.MoveClockToAsync(paper.Consultations[0].MeetingStart!.Value.AddHours(3));

        var removed = (await RecordAsync(test, "sekretariat-fpa", paper.Consultations[0].Id, null, "abgesetzt")).Paper;
        Assert.Equal(("RemovedFromAgenda", "Vertagt", "fpa", "10.06.2021"),
            (removed.Consultations[0].Outcome, removed.Consultations[0].StatusLabel, removed.Consultations[1].Committee.Key, removed.Consultations[1].Date));

        await test.MoveClockToAsync(removed.Consultations[1].MeetingStart!.Value.AddHours(3));
        var recommended = (await RecordAsync(test, "sekretariat-fpa", removed.Consultations[1].Id, null, "einstimmig empfohlen")).Paper;
        Assert.Equal(("Recommended", "va"), (recommended.Consultations[1].Outcome, recommended.Consultations[2].Committee.Key));
    }

    [Fact]
    public async Task Withdrawal_EndsTheWorkflow_AndMarksThePaperWithdrawn()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-30006", "Zurückgezogene Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.MoveClockToAsync(paper.Consultations[0].MeetingStart!.Value.AddHours(3));

        var after = (await RecordAsync(test, "sekretariat-fpa", paper.Consultations[0].Id, null, "zurückgezogen")).Paper;

        Assert.Equal(("Withdrawn", "Zurückgezogen", "Finished"), (after.Status, after.StatusLabel, after.Workflow!.Status));
        Assert.Equal("Withdrawn", Assert.Single(after.Consultations).Status);
    }

    [Fact]
    public async Task Referral_ToAnUnknownCommittee_IsRefusedWithTheCommitteesToChooseFrom()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-30007", "Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));

        var response = await test.RecordAsync("admin", paper.Consultations[0].Id, new RecordOutcomeRequest("Referred", "verwiesen", null, "kulturausschuss"));

        await Http.EnsureAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("plua", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Planned", Assert.Single((await test.GetPaperAsync("admin", paper.Id)).Consultations).Status);
    }

    [Fact]
    public async Task Members_AreRemindedTheDayBefore_UnlessTheOutcomeIsAlreadyIn()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-30008", "Vorlage mit Erinnerung", "Beschlussvorlage", "fb10", null, true, null, null));

        await test.MoveClockToAsync(Berlin.At(2021, 4, 28, 15, 0, 1));
        await test.ReconcileAsync();
        var reminders = await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Erinnerung: Finanz- und Personalausschuss am 29.04.2021 – 21-30008", StringComparison.Ordinal), 5);
        Assert.Equal(5, reminders.Count);
        Assert.Contains("morgen, Donnerstag, 29.04.2021, 15:00 Uhr", reminders[0].TextBody, StringComparison.Ordinal);

        // The VA was planned after the FPA's outcome; recorded before its reminder is due, the reminder is called off.
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        var afterFpa = (await RecordAsync(test, "admin", paper.Consultations[0].Id, "Adopted", "beschlossen")).Paper;
        await test.MoveClockToAsync(Berlin.At(2021, 5, 1, 10, 0));
        await RecordAsync(test, "admin", afterFpa.Consultations[1].Id, "Withdrawn", "zurückgezogen");
        await test.MoveClockToAsync(Berlin.At(2021, 5, 3, 15, 0, 1));
        await test.ReconcileAsync();
        await test.WaitForMailOutAsync();
        Assert.DoesNotContain(test.Smtp.Messages, m => (m.Subject ?? "").StartsWith("Erinnerung: Verwaltungsausschuss", StringComparison.Ordinal));
    }

    /// <summary>Records an outcome for every planned consultation, meeting by meeting, until the workflow stops waiting for outcomes.</summary>
    private static async Task<PaperDetails> RunToEndAsync(TestApp test, PaperDetails paper, Func<ConsultationView, (string Outcome, string Text)> decide)
    {
        for (var step = 0; step < 20; step++)
        {
            var planned = paper.Consultations.Where(c => c.Status == "Planned").OrderBy(c => c.MeetingStart).FirstOrDefault();
            if (planned is null)
            {
                return paper;
            }

            Assert.NotNull(planned.MeetingStart);
            var after = planned.MeetingStart!.Value.AddHours(3);
            if (after > test.Clock.GetUtcNow())
            {
                await test.MoveClockToAsync(after);
            }

            var (outcome, text) = decide(planned);
            paper = (await RecordAsync(test, "admin", planned.Id, outcome, text)).Paper;
        }

        Assert.Fail("The workflow did not end within 20 consultations.");
        return paper;
    }

    private static async Task<RecordOutcomeResponse> RecordAsync(TestApp test, string user, Guid consultationId, string? outcome, string text)
    {
        var response = await test.RecordAsync(user, consultationId, new RecordOutcomeRequest(outcome, text, null), Guid.NewGuid().ToString());
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!;
    }

    private static async Task<PaperDetails> WaitForStatusAsync(TestApp test, Guid paperId, string workflowStatus)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var paper = await test.GetPaperAsync("admin", paperId);
            if (paper.Workflow?.Status == workflowStatus || DateTime.UtcNow > deadline)
            {
                return paper;
            }

            await Task.Delay(100);
        }
    }
}
