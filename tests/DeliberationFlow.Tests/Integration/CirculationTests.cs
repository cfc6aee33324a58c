using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Circulations;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// The Verwaltungsausschuss decides a Beschlussvorlage by Umlaufverfahren (§ 78(3) NKomVG): its secretary starts it, the
/// five members are asked by mail and answer over HTTP; every answer without an objection records the outcome and the
/// paper goes on to the Rat; an objection, or the Frist passing, sends it to the VA's next meeting instead.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class CirculationTests
{
    internal const string Password = "Umlaufverfahren-2021!";

    /// <summary>The VA's members in the demo (a full seat with voting right each), as their accounts are named here.</summary>
    internal static readonly (string User, string Name)[] VaMembers =
    [
        ("tobias.muster", "Tobias Muster"), ("klaus.hartmann", "Klaus Hartmann"), ("jonas.weber", "Jonas Weber"),
        ("felix.schulz", "Felix Schulz"), ("murat.kaya", "Murat Kaya"),
    ];

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task EveryMemberAnswers_TheOutcomeIsRecorded_AndThePaperGoesOnToTheRat(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var (paper, va) = await VaStepOnDraftAgendaAsync(test, "21-16101");
        await AddMemberAccountsAsync(test);

        test.Clock.SetUtcNow(Berlin.At(2021, 4, 30, 10, 0));
        var started = await test.ClientFor("sekretariat-va").PostAsJsonAsync($"/api/consultations/{va.Id}/circulation",
            new StartCirculationRequest("Der Verwaltungsausschuss empfiehlt dem Rat die Neuordnung der Stabsstelle.", "2021-05-12T12:00"));
        await Http.EnsureAsync(started, HttpStatusCode.Created);
        var circulation = (await started.Content.ReadFromJsonAsync<CirculationView>())!;
        Assert.Equal(("Open", 5, 0, "12.05.2021 12:00"), (circulation.Status, circulation.Members, circulation.Answered, circulation.DeadlineText));
        Assert.Equal(VaMembers.Select(m => m.Name).Order(), circulation.Votes.Select(v => v.Name).Order());

        // Taken off the draft agenda of 08.06.: it waits for no meeting while the members answer.
        var during = await test.GetPaperAsync("sekretariat-va", paper.Id);
        Assert.Null(during.Consultations.Single(c => c.Id == va.Id).MeetingId);

        // Each member is asked by mail, in German, with the proposal, the Frist and where to answer.
        var requests = await test.Smtp.WaitForAsync(IsRequest, VaMembers.Length);
        Assert.Equal(VaMembers.Select(m => $"{m.User}@rat.braunschweig.example").Order(), requests.Select(Recipient).Order());
        Assert.All(requests, m =>
        {
            Assert.Equal("Umlaufverfahren: 21-16101 im Verwaltungsausschuss – Antwort bis 12.05.2021", m.Subject);
            Assert.Contains("Der Verwaltungsausschuss empfiehlt dem Rat die Neuordnung der Stabsstelle.", m.TextBody, StringComparison.Ordinal);
            Assert.Contains("bis 12.05.2021, 12:00 Uhr", m.TextBody, StringComparison.Ordinal);
            // Under the configured address (not the host the secretary's request came by; a start from the web UI had no link at all).
            Assert.Contains("Hier antworten Sie: http://localhost:5000/portal", m.TextBody, StringComparison.Ordinal);
            Assert.Contains($"Die Vorlage mit ihren Unterlagen: http://localhost:5000/papers/{paper.Id}", m.TextBody, StringComparison.Ordinal);
        });

        // A member sees the open circulation in the portal's list, with no tally while it runs.
        var mine = (await test.App.ClientFor("tobias.muster", Password).GetFromJsonAsync<List<CirculationView>>("/api/me/circulations"))!;
        var listed = Assert.Single(mine);
        Assert.Equal((va.Id, true, (CirculationTallyView?)null), (listed.ConsultationId, listed.MayAnswer, listed.Tally));

        test.Clock.SetUtcNow(Berlin.At(2021, 5, 3, 9, 0));
        string[] answers = ["For", "Zustimmung", "For", "Against", "Abstention"];
        CirculationView last = circulation;
        for (var i = 0; i < VaMembers.Length; i++)
        {
            var answered = await Answer(test, VaMembers[i].User, va.Id, answers[i]);
            await Http.EnsureAsync(answered, HttpStatusCode.OK);
            last = (await answered.Content.ReadFromJsonAsync<CirculationView>())!;
        }

        Assert.Equal(("Decided", "abgeschlossen"), (last.Status, last.StatusLabel));
        Assert.Equal(new CirculationTallyView(3, 1, 1, 0), last.Tally);

        // A second answer is refused and changes nothing.
        var again = await Answer(test, "tobias.muster", va.Id, "Against");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        // Recorded as an outcome recorded through the API is: the step is done, the workflow went on to the Rat.
        var after = await test.GetPaperAsync("sekretariat-va", paper.Id);
        var decided = after.Consultations.Single(c => c.Id == va.Id);
        Assert.Equal(("Done", "Adopted", "beschlossen"), (decided.Status, decided.Outcome, decided.ResultText));
        Assert.Equal("Der Verwaltungsausschuss empfiehlt dem Rat die Neuordnung der Stabsstelle.", decided.ResolutionText);
        Assert.Equal(new VoteTallyView(3, 1, 1, false), decided.Votes);
        Assert.Equal("Umlaufverfahren", decided.RecordedBy);
        Assert.Equal("rat", after.Workflow!.CurrentActivityId);
        var rat = after.Consultations[^1];
        Assert.Equal(("rat", "18.05.2021", "Planned"), (rat.Committee.Key, rat.Date, rat.Status));
        Assert.Contains("Verwaltungsausschuss, Umlaufverfahren (abgeschlossen 03.05.2021): beschlossen (3 Ja, 1 Nein, 1 Enthaltung)", after.Timeline);
        Assert.Contains(after.Journal, j => j.Kind == "ActivityCompleted" && j.ActivityId == "va" && j.Outcome == "Adopted" && j.Actor == "Umlaufverfahren");

        // Every member asked hears the end: the outcome with the tally and the resolution, and where the paper is now.
        var ended = await test.Smtp.WaitForAsync(m => Subject(m) == "Umlaufverfahren beendet (abgeschlossen): 21-16101 im Verwaltungsausschuss", VaMembers.Length);
        Assert.Equal(VaMembers.Select(m => $"{m.User}@rat.braunschweig.example").Order(), ended.Select(Recipient).Order());
        Assert.All(ended, m =>
        {
            Assert.Contains("Ergebnis: beschlossen (3 Ja, 1 Nein, 1 Enthaltung).", m.TextBody, StringComparison.Ordinal);
            Assert.Contains("Der Verwaltungsausschuss empfiehlt dem Rat die Neuordnung der Stabsstelle.", m.TextBody, StringComparison.Ordinal);
            Assert.Contains("Die Vorlage ist nun im Rat der Stadt Braunschweig: Sitzung des Rates, 18.05.2021 14:00.", m.TextBody, StringComparison.Ordinal);
        });

        // Each answer is in the journal with who gave it, and when.
        Assert.Equal(VaMembers.Length, after.Journal.Count(j => j.Message.Contains("Umlaufverfahren, Antwort von", StringComparison.Ordinal)));
        Assert.Contains(after.Journal, j => j.Actor == "murat.kaya" && j.Message == "Verwaltungsausschuss: Umlaufverfahren, Antwort von Murat Kaya: Enthaltung."
                                            && j.Timestamp == Berlin.At(2021, 5, 3, 9, 0));

        // The lead office hears of the decision as of any other (the outcome notice).
        await test.Smtp.WaitForAsync(m => Subject(m) == "Beratungsergebnis 21-16101: Verwaltungsausschuss am 03.05.2021 (Umlaufverfahren) – beschlossen", 1);

        // The Frist's timer was called off with the decision: it never fires.
        await test.MoveClockToAsync(Berlin.At(2021, 5, 12, 12, 0, 1));
        await test.ReconcileAsync();
        await test.WaitForDueTimersAsync();
        var deadline = await TimerAsync(test, last.Id);
        Assert.Equal(TimerStatus.Cancelled, deadline.Status);

        // So was the reminder a day before the Frist (11.05. 12:00): nobody was left to remind.
        var reminder = await TimerAsync(test, last.Id, CirculationSteps.ReminderTimer);
        Assert.Equal((TimerStatus.Cancelled, Berlin.At(2021, 5, 11, 12, 0)), (reminder.Status, reminder.DueAt));
        Assert.DoesNotContain(test.Smtp.Messages, m => Subject(m).StartsWith("Erinnerung Umlaufverfahren", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnObjection_EndsItAsFailed_ThePaperGoesToTheNextMeeting_AndTheSecretariesAreTold()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var (paper, va) = await VaStepOnDraftAgendaAsync(test, "21-16102");
        await AddMemberAccountsAsync(test);
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 30, 10, 0));
        await Http.EnsureAsync(await StartAsync(test, va.Id, "2021-05-12"), HttpStatusCode.Created);

        await Http.EnsureAsync(await Answer(test, "tobias.muster", va.Id, "For"), HttpStatusCode.OK);
        var objected = await Answer(test, "klaus.hartmann", va.Id, "Objection");
        await Http.EnsureAsync(objected, HttpStatusCode.OK);
        var failed = (await objected.Content.ReadFromJsonAsync<CirculationView>())!;
        Assert.Equal(("Failed", "gescheitert"), (failed.Status, failed.StatusLabel));
        Assert.Equal("Widerspruch von Klaus Hartmann gegen das Umlaufverfahren.", failed.EndReason);

        // Back in planning: the VA's next meeting the deadlines allow, as a paper taken off an agenda goes; that is the
        // meeting of 04.05., invited already, so it comes there as a Nachtrag. Nothing is recorded.
        var after = await test.GetPaperAsync("sekretariat-va", paper.Id);
        var step = after.Consultations.Single(c => c.Id == va.Id);
        Assert.Equal(("Planned", "04.05.2021", (string?)null), (step.Status, step.Date, step.Outcome));
        Assert.Equal("va", after.Workflow!.CurrentActivityId);
        Assert.Contains(after.Journal, j => j.Message.StartsWith("Verwaltungsausschuss: Umlaufverfahren gescheitert. Widerspruch von Klaus Hartmann", StringComparison.Ordinal)
                                            && j.Message.EndsWith("Beratung jetzt in der Sitzung am 04.05.2021 15:00.", StringComparison.Ordinal));

        // The secretaries are told, with the meeting it now goes to.
        var told = Assert.Single(await test.Smtp.WaitForAsync(m => Subject(m).StartsWith("Umlaufverfahren gescheitert", StringComparison.Ordinal), 1));
        Assert.Equal("sekretariat-va@braunschweig.example", Recipient(told));
        Assert.Contains("04.05.2021 15:00", told.TextBody, StringComparison.Ordinal);

        // Every member asked hears it too: why it failed and the meeting the paper goes to now.
        var ended = await test.Smtp.WaitForAsync(m => Subject(m) == "Umlaufverfahren beendet (gescheitert): 21-16102 im Verwaltungsausschuss", VaMembers.Length);
        Assert.Equal(VaMembers.Length, ended.Select(Recipient).Distinct().Count());
        Assert.All(ended, m =>
        {
            Assert.Contains("Grund: Widerspruch von Klaus Hartmann gegen das Umlaufverfahren.", m.TextBody, StringComparison.Ordinal);
            Assert.Contains("Die Vorlage ist nun im Verwaltungsausschuss: ", m.TextBody, StringComparison.Ordinal);
            Assert.Contains("04.05.2021 15:00", m.TextBody, StringComparison.Ordinal);
            Assert.DoesNotContain("Ergebnis:", m.TextBody, StringComparison.Ordinal);
        });

        // It takes no more answers, and its Frist's timer is called off.
        Assert.Equal(HttpStatusCode.Conflict, (await Answer(test, "jonas.weber", va.Id, "For")).StatusCode);
        var deadline = await TimerAsync(test, failed.Id);
        Assert.Equal(TimerStatus.Cancelled, deadline.Status);
    }

    [Fact]
    public async Task TheFristPassesWithAnswersMissing_TheTimerEndsItAsFailed_AndThePaperGoesToTheNextMeeting()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var (paper, va) = await VaStepOnDraftAgendaAsync(test, "21-16103");
        await AddMemberAccountsAsync(test);
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 30, 10, 0));
        await Http.EnsureAsync(await StartAsync(test, va.Id, "2021-05-12T12:00"), HttpStatusCode.Created);
        foreach (var member in VaMembers.Take(3))
        {
            await Http.EnsureAsync(await Answer(test, member.User, va.Id, "For"), HttpStatusCode.OK);
        }

        // A day before the Frist the two who have not answered are reminded, and only they; once. (The clock stops after the
        // invitation of the VA's meeting of 08.06. is due too, on 11.05. at 14:00: reconciled before it, its job would wait
        // for the real time.)
        await test.MoveClockToAsync(Berlin.At(2021, 5, 11, 14, 0, 1));
        await test.ReconcileAsync();
        await test.WaitForDueTimersAsync();
        var reminded = await test.Smtp.WaitForAsync(m => Subject(m).StartsWith("Erinnerung Umlaufverfahren: 21-16103", StringComparison.Ordinal), 2);
        Assert.Equal(["felix.schulz@rat.braunschweig.example", "murat.kaya@rat.braunschweig.example"], reminded.Select(Recipient).Order());
        Assert.All(reminded, m => Assert.Contains("Die Frist endet am 12.05.2021 um 12:00 Uhr; 3 von 5 Mitgliedern haben geantwortet.", m.TextBody, StringComparison.Ordinal));
        Assert.Equal(TimerStatus.Fired, (await TimerAsync(test, (await GetAsync(test, "sekretariat-va", va.Id)).Id, CirculationSteps.ReminderTimer)).Status);

        // Until the Frist it stays open; after it the timer row fires once and the circulation has failed. (The test does
        // not reconcile before: a job scheduled a minute ahead would run a real minute later.)
        await test.MoveClockToAsync(Berlin.At(2021, 5, 12, 11, 59));
        Assert.Equal(("Open", 3), ((await GetAsync(test, "sekretariat-va", va.Id)).Status, (await GetAsync(test, "sekretariat-va", va.Id)).Answered));

        await test.MoveClockToAsync(Berlin.At(2021, 5, 12, 12, 0, 1));
        await test.ReconcileAsync();
        await test.WaitForDueTimersAsync();
        var failed = await GetAsync(test, "sekretariat-va", va.Id);
        Assert.Equal("Failed", failed.Status);
        Assert.Equal("Frist 12.05.2021 12:00 abgelaufen; keine Antwort von Felix Schulz, Murat Kaya.", failed.EndReason);
        Assert.Equal(new CirculationTallyView(3, 0, 0, 0), failed.Tally);
        Assert.Equal(TimerStatus.Fired, (await TimerAsync(test, failed.Id)).Status);

        var step = (await test.GetPaperAsync("sekretariat-va", paper.Id)).Consultations.Single(c => c.Id == va.Id);
        Assert.Equal(("Planned", "08.06.2021"), (step.Status, step.Date));
        await test.Smtp.WaitForAsync(m => Subject(m).StartsWith("Umlaufverfahren gescheitert", StringComparison.Ordinal), 1);
        var ended = await test.Smtp.WaitForAsync(m => Subject(m) == "Umlaufverfahren beendet (gescheitert): 21-16103 im Verwaltungsausschuss", VaMembers.Length);
        Assert.All(ended, m => Assert.Contains("Grund: Frist 12.05.2021 12:00 abgelaufen; keine Antwort von Felix Schulz, Murat Kaya.", m.TextBody, StringComparison.Ordinal));
        Assert.Equal(2, test.Smtp.Messages.Count(m => Subject(m).StartsWith("Erinnerung Umlaufverfahren", StringComparison.Ordinal)));

        // A late answer is refused.
        Assert.Equal(HttpStatusCode.Conflict, (await Answer(test, "felix.schulz", va.Id, "For")).StatusCode);
    }

    [Fact]
    public async Task OnlyTheCommitteesPeopleSeeIt_OnlyItsMembersAnswer_AndOnlyAHauptausschussDecidesByCirculation()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("sekretariat-fpa", new RegisterPaperRequest(
            "21-16104", "Neuordnung der Stabsstelle Digitalisierung", "Beschlussvorlage", "fb10", null, true, null, null));
        var fpa = paper.Consultations[0];

        // The FPA is an ordinary Ausschuss: a 400 naming the committee, and nothing started.
        var notVa = await StartAsync(test, fpa.Id, "2021-04-20T12:00", "sekretariat-fpa");
        await Http.EnsureAsync(notVa, HttpStatusCode.BadRequest);
        var problem = (await notVa.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.Contains("Hauptausschuss", Assert.Single(problem.Errors["committee"]), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await test.ClientFor("sekretariat-fpa").GetAsync($"/api/consultations/{fpa.Id}/circulation")).StatusCode);

        // The VA's step on an agenda already sent to the members: decided in that meeting, not by circulation.
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));
        var recorded = await test.RecordAsync("sekretariat-fpa", fpa.Id, new RecordOutcomeRequest("Adopted", "beschlossen", null));
        await Http.EnsureAsync(recorded, HttpStatusCode.OK);
        var va = (await recorded.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Paper.Consultations[1];
        await test.WaitForDueTimersAsync(); // the VA's Ladungsfrist has passed: its invitation goes out at once
        var sent = await StartAsync(test, va.Id, "2021-05-12T12:00");
        Assert.Equal(HttpStatusCode.Conflict, sent.StatusCode);
        Assert.Contains("fixed or sent", await sent.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var (_, open) = await VaStepOnDraftAgendaAsync(test, null, va);
        await AddMemberAccountsAsync(test);

        // Bad input: a 400 naming each field; a Frist less than a day ahead is refused.
        var bad = await test.ClientFor("sekretariat-va").PostAsJsonAsync($"/api/consultations/{open.Id}/circulation", new StartCirculationRequest(" ", "morgen"));
        await Http.EnsureAsync(bad, HttpStatusCode.BadRequest);
        var errors = (await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors;
        Assert.Equal(["deadline", "resolutionText"], errors.Keys.Order());
        var soon = await StartAsync(test, open.Id, "2021-04-30T09:00");
        await Http.EnsureAsync(soon, HttpStatusCode.BadRequest);
        Assert.Contains("less than a day ahead", Assert.Single((await soon.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors["deadline"]), StringComparison.Ordinal);

        // Only the committee's secretary or an admin starts it: the FPA's secretary cannot.
        Assert.Equal(HttpStatusCode.Forbidden, (await StartAsync(test, open.Id, "2021-05-12T12:00", "sekretariat-fpa")).StatusCode);
        await Http.EnsureAsync(await StartAsync(test, open.Id, "2021-05-12T12:00"), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Conflict, (await StartAsync(test, open.Id, "2021-05-13T12:00")).StatusCode);

        // A councillor who is not a VA member, another committee's secretary, another body's admin: not found, no answer.
        foreach (var (user, password) in new[] { ("ratsmitglied", "demo"), ("sekretariat-fpa", "demo"), ("admin-wf", "demo") })
        {
            var client = test.App.ClientFor(user, password);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/consultations/{open.Id}/circulation")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/api/consultations/{open.Id}/circulation/answer", new AnswerCirculationRequest("Objection"))).StatusCode);
            Assert.Empty((await client.GetFromJsonAsync<List<CirculationView>>("/api/me/circulations"))!);
        }

        // The VA's secretary follows it but does not answer; a member's unknown answer is a 400 naming it.
        Assert.Equal(HttpStatusCode.Forbidden, (await Answer(test, "sekretariat-va", open.Id, "For", "demo")).StatusCode);
        var unknown = await Answer(test, "tobias.muster", open.Id, "Vielleicht");
        await Http.EnsureAsync(unknown, HttpStatusCode.BadRequest);
        Assert.True((await unknown.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.ContainsKey("answer"));

        // None of this changed anything: nobody has answered, and it is still open.
        var state = await GetAsync(test, "sekretariat-va", open.Id);
        Assert.Equal(("Open", 0), (state.Status, state.Answered));

        // While it runs the step cannot be put on an agenda. The secretary calls it off: the paper goes to the VA's next
        // meeting (04.05., invited already: a Nachtrag).
        var add = await test.ClientFor("sekretariat-va").PostAsJsonAsync($"/api/meetings/{open.MeetingId}/agenda/items", new { consultationId = open.Id });
        Assert.Equal(HttpStatusCode.Conflict, add.StatusCode);
        Assert.Contains("Umlaufverfahren", await add.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var cancelled = await test.ClientFor("sekretariat-va").PostAsJsonAsync($"/api/consultations/{open.Id}/circulation/cancel", new CancelCirculationRequest("Eilt nicht mehr"));
        await Http.EnsureAsync(cancelled, HttpStatusCode.OK);
        Assert.Equal("Cancelled", (await cancelled.Content.ReadFromJsonAsync<CirculationView>())!.Status);
        var after = await test.GetPaperByReferenceAsync("21-16104", "sekretariat-va");
        Assert.Equal("04.05.2021", after.Consultations.Single(c => c.Id == open.Id).Date);
        var ended = await test.Smtp.WaitForAsync(m => Subject(m) == "Umlaufverfahren beendet (abgebrochen): 21-16104 im Verwaltungsausschuss", VaMembers.Length);
        Assert.All(ended, m => Assert.Contains("Grund: Abgebrochen von sekretariat-va: Eilt nicht mehr", m.TextBody, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnOutcomeRecordedWhileACirculationIsOpen_EndsIt_TimersCalledOff_AndTheMembersAreTold()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var (paper, va) = await VaStepOnDraftAgendaAsync(test, "21-16105");
        await AddMemberAccountsAsync(test);
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 30, 10, 0));

        // A Frist less than two days ahead gets no reminder: the request itself is hardly older than a reminder would be.
        await Http.EnsureAsync(await StartAsync(test, va.Id, "2021-05-01T14:00"), HttpStatusCode.Created);
        var open = await GetAsync(test, "sekretariat-va", va.Id);
        Assert.Equal([CirculationSteps.DeadlineTimer], (await TimersAsync(test, open.Id)).Select(t => t.Kind));
        await Http.EnsureAsync(await Answer(test, "tobias.muster", va.Id, "For"), HttpStatusCode.OK);

        // The paper is withdrawn while the members answer: recorded through the API as ever, and the circulation ends with it.
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 30, 16, 0));
        var withdrawn = await test.RecordAsync("sekretariat-va", va.Id, new RecordOutcomeRequest("Withdrawn", "zurückgezogen", null));
        await Http.EnsureAsync(withdrawn, HttpStatusCode.OK);
        var recorded = (await withdrawn.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!;
        Assert.Equal("Withdrawn", recorded.Consultation.Outcome);
        Assert.Contains(recorded.Paper.Journal, j => j.Message == "Verwaltungsausschuss: Umlaufverfahren abgebrochen. Ergebnis erfasst von sekretariat-va: zurückgezogen."
                                                     && j.Actor == "sekretariat-va");

        var closed = await GetAsync(test, "sekretariat-va", va.Id);
        Assert.Equal(("Cancelled", "Ergebnis erfasst von sekretariat-va: zurückgezogen.", Berlin.At(2021, 4, 30, 16, 0)), (closed.Status, closed.EndReason, closed.EndedAt));
        Assert.All(await TimersAsync(test, open.Id), t => Assert.Equal(TimerStatus.Cancelled, t.Status));
        Assert.Empty((await test.App.ClientFor("jonas.weber", Password).GetFromJsonAsync<List<CirculationView>>("/api/me/circulations"))!);
        Assert.Equal(HttpStatusCode.Conflict, (await Answer(test, "jonas.weber", va.Id, "For")).StatusCode);

        // Every member asked hears why, and that the paper waits for nothing more; the secretaries get no failure notice.
        var ended = await test.Smtp.WaitForAsync(m => Subject(m) == "Umlaufverfahren beendet (abgebrochen): 21-16105 im Verwaltungsausschuss", VaMembers.Length);
        Assert.Equal(VaMembers.Select(m => $"{m.User}@rat.braunschweig.example").Order(), ended.Select(Recipient).Order());
        Assert.All(ended, m =>
        {
            Assert.Contains("Grund: Ergebnis erfasst von sekretariat-va: zurückgezogen.", m.TextBody, StringComparison.Ordinal);
            Assert.Contains("Die Vorlage wartet auf keine weitere Beratung.", m.TextBody, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(test.Smtp.Messages, m => Subject(m).StartsWith("Umlaufverfahren gescheitert", StringComparison.Ordinal));
        Assert.Equal("Withdrawn", (await test.GetPaperAsync("sekretariat-va", paper.Id)).Consultations.Single(c => c.Id == va.Id).Outcome);
    }

    [Fact]
    public async Task TheListOfOpenCirculations_ReadsPapersCommitteesAndTheZoneOnce_NotForEachEntry()
    {
        var commands = new CommandCounter();
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            services => services.ConfigureDbContext<PostgresDeliberationDbContext>(options => options.AddInterceptors(commands)));
        var steps = await VaStepsOnDraftAgendaAsync(test, "21-16106", "21-16107", "21-16108");
        var (first, second, third) = (steps[0], steps[1], steps[2]);
        await AddMemberAccountsAsync(test);
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 30, 10, 0));
        await Http.EnsureAsync(await StartAsync(test, first.Id, "2021-05-12T12:00"), HttpStatusCode.Created);

        // The statements of one listing by the secretary's use case, counted on its own unit of work (the service's jobs
        // run meanwhile on theirs).
        async Task<(int Entries, int Statements)> ListAsync() => await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationFlow.Council.Common.ICouncilDb>();
            var va = await db.Organizations.AsNoTracking().SingleAsync(o => o.Key == "va");
            var caller = new Caller(Guid.NewGuid(), "sekretariat-va", va.BodyId, UserRole.Secretary, new HashSet<Guid> { va.Id }, null);
            using var counting = commands.CountOn(db.Context);
            var list = await sp.GetRequiredService<ListMyCirculations>().HandleAsync(caller, TestContext.Current.CancellationToken);
            return (list.Count, counting.Count);
        });

        await ListAsync(); // the node's directory of organizations is read once, as on any first request
        var one = await ListAsync();
        await Http.EnsureAsync(await StartAsync(test, second.Id, "2021-05-12T12:00"), HttpStatusCode.Created);
        await Http.EnsureAsync(await StartAsync(test, third.Id, "2021-05-13T12:00"), HttpStatusCode.Created);
        var three = await ListAsync();

        Assert.Equal((1, 3), (one.Entries, three.Entries));
        Assert.Equal(one.Statements, three.Statements);
        var figure = $"GET /api/me/circulations (ListMyCirculations): {one.Statements} statements for 1 entry, {three.Statements} for 3 entries";
        TestContext.Current.TestOutputHelper?.WriteLine(figure);
        File.AppendAllText(Path.Combine(Path.GetDirectoryName(UiSession.ScreenshotFolder)!, "circulation-list-statements.txt"), figure + Environment.NewLine);
    }

    /// <summary>Counts the statements run on one context while a count is open.</summary>
    private sealed class CommandCounter : DbCommandInterceptor
    {
        private Counting? _open;

        public Counting CountOn(DbContext context) => _open = new Counting(context, () => _open = null);

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (_open is { } open && ReferenceEquals(open.Context, eventData.Context))
            {
                Interlocked.Increment(ref open.Statements);
            }

            return base.ReaderExecutedAsync(command, eventData, result, cancellationToken);
        }

        public sealed class Counting(DbContext context, Action closed) : IDisposable
        {
            public int Statements;

            public DbContext Context { get; } = context;

            public int Count => Volatile.Read(ref Statements);

            public void Dispose() => closed();
        }
    }

    /// <summary>
    /// A Beschlussvorlage whose VA step sits on the draft agenda of 08.06.2021: the FPA decides on 29.04., the VA's meeting of
    /// 04.05. is invited already, so its secretary takes the paper off there (abgesetzt) and it goes to the next one.
    /// </summary>
    internal static async Task<(PaperDetails Paper, ConsultationView Va)> VaStepOnDraftAgendaAsync(TestApp test, string? reference, ConsultationView? va = null)
    {
        PaperDetails? paper = null;
        if (va is null)
        {
            paper = await test.RegisterAsync("sekretariat-fpa", new RegisterPaperRequest(
                reference, "Neuordnung der Stabsstelle Digitalisierung", "Beschlussvorlage", "fb10", null, true, null, null));
            test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));
            var fpa = await test.RecordAsync("sekretariat-fpa", paper.Consultations[0].Id, new RecordOutcomeRequest("Adopted", "beschlossen", null));
            await Http.EnsureAsync(fpa, HttpStatusCode.OK);
            va = (await fpa.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Paper.Consultations[1];
            await test.WaitForDueTimersAsync();
        }

        Assert.Equal(("va", "04.05.2021"), (va.Committee.Key, va.Date));
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 30));
        var off = await test.RecordAsync("sekretariat-va", va.Id, new RecordOutcomeRequest("RemovedFromAgenda", "abgesetzt", null));
        await Http.EnsureAsync(off, HttpStatusCode.OK);
        paper = (await off.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Paper;
        var next = paper.Consultations[^1];
        Assert.Equal(("va", "08.06.2021", "Planned"), (next.Committee.Key, next.Date, next.Status));
        return (paper, next);
    }

    /// <summary>As <see cref="VaStepOnDraftAgendaAsync"/> for several papers at once (the clock only moves on).</summary>
    private static async Task<List<ConsultationView>> VaStepsOnDraftAgendaAsync(TestApp test, params string[] references)
    {
        var papers = new List<PaperDetails>();
        foreach (var reference in references)
        {
            papers.Add(await test.RegisterAsync("sekretariat-fpa", new RegisterPaperRequest(
                reference, "Neuordnung der Stabsstelle Digitalisierung", "Beschlussvorlage", "fb10", null, true, null, null)));
        }

        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));
        var vas = new List<ConsultationView>();
        foreach (var paper in papers)
        {
            var fpa = await test.RecordAsync("sekretariat-fpa", paper.Consultations[0].Id, new RecordOutcomeRequest("Adopted", "beschlossen", null));
            await Http.EnsureAsync(fpa, HttpStatusCode.OK);
            vas.Add((await fpa.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Paper.Consultations[1]);
        }

        await test.WaitForDueTimersAsync();
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 30));
        var next = new List<ConsultationView>();
        foreach (var va in vas)
        {
            var off = await test.RecordAsync("sekretariat-va", va.Id, new RecordOutcomeRequest("RemovedFromAgenda", "abgesetzt", null));
            await Http.EnsureAsync(off, HttpStatusCode.OK);
            next.Add((await off.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Paper.Consultations[^1]);
        }

        Assert.All(next, n => Assert.Equal(("va", "08.06.2021", "Planned"), (n.Committee.Key, n.Date, n.Status)));
        return next;
    }

    /// <summary>Councillor accounts for the VA's members (the demo has none), created by the admin as the users page does.</summary>
    internal static async Task AddMemberAccountsAsync(TestApp test)
    {
        var admin = test.ClientFor("admin");
        foreach (var (user, name) in VaMembers)
        {
            var personId = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Persons
                .Where(p => p.Name == name).Select(p => p.Id).SingleAsync());
            await Http.EnsureAsync(
                await admin.PostAsJsonAsync("/api/users", new CreateUserRequest(user, name, null, "Councillor", null, personId, Password)), HttpStatusCode.Created);
        }
    }

    private static Task<HttpResponseMessage> StartAsync(TestApp test, Guid consultationId, string deadline, string user = "sekretariat-va") =>
        test.ClientFor(user).PostAsJsonAsync($"/api/consultations/{consultationId}/circulation",
            new StartCirculationRequest("Der Verwaltungsausschuss empfiehlt dem Rat die Neuordnung der Stabsstelle.", deadline));

    private static Task<HttpResponseMessage> Answer(TestApp test, string user, Guid consultationId, string answer, string password = Password) =>
        test.App.ClientFor(user, password).PostAsJsonAsync($"/api/consultations/{consultationId}/circulation/answer", new AnswerCirculationRequest(answer));

    private static async Task<CirculationView> GetAsync(TestApp test, string user, Guid consultationId) =>
        (await test.ClientFor(user).GetFromJsonAsync<CirculationView>($"/api/consultations/{consultationId}/circulation"))!;

    private static Task<WorkflowTimer> TimerAsync(TestApp test, Guid circulationId, string kind = CirculationSteps.DeadlineTimer) =>
        test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Timers.AsNoTracking()
            .SingleAsync(t => t.Kind == kind && t.Key == circulationId.ToString()));

    private static Task<List<WorkflowTimer>> TimersAsync(TestApp test, Guid circulationId) =>
        test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Timers.AsNoTracking()
            .Where(t => t.Key == circulationId.ToString()).OrderBy(t => t.Kind).ToListAsync());

    private static bool IsRequest(MimeMessage message) => Subject(message).StartsWith("Umlaufverfahren:", StringComparison.Ordinal);

    private static string Subject(MimeMessage message) => message.Subject ?? "";

    private static string Recipient(MimeMessage message) => message.To.Mailboxes.Single().Address;
}
