using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Integration;

/// <summary>Recording outcomes: idempotency keys, races between secretaries, permissions and bad input.</summary>
[Collection(HostCollection.Name)]
public sealed class OutcomeRecordingTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task RecordOutcome_SameKeyTwice_AdvancesOnceAndReturnsTheFirstAnswer(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var paper = await RegisterAsync(test, "21-17001");
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));
        var request = new RecordOutcomeRequest("Adopted", "einstimmig beschlossen", null);

        var first = await test.RecordAsync("sekretariat-fpa", paper.Consultations[0].Id, request, "key-1");
        var second = await test.RecordAsync("sekretariat-fpa", paper.Consultations[0].Id, request, "key-1");

        await Http.EnsureAsync(first, HttpStatusCode.OK);
        await Http.EnsureAsync(second, HttpStatusCode.OK);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        var after = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal(2, after.Consultations.Count);
        Assert.Single(after.Journal, j => j.Kind == "BookmarkResumed");
        Assert.Equal(1, await CountOutcomeNoticesAsync(test, paper.Id));
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task TheAnswerToAnOutcome_ListsThePapersWholeJournal_WithTheStepsOwnLines_AsReadingThePaperDoes(DatabaseProvider provider)
    {
        // No Hangfire server: the VA's invitation, due at once, would add its lines between the answer and the reading.
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9), settings: TestApp.ApiOnly);
        var paper = await RegisterAsync(test, "21-17015");
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));

        var response = await test.RecordAsync("sekretariat-fpa", paper.Consultations[0].Id, new RecordOutcomeRequest("Adopted", "einstimmig beschlossen", null), "key-journal");
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        var answer = (await response.Content.ReadFromJsonAsync<RecordOutcomeResponse>(TestContext.Current.CancellationToken))!.Paper.Journal;

        // The registration's lines, then the step's own (read back with the write on PostgreSQL), numbered and in order.
        Assert.Equal(paper.Journal.Select(j => j.Sequence), answer.Take(paper.Journal.Count).Select(j => j.Sequence));
        Assert.Contains(answer, j => j.Kind == "ActivityCompleted" && j.ActivityId == "fpa" && j.Outcome == "Adopted" && j.Actor == "sekretariat-fpa");
        Assert.Contains(answer, j => j.Kind == "BookmarkResumed");
        Assert.Equal(answer.Select(j => j.Sequence).Order(), answer.Select(j => j.Sequence));
        var read = await test.GetPaperAsync("sekretariat-fpa", paper.Id);
        Assert.Equal(read.Journal, answer);
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task TheNextStep_ComesAfterAStepTheSourceDeleted_WhichTheAnswerLeavesOut(DatabaseProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9), settings: TestApp.ApiOnly);
        var paper = await RegisterAsync(test, "21-17016");
        var fpa = paper.Consultations[0];
        // A step an import brought and its source later deleted: soft-deleted, it keeps its position (5).
        await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            db.Consultations.Add(new Consultation
            {
                Id = Guid.NewGuid(), BodyId = (await db.Papers.SingleAsync(p => p.Id == paper.Id, ct)).BodyId, PaperId = paper.Id,
                OrganizationId = fpa.Committee.Id, Position = 5, RoleText = "Vorberatung", Created = test.Clock.GetUtcNow(),
                Modified = test.Clock.GetUtcNow(), Deleted = true,
            });
            return await db.SaveChangesAsync(ct);
        });
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));

        var response = await test.RecordAsync("sekretariat-fpa", fpa.Id, new RecordOutcomeRequest("Adopted", "einstimmig beschlossen", null), "key-after-deleted");

        await Http.EnsureAsync(response, HttpStatusCode.OK);
        var answer = (await response.Content.ReadFromJsonAsync<RecordOutcomeResponse>(ct))!.Paper;
        Assert.Equal([1, 6], answer.Consultations.Select(c => c.Position));
        Assert.Equal("va", answer.Workflow!.CurrentActivityId);
        Assert.Equal([1, 6], (await test.GetPaperAsync("admin", paper.Id)).Consultations.Select(c => c.Position));
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task AnOutcome_CallsOffTheConsultationsTimersNotYetFired_AndLeavesTheFiredOnesAsTheyWere(DatabaseProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        // No Hangfire server: a timer fires only when this test says so.
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9),
            settings: TestApp.ApiOnly);
        var paper = await RegisterAsync(test, "21-17009");
        Task<List<WorkflowTimer>> TimersOfAsync(Guid consultationId) => test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Timers
            .AsNoTracking().Where(t => t.Key == consultationId.ToString()).OrderBy(t => t.DueAt).ToListAsync(ct));
        var fpa = paper.Consultations[0].Id;
        var planned = await TimersOfAsync(fpa);
        Assert.Equal(["consultation.invitation", "consultation.reminder"], planned.Select(t => t.Kind));

        // The invitation went out, as its job records it; the reminder was due the day before but has not gone out yet.
        await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Timers.Where(t => t.Id == planned[0].Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TimerStatus.Fired).SetProperty(t => t.Note, "Einladung versandt."), ct));
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", fpa, new RecordOutcomeRequest("Adopted", "einstimmig beschlossen", null)), HttpStatusCode.OK);

        var after = await TimersOfAsync(fpa);
        Assert.Equal((TimerStatus.Fired, "Einladung versandt."), (after[0].Status, after[0].Note));
        Assert.Equal(TimerStatus.Cancelled, after[1].Status);
        Assert.StartsWith("Abgebrochen: Ergebnis erfasst am 2021-04-29", after[1].Note, StringComparison.Ordinal);

        // The consultation the step planned next has its own timers waiting.
        var va = (await test.GetPaperAsync("admin", paper.Id)).Consultations[1].Id;
        var next = await TimersOfAsync(va);
        Assert.NotEmpty(next);
        Assert.All(next, t => Assert.Equal(TimerStatus.Pending, t.Status));
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task CallingOffTimers_OutsideAChangesTransaction_IsRefused_AndLeavesThemWaiting(DatabaseProvider provider)
    {
        // Outside a transaction the call-off would commit with whatever save came next, even if the change that asked for
        // it were refused, and the paper would lose its invitation and reminder.
        var ct = TestContext.Current.CancellationToken;
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9),
            settings: TestApp.ApiOnly);
        var fpa = (await RegisterAsync(test, "21-17010")).Consultations[0].Id;

        await test.App.WithScopeAsync(async sp =>
        {
            var planner = sp.GetRequiredService<ConsultationPlanner>();
            var refused = Assert.Throws<InvalidOperationException>(() => planner.CancelPendingTimers(fpa, "Abgebrochen."));
            Assert.Contains("inside the transaction", refused.Message, StringComparison.Ordinal);
            await sp.GetRequiredService<DeliberationDbContext>().SaveChangesAsync(ct);
        });

        var timers = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Timers
            .AsNoTracking().Where(t => t.Key == fpa.ToString()).ToListAsync(ct));
        Assert.Equal(2, timers.Count);
        Assert.All(timers, t => Assert.Equal(TimerStatus.Pending, t.Status));
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task StoredAnswers_AreKeptForAWeek_ThenARetryGets409AndStillNoSecondStep(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var paper = await RegisterAsync(test, "21-17005");
        var recordedAt = Berlin.At(2021, 4, 29, 18, 0);
        test.Clock.SetUtcNow(recordedAt);
        var request = new RecordOutcomeRequest("Adopted", "einstimmig beschlossen", null);
        var first = await test.RecordAsync("sekretariat-fpa", paper.Consultations[0].Id, request, "fpa-2021-04-29");
        await Http.EnsureAsync(first, HttpStatusCode.OK);

        // Six days on, the reconciliation keeps the answer: a retry still gets it.
        await test.MoveClockToAsync(recordedAt.AddDays(6));
        await test.ReconcileAsync();
        Assert.Equal(1, await CountStoredAnswersAsync(test));
        var retry = await test.RecordAsync("sekretariat-fpa", paper.Consultations[0].Id, request, "fpa-2021-04-29");
        await Http.EnsureAsync(retry, HttpStatusCode.OK);
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));

        // After seven days it deletes it; a retry is answered with the recorded result, not recorded twice.
        await test.MoveClockToAsync(recordedAt.AddDays(7).AddMinutes(1));
        await test.ReconcileAsync();
        Assert.Equal(0, await CountStoredAnswersAsync(test));
        var late = await test.RecordAsync("sekretariat-fpa", paper.Consultations[0].Id, request, "fpa-2021-04-29");
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        // It says what was recorded, when on the body's clock and by whom.
        Assert.Contains("einstimmig beschlossen, recorded on 29.04.2021 at 18:00 by sekretariat-fpa",
            await late.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var after = await test.GetPaperAsync("admin", paper.Id);
        Assert.Single(after.Journal, j => j.Kind == "BookmarkResumed");
        Assert.Equal(2, after.Consultations.Count);
    }

    [Fact]
    public async Task RecordOutcome_SameKeyWithDifferentOutcome_IsRefusedAndChangesNothing()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await RegisterAsync(test, "21-17002");
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("admin", paper.Consultations[0].Id, new("Adopted", "beschlossen", null), "k"), HttpStatusCode.OK);

        var reused = await test.RecordAsync("admin", paper.Consultations[0].Id, new("Rejected", "abgelehnt", null), "k");

        await Http.EnsureAsync(reused, HttpStatusCode.BadRequest);
        var problem = await reused.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Contains("Idempotency-Key", problem!.Errors.Keys);
        Assert.Equal("Adopted", (await test.GetPaperAsync("admin", paper.Id)).Consultations[0].Outcome);
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task RecordOutcome_SameKeyForAnotherPapersConsultation_IsRefusedAndThatPaperStaysWhereItWas(DatabaseProvider provider)
    {
        // The key is only checked when the step commits: the second paper's step runs and must roll back whole.
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var first = await RegisterAsync(test, "21-17005");
        var second = await RegisterAsync(test, "21-17006");
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("admin", first.Consultations[0].Id, new("Adopted", "beschlossen", null), "shared-key"), HttpStatusCode.OK);

        var reused = await test.RecordAsync("admin", second.Consultations[0].Id, new("Adopted", "beschlossen", null), "shared-key");

        await Http.EnsureAsync(reused, HttpStatusCode.BadRequest);
        var problem = await reused.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Contains("shared-key", Assert.Single(problem!.Errors["Idempotency-Key"]), StringComparison.Ordinal);
        var untouched = await test.GetPaperAsync("admin", second.Id);
        Assert.Equal("Planned", Assert.Single(untouched.Consultations).Status);
        Assert.Equal("fpa", untouched.Workflow!.CurrentActivityId);
        Assert.DoesNotContain(untouched.Journal, j => j.Kind == "BookmarkResumed");
        Assert.Equal(0, await CountOutcomeNoticesAsync(test, second.Id));
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task RecordOutcome_TwoDifferentOutcomesAtOnce_OneSucceedsAndOneGets409(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var papers = new List<PaperDetails>();
        for (var round = 0; round < 5; round++)
        {
            papers.Add(await RegisterAsync(test, $"21-1710{round}"));
        }

        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));
        foreach (var paper in papers)
        {
            var consultation = paper.Consultations[0].Id;
            using var start = new ManualResetEventSlim();
            var adopted = Task.Run(async () => { start.Wait(); return await test.RecordAsync("sekretariat-fpa", consultation, new("Adopted", "beschlossen", null), $"a-{paper.Reference}"); });
            var rejected = Task.Run(async () => { start.Wait(); return await test.RecordAsync("admin", consultation, new("Rejected", "abgelehnt", null), $"r-{paper.Reference}"); });
            start.Set();
            var responses = await Task.WhenAll(adopted, rejected);

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
            var winner = responses.Single(r => r.StatusCode == HttpStatusCode.OK);
            var recorded = (await winner.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Consultation.Outcome;
            var after = await test.GetPaperAsync("admin", paper.Id);
            Assert.Equal(2, after.Consultations.Count);
            Assert.Single(after.Journal, j => j.Kind == "BookmarkResumed");
            Assert.Equal(recorded, after.Consultations[0].Outcome);
            Assert.Equal(1, await CountOutcomeNoticesAsync(test, paper.Id));
        }
    }

    [Fact]
    public async Task RecordOutcome_ForAFinishedConsultation_Gets409NamingTheRecordedResult()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await RegisterAsync(test, "21-17003");
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("admin", paper.Consultations[0].Id, new(null, "einstimmig beschlossen", null), "x"), HttpStatusCode.OK);

        var late = await test.RecordAsync("admin", paper.Consultations[0].Id, new(null, "abgelehnt", null), "y");

        await Http.EnsureAsync(late, HttpStatusCode.Conflict);
        var problem = await late.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Contains("einstimmig beschlossen", problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordOutcome_BySecretaryOfAnotherCommittee_Gets403AndChangesNothing()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await RegisterAsync(test, "21-17004");
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));

        var response = await test.RecordAsync("sekretariat-plua", paper.Consultations[0].Id, new("Adopted", "beschlossen", null), "z");

        await Http.EnsureAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var after = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal("Planned", Assert.Single(after.Consultations).Status);
        Assert.Equal(paper.Journal.Count, after.Journal.Count);
    }

    [Fact]
    public async Task RecordOutcome_WithBadInput_GetsProblemDetailsNamingTheFieldAndChangesNothing()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await RegisterAsync(test, "21-17005");
        var consultation = paper.Consultations[0].Id;

        var noText = await test.RecordAsync("admin", consultation, new("Adopted", null, null));
        var unknown = await test.RecordAsync("admin", consultation, new("Vielleicht", "vielleicht", null));
        var noPath = await test.RecordAsync("admin", consultation, new("Noted", "zur Kenntnis genommen", null));
        var unreadable = await test.ClientFor("admin").PostAsync($"/api/consultations/{consultation}/outcome",
            new StringContent("{\"outcome\": ", System.Text.Encoding.UTF8, "application/json"));
        var missing = await test.RecordAsync("admin", Guid.NewGuid(), new("Adopted", "beschlossen", null));

        Assert.Contains("resultText", (await ValidationErrorsAsync(noText)).Keys);
        Assert.Contains("outcome", (await ValidationErrorsAsync(unknown)).Keys);
        var noPathErrors = await ValidationErrorsAsync(noPath);
        Assert.Contains("Adopted", noPathErrors["outcome"][0], StringComparison.Ordinal);
        await Http.EnsureAsync(unreadable, HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", unreadable.Content.Headers.ContentType!.MediaType);
        await Http.EnsureAsync(missing, HttpStatusCode.NotFound);

        var after = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal("Planned", Assert.Single(after.Consultations).Status);
        Assert.Equal(paper.Journal.Count, after.Journal.Count);
    }

    [Fact]
    public async Task RecordOutcome_WithOverlongTexts_IsRefusedNamingBothFields_AndChangesNothing_TheLongestAreKept()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await RegisterAsync(test, "21-17008");
        var consultation = paper.Consultations[0].Id;
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));
        var wording = "beschlossen " + new string('x', OutcomeInput.MaxResultTextLength - 12);

        var tooLong = await test.RecordAsync("admin", consultation,
            new("Adopted", wording + "x", new string('B', OutcomeInput.MaxResolutionTextLength + 1)), "long-1");

        var errors = await ValidationErrorsAsync(tooLong);
        Assert.Equal(["resolutionText", "resultText"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains($"at most {OutcomeInput.MaxResolutionTextLength} characters", errors["resolutionText"][0], StringComparison.Ordinal);
        var after = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal("Planned", Assert.Single(after.Consultations).Status);
        Assert.Equal(paper.Journal.Count, after.Journal.Count);
        Assert.Equal(0, await CountStoredAnswersAsync(test));

        // Texts of the full lengths fit what the minutes (and the columns) keep.
        var longest = await test.RecordAsync("admin", consultation, new("Adopted", wording, new string('B', OutcomeInput.MaxResolutionTextLength)), "long-2");
        await Http.EnsureAsync(longest, HttpStatusCode.OK);
        var recorded = (await longest.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Consultation;
        Assert.Equal((OutcomeInput.MaxResultTextLength, OutcomeInput.MaxResolutionTextLength), (recorded.ResultText!.Length, recorded.ResolutionText!.Length));
    }

    [Fact]
    public async Task RegisterPaper_WithBadInput_ReportsEveryFieldAndRegistersNothing()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));

        var invalid = await test.ClientFor("admin").PostAsJsonAsync("/api/papers",
            new RegisterPaperRequest("21-17006", "", "Haushaltsplan", "fb99", ["fb10", "nope"], true, null, null));
        var byCouncillor = await test.ClientFor("ratsmitglied").PostAsJsonAsync("/api/papers",
            new RegisterPaperRequest("21-17007", "Antrag", "Beschlussvorlage", "fb10", null, true, null, null));
        var duplicate = await test.ClientFor("admin").PostAsJsonAsync("/api/papers",
            new RegisterPaperRequest("21-15813", "Doppelt", "Beschlussvorlage", "fb10", null, true, null, null));

        var errors = await ValidationErrorsAsync(invalid);
        Assert.Equal(["leadOffice", "name", "paperType", "participatingOffices[1]"], errors.Keys.Order(StringComparer.Ordinal));
        await Http.EnsureAsync(byCouncillor, HttpStatusCode.Forbidden);
        await Http.EnsureAsync(duplicate, HttpStatusCode.Conflict);
        Assert.Equal(1, await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Papers
            .CountAsync(p => p.Reference == "21-17006" || p.Reference == "21-17007" || p.Reference == "21-15813")));
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task AnOutcome_BeforeTheMeetingBegins_Gets409NamingTheStart_AndChangesNothing_FromTheStartOnItGoesThrough(DatabaseProvider provider)
    {
        // The FPA meets on 29.04.2021 at 15:00: a result typed in a minute before is a mistake, not minutes.
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var paper = await RegisterAsync(test, "21-17012");
        var fpa = paper.Consultations[0].Id;
        var request = new RecordOutcomeRequest("Adopted", "einstimmig beschlossen", null);
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 14, 59));

        var early = await test.RecordAsync("sekretariat-fpa", fpa, request, "fpa-early");

        await Http.EnsureAsync(early, HttpStatusCode.Conflict);
        var problem = await early.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Contains("begins 29.04.2021 15:00", problem!.Detail, StringComparison.Ordinal);
        Assert.Contains("Withdrawn", problem.Detail, StringComparison.Ordinal);
        var untouched = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal("Planned", Assert.Single(untouched.Consultations).Status);
        Assert.Equal("fpa", untouched.Workflow!.CurrentActivityId);
        Assert.DoesNotContain(untouched.Journal, j => j.Kind == "BookmarkResumed");
        Assert.Equal(0, await CountOutcomeNoticesAsync(test, paper.Id));
        Assert.Equal(0, await CountStoredAnswersAsync(test));

        // From the start on, the same request with the same key is recorded: the refusal stored nothing under the key.
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 15, 0));
        var onTime = await test.RecordAsync("sekretariat-fpa", fpa, request, "fpa-early");

        await Http.EnsureAsync(onTime, HttpStatusCode.OK);
        var after = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal(("Done", "va"), (after.Consultations[0].Status, after.Workflow!.CurrentActivityId));
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task AWithdrawal_BeforeTheMeeting_IsRecorded(DatabaseProvider provider)
    {
        // The administration withdraws its paper a week before the FPA meets: no vote of the committee is needed for that.
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var paper = await RegisterAsync(test, "21-17013");
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 22, 10, 0));

        var withdrawn = await test.RecordAsync("sekretariat-fpa", paper.Consultations[0].Id, new RecordOutcomeRequest("Withdrawn", "zurückgezogen", null));

        await Http.EnsureAsync(withdrawn, HttpStatusCode.OK);
        var after = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal("Withdrawn", after.Consultations[0].Outcome);
        Assert.Equal("Finished", after.Workflow!.Status);
    }

    private static async Task<IDictionary<string, string[]>> ValidationErrorsAsync(HttpResponseMessage response)
    {
        await Http.EnsureAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        return (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors;
    }

    private static Task<PaperDetails> RegisterAsync(TestApp test, string reference) =>
        test.RegisterAsync("admin", new RegisterPaperRequest(reference, "Testvorlage", "Beschlussvorlage", "fb10", null, true, null, null));

    private static Task<int> CountStoredAnswersAsync(TestApp test) =>
        test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().IdempotencyRecords.CountAsync());

    private static Task<int> CountOutcomeNoticesAsync(TestApp test, Guid paperId) =>
        test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().OutboxMessages
            .CountAsync(m => m.PaperId == paperId && m.Kind == "outcome-notice"));
}
