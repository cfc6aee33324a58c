using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using DeliberationFlow.Tests.OParl;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// Eilentscheidung (§ 89 NKomVG) on the shipped Beschlussvorlage workflow with the demo's Rat and Verwaltungsausschuss: the
/// Rat's meeting of 18.05.2021 is too late, so an admin has the VA decide on 04.05. in its place; the workflow goes on past
/// the Rat's step, and the Rat is informed (Unterrichtung) in its meeting of 18.05.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UrgentDecisionTests
{
    internal const string Reason = "Der Förderantrag muss bis zum 10.05.2021 gestellt sein; der Rat tagt erst am 18.05.2021.";

    [Fact]
    public async Task TheVaDecidesInTheRatsPlace_TheWorkflowGoesOn_AndTheRatIsInformed()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 2, 20, 9));
        var (paper, rat) = await RatStepAsync(test, "21-16201");

        test.Clock.SetUtcNow(Berlin.At(2021, 4, 21, 10, 0));
        var started = await StartAsync(test, rat.Id, Reason);
        await Http.EnsureAsync(started, HttpStatusCode.OK);
        var moved = (await started.Content.ReadFromJsonAsync<PaperDetails>())!;

        // The same consultation (its bookmark keyed on it), now in the VA's next meeting the urgent Vorlagenfrist allows.
        var step = moved.Consultations.Single(c => c.Id == rat.Id);
        Assert.Equal(("va", "04.05.2021", "Planned", "Entscheidung"), (step.Committee.Key, step.Date, step.Status, step.RoleText));
        Assert.Equal(("Rat der Stadt Braunschweig", "admin", Reason, Berlin.At(2021, 4, 21, 10, 0)),
            (step.UrgentDecision!.InsteadOf, step.UrgentDecision.By, step.UrgentDecision.Reason, step.UrgentDecision.At));
        Assert.Equal("rat", moved.Workflow!.CurrentActivityId);
        Assert.Contains("Verwaltungsausschuss (Eilentscheidung nach § 89 NKomVG anstelle des Rates), 04.05.2021: Geplant", moved.Timeline);
        Assert.Contains(moved.Journal, j => j.Actor == "admin" && j.Message.StartsWith("Eilentscheidung nach § 89 NKomVG: Verwaltungsausschuss entscheidet anstelle von", StringComparison.Ordinal)
                                            && j.Message.Contains("in der Sitzung am 04.05.2021 15:00", StringComparison.Ordinal) && j.Message.EndsWith(Reason, StringComparison.Ordinal));

        // Its timers moved as a re-plan moves them: the Rat's invitation called off, the VA's set at its Ladungsfrist.
        var timers = await TimersAsync(test, rat.Id);
        Assert.Contains(timers, t => t.Kind == ConsultationPlanner.InvitationTimer && t.Status == TimerStatus.Cancelled && t.DueAt == Berlin.At(2021, 5, 11, 14, 0));
        Assert.Contains(timers, t => t.Kind == ConsultationPlanner.InvitationTimer && t.Status == TimerStatus.Pending && t.DueAt == Berlin.At(2021, 4, 27, 15, 0));

        // The audit record names who and why.
        var audit = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.Area == AuditAreas.UrgentDecision).ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal(("admin", "21-16201"), (entry.Actor, entry.Subject));
        Assert.Contains(Reason, entry.Message, StringComparison.Ordinal);

        // The lead office and the VA's secretaries are told, with the reason and the meeting.
        var mails = await test.Smtp.WaitForAsync(m => m.Subject == "Eilentscheidung nach § 89 NKomVG: 21-16201 im Verwaltungsausschuss", 2);
        Assert.Contains(mails, m => m.To.Mailboxes.Single().Address == "sekretariat-va@braunschweig.example");
        Assert.All(mails, m => Assert.Contains(Reason, m.TextBody, StringComparison.Ordinal));
        Assert.All(mails, m => Assert.Contains("04.05.2021 15:00", m.TextBody, StringComparison.Ordinal));

        // OParl serves the moved consultation under the VA, valid by the schema.
        var oparl = await OParlInterfaceTests.GetAsync(test.App.CreateClient(), $"http://localhost/oparl/consultation/{rat.Id}");
        var va = moved.Consultations.First(c => c.Committee.Key == "va").Committee.Id;
        Assert.Equal([$"http://localhost/oparl/organization/{va}"], oparl["organization"]!.AsArray().Select(o => (string)o!));
        Assert.Empty(new OParlSchemas().Problems(oparl, "moved consultation"));

        // The VA decides in its meeting, through the normal outcome path; the workflow goes on past the Rat's step.
        await test.MoveClockToAsync(Berlin.At(2021, 5, 4, 18, 0));
        await test.ReconcileAsync();
        await test.WaitForDueTimersAsync();
        var decided = await test.RecordAsync("sekretariat-va", rat.Id, new RecordOutcomeRequest("Adopted", "beschlossen", null));
        await Http.EnsureAsync(decided, HttpStatusCode.OK);
        var after = (await decided.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Paper;
        Assert.Equal("Finished", after.Workflow!.Status);
        Assert.Contains("Verwaltungsausschuss (Eilentscheidung nach § 89 NKomVG anstelle des Rates), 04.05.2021: beschlossen", after.Timeline);

        // Unterrichtung: a Kenntnisnahme item in the Rat's next meeting, outside the workflow's steps.
        var informing = after.Consultations[^1];
        Assert.Equal(("rat", "18.05.2021", "Planned", "Noting", rat.Id), (informing.Committee.Key, informing.Date, informing.Status, informing.Role, informing.InformsOfUrgentDecision));
        Assert.Equal("Unterrichtung über die Eilentscheidung nach § 89 NKomVG", informing.RoleText);
        Assert.Contains("Rat der Stadt Braunschweig, 18.05.2021: Unterrichtung über die Eilentscheidung – Geplant", after.Timeline);

        // It is no step the § 89 endpoint takes (nothing waits for it), and the Rat does not decide it again.
        Assert.Equal(HttpStatusCode.Conflict, (await StartAsync(test, informing.Id, Reason)).StatusCode);
        await test.MoveClockToAsync(Berlin.At(2021, 5, 18, 18, 0));
        var again = await test.RecordAsync("sekretariat-va", informing.Id, new RecordOutcomeRequest("Adopted", "beschlossen", null));
        await Http.EnsureAsync(again, HttpStatusCode.BadRequest);
        Assert.True((await again.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.ContainsKey("outcome"));

        var noted = await test.RecordAsync("sekretariat-va", informing.Id, new RecordOutcomeRequest("Noted", "zur Kenntnis genommen", null));
        await Http.EnsureAsync(noted, HttpStatusCode.OK);
        var final = (await noted.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Paper;
        Assert.Contains("Rat der Stadt Braunschweig, 18.05.2021: Unterrichtung über die Eilentscheidung – zur Kenntnis genommen", final.Timeline);
        Assert.Equal(("Done", "Noted"), (final.Consultations[^1].Status, final.Consultations[^1].Outcome));
        // The workflow ran no step again: finished as before, the Rat's activity completed once (by the VA's outcome).
        Assert.Equal("Finished", final.Workflow!.Status);
        Assert.Single(final.Journal, j => j.Kind == "ActivityCompleted" && j.ActivityId == "rat");
        Assert.Equal(HttpStatusCode.Conflict, (await StartAsync(test, informing.Id, Reason)).StatusCode);
    }

    [Fact]
    public async Task OnlyAnAdmin_OnlyForTheRat_WithAReason_AndNothingChangesOtherwise()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 2, 20, 9));
        var (paper, rat) = await RatStepAsync(test, "21-16202");
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 21, 10, 0));

        // The Rat's and VA's secretary keeps the step but may not take it from the Rat: 403.
        var secretary = await test.ClientFor("sekretariat-va").PostAsJsonAsync($"/api/consultations/{rat.Id}/urgent-decision", new StartUrgentDecisionRequest(Reason));
        Assert.Equal(HttpStatusCode.Forbidden, secretary.StatusCode);

        // No reason: a 400 naming it.
        var noReason = await StartAsync(test, rat.Id, "  ");
        await Http.EnsureAsync(noReason, HttpStatusCode.BadRequest);
        Assert.Equal(["reason"], (await noReason.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);

        // Another body's admin: not found.
        var other = await test.App.ClientFor("admin-wf", "demo").PostAsJsonAsync($"/api/consultations/{rat.Id}/urgent-decision", new StartUrgentDecisionRequest(Reason));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);

        // A step of another committee: a 400 naming the committee.
        var fresh = await test.RegisterAsync("sekretariat-fpa", new RegisterPaperRequest("21-16203", "Radverkehrskonzept", "Beschlussvorlage", "fb10", null, true, null, null));
        var notRat = await StartAsync(test, fresh.Consultations[0].Id, Reason);
        await Http.EnsureAsync(notRat, HttpStatusCode.BadRequest);
        Assert.Contains("Rat", Assert.Single((await notRat.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors["committee"]), StringComparison.Ordinal);

        // None of it changed anything: the step still waits in the Rat on 18.05., nobody was told.
        var unchanged = (await test.GetPaperAsync("admin", paper.Id)).Consultations.Single(c => c.Id == rat.Id);
        Assert.Equal(("rat", "18.05.2021", (UrgentDecisionView?)null), (unchanged.Committee.Key, unchanged.Date, unchanged.UrgentDecision));
        Assert.Empty(await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.Area == AuditAreas.UrgentDecision).ToListAsync()));

        // The Rat decided already: 409.
        test.Clock.SetUtcNow(Berlin.At(2021, 5, 18, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-va", rat.Id, new RecordOutcomeRequest("Adopted", "beschlossen", null)), HttpStatusCode.OK);
        var late = await StartAsync(test, rat.Id, Reason);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task DeferredInTheVa_TheNextVaStepStaysTheEilentscheidung_AndTheRatIsInformedOnlyOnceDecided()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 2, 20, 9));
        var (_, rat) = await RatStepAsync(test, "21-16204");
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 21, 10, 0));
        await Http.EnsureAsync(await StartAsync(test, rat.Id, Reason), HttpStatusCode.OK);

        // Vertagt on 04.05.: the VA takes it up on 08.06., still in the Rat's place; nothing is decided, so nobody informs the Rat.
        var deferred = await DecideInVaAsync(test, rat.Id, Berlin.At(2021, 5, 4, 18, 0), new RecordOutcomeRequest("Deferred", "vertagt", null));
        var next = deferred.Consultations[^1];
        Assert.NotEqual(rat.Id, next.Id);
        Assert.Equal(("va", "08.06.2021", "Planned"), (next.Committee.Key, next.Date, next.Status));
        Assert.Equal(("Rat der Stadt Braunschweig", "admin", Reason), (next.UrgentDecision?.InsteadOf, next.UrgentDecision?.By, next.UrgentDecision?.Reason));
        Assert.Contains("Verwaltungsausschuss (Eilentscheidung nach § 89 NKomVG anstelle des Rates), 08.06.2021: Geplant", deferred.Timeline);
        Assert.DoesNotContain(deferred.Consultations, c => c.InformsOfUrgentDecision is not null);

        var decided = await DecideInVaAsync(test, next.Id, Berlin.At(2021, 6, 8, 18, 0), new RecordOutcomeRequest("Adopted", "beschlossen", null));
        Assert.Equal("Finished", decided.Workflow!.Status);
        var informing = decided.Consultations[^1];
        Assert.Equal(("rat", "22.06.2021", "Noting", next.Id), (informing.Committee.Key, informing.Date, informing.Role, informing.InformsOfUrgentDecision));
        Assert.Single(decided.Consultations, c => c.InformsOfUrgentDecision is not null);
    }

    [Fact]
    public async Task ReferredByTheVa_ComesBackToTheVaAsTheEilentscheidung_AndTheRatIsInformedOnlyOnceDecided()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 2, 20, 9));
        var (_, rat) = await RatStepAsync(test, "21-16205");
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 21, 10, 0));
        await Http.EnsureAsync(await StartAsync(test, rat.Id, Reason), HttpStatusCode.OK);

        // Verwiesen an den PlUA on 04.05.: a referral decides nothing, so the Rat is not informed yet; the PlUA only advises.
        var referred = await DecideInVaAsync(test, rat.Id, Berlin.At(2021, 5, 4, 18, 0), new RecordOutcomeRequest("Referred", "verwiesen", null, "plua"));
        var plua = referred.Consultations[^1];
        Assert.Equal(("plua", "26.05.2021", (UrgentDecisionView?)null), (plua.Committee.Key, plua.Date, plua.UrgentDecision));
        Assert.DoesNotContain(referred.Consultations, c => c.InformsOfUrgentDecision is not null);

        // The PlUA recommends on 26.05.; the paper returns to the VA on 08.06., which still decides in the Rat's place.
        await test.MoveClockToAsync(Berlin.At(2021, 5, 26, 18, 0));
        await test.ReconcileAsync();
        await test.WaitForDueTimersAsync();
        var recommended = await test.RecordAsync("sekretariat-plua", plua.Id, new RecordOutcomeRequest("Recommended", "empfohlen", null));
        await Http.EnsureAsync(recommended, HttpStatusCode.OK);
        var back = (await recommended.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Paper;
        var returned = back.Consultations[^1];
        Assert.Equal(("va", "08.06.2021", "Planned"), (returned.Committee.Key, returned.Date, returned.Status));
        Assert.Equal(("Rat der Stadt Braunschweig", Reason), (returned.UrgentDecision?.InsteadOf, returned.UrgentDecision?.Reason));
        Assert.Contains("Verwaltungsausschuss (Eilentscheidung nach § 89 NKomVG anstelle des Rates), 08.06.2021: Geplant", back.Timeline);
        Assert.DoesNotContain(back.Consultations, c => c.InformsOfUrgentDecision is not null);

        var decided = await DecideInVaAsync(test, returned.Id, Berlin.At(2021, 6, 8, 18, 0), new RecordOutcomeRequest("Adopted", "beschlossen", null));
        Assert.Equal("Finished", decided.Workflow!.Status);
        var informing = Assert.Single(decided.Consultations, c => c.InformsOfUrgentDecision is not null);
        Assert.Equal(("rat", "22.06.2021", returned.Id), (informing.Committee.Key, informing.Date, informing.InformsOfUrgentDecision));
    }

    /// <summary>
    /// The Unterrichtung is an item the Rat's secretaries must record like any other (the law wants the Rat informed without
    /// delay): left open past its meeting it is escalated as an overdue step, the mail naming it an Unterrichtung; recorded
    /// vertagt, it goes into the Rat's next meeting.
    /// </summary>
    [Fact]
    public async Task AnUnterrichtungLeftOpenPastItsMeeting_IsEscalatedAsAnOverdueItem()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 2, 20, 9));
        var (_, rat) = await RatStepAsync(test, "21-16206");
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 21, 10, 0));
        await Http.EnsureAsync(await StartAsync(test, rat.Id, Reason), HttpStatusCode.OK);
        var decided = await DecideInVaAsync(test, rat.Id, Berlin.At(2021, 5, 4, 18, 0), new RecordOutcomeRequest("Adopted", "beschlossen", null));
        Assert.Equal(("rat", "18.05.2021"), (decided.Consultations[^1].Committee.Key, decided.Consultations[^1].Date));

        // Fourteen days after the Rat's meeting of 18.05. (its escalation days) the Unterrichtung is still not recorded.
        await test.MoveClockToAsync(Berlin.At(2021, 6, 1, 16, 0));
        await test.ReconcileAsync();
        await test.ReconcileAsync();
        var mails = await test.Smtp.WaitForAsync(m => m.Subject == "Überfällig: 21-16206 im Rat der Stadt Braunschweig (Sitzung 18.05.2021)", 2);
        Assert.Equal(["fb10@braunschweig.example", "sekretariat-va@braunschweig.example"], mails.Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
        Assert.All(mails, m => Assert.Contains("(Unterrichtung über die Eilentscheidung nach § 89 NKomVG)", (m.TextBody ?? "").ReplaceLineEndings(" "), StringComparison.Ordinal));

        // The mail asks to record it or plan it anew: the Rat did not get to it, so the secretary records it vertagt, and it
        // goes into the Rat's next meeting (22.06.) as a new Unterrichtung of the same decision; the Rat does not decide it.
        var open = decided.Consultations[^1];
        var deferred = await test.RecordAsync("sekretariat-va", open.Id, new RecordOutcomeRequest("Deferred", "vertagt", null));
        await Http.EnsureAsync(deferred, HttpStatusCode.OK);
        var after = (await deferred.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Paper;
        Assert.Equal(("Deferred", "Deferred"), (after.Consultations.Single(c => c.Id == open.Id).Status, after.Consultations.Single(c => c.Id == open.Id).Outcome));
        var again = after.Consultations[^1];
        Assert.NotEqual(open.Id, again.Id);
        Assert.Equal(("rat", "22.06.2021", "Planned", "Noting", rat.Id), (again.Committee.Key, again.Date, again.Status, again.Role, again.InformsOfUrgentDecision));
        Assert.Contains("Rat der Stadt Braunschweig, 22.06.2021: Unterrichtung über die Eilentscheidung – Geplant", after.Timeline);
        Assert.Equal("Finished", after.Workflow!.Status);

        await test.MoveClockToAsync(Berlin.At(2021, 6, 22, 18, 0));
        var noted = await test.RecordAsync("sekretariat-va", again.Id, new RecordOutcomeRequest("Noted", "zur Kenntnis genommen", null));
        await Http.EnsureAsync(noted, HttpStatusCode.OK);
        var final = (await noted.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Paper;
        Assert.Equal(2, final.Consultations.Count(c => c.InformsOfUrgentDecision == rat.Id));
        Assert.Contains("Rat der Stadt Braunschweig, 22.06.2021: Unterrichtung über die Eilentscheidung – zur Kenntnis genommen", final.Timeline);
    }

    /// <summary>Records the VA's outcome on <paramref name="consultationId"/> in its meeting, the invitation sent before.</summary>
    private static async Task<PaperDetails> DecideInVaAsync(TestApp test, Guid consultationId, DateTimeOffset at, RecordOutcomeRequest outcome)
    {
        await test.MoveClockToAsync(at);
        await test.ReconcileAsync();
        await test.WaitForDueTimersAsync();
        var recorded = await test.RecordAsync("sekretariat-va", consultationId, outcome);
        await Http.EnsureAsync(recorded, HttpStatusCode.OK);
        return (await recorded.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Paper;
    }

    /// <summary>
    /// A Beschlussvorlage registered on 20.02.2021 whose step waits in the Rat: the FPA recommends on 11.03., the VA on 20.04.,
    /// and the Rat's next meeting is on 18.05.
    /// </summary>
    internal static async Task<(PaperDetails Paper, ConsultationView Rat)> RatStepAsync(TestApp test, string reference)
    {
        var paper = await test.RegisterAsync("sekretariat-fpa", new RegisterPaperRequest(
            reference, "Förderantrag Ganztagsausbau Grundschule Lehndorf", "Beschlussvorlage", "fb10", null, true, null, null));
        Assert.Equal(("fpa", "11.03.2021"), (paper.Consultations[0].Committee.Key, paper.Consultations[0].Date));
        await test.MoveClockToAsync(Berlin.At(2021, 3, 11, 18, 0));
        await test.ReconcileAsync();
        await test.WaitForDueTimersAsync();
        var fpa = await test.RecordAsync("sekretariat-fpa", paper.Consultations[0].Id, new RecordOutcomeRequest("Adopted", "beschlossen", null));
        await Http.EnsureAsync(fpa, HttpStatusCode.OK);
        var va = (await fpa.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Paper.Consultations[^1];
        Assert.Equal(("va", "20.04.2021"), (va.Committee.Key, va.Date));

        await test.MoveClockToAsync(Berlin.At(2021, 4, 20, 18, 0));
        await test.ReconcileAsync();
        await test.WaitForDueTimersAsync();
        var decided = await test.RecordAsync("sekretariat-va", va.Id, new RecordOutcomeRequest("Adopted", "beschlossen", null));
        await Http.EnsureAsync(decided, HttpStatusCode.OK);
        paper = (await decided.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Paper;
        var rat = paper.Consultations[^1];
        Assert.Equal(("rat", "18.05.2021", "Planned"), (rat.Committee.Key, rat.Date, rat.Status));
        await test.WaitForMailOutAsync();
        return (paper, rat);
    }

    private static Task<HttpResponseMessage> StartAsync(TestApp test, Guid consultationId, string reason) =>
        test.ClientFor("admin").PostAsJsonAsync($"/api/consultations/{consultationId}/urgent-decision", new StartUrgentDecisionRequest(reason));

    private static Task<List<WorkflowTimer>> TimersAsync(TestApp test, Guid consultationId) =>
        test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Timers.AsNoTracking()
            .Where(t => t.Key == consultationId.ToString()).ToListAsync());
}
