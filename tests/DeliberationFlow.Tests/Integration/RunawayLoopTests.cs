using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Instances;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// A published workflow that loops at run time (a condition that is always true leading back): the step that reaches the
/// loop is kept (the paper registered, the outcome recorded), the instance faults with an incident saying so, and
/// nothing of the loop's iterations is committed; the admin skips the looping step and the paper goes on.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class RunawayLoopTests
{
    // Braunschweig's admin publishes both. The condition "paper.isPublic" holds for a public paper, so "kreis" leads back
    // to "hinweis" (a notice to the lead office) every time: the validator sees a way out (False), the run never takes it.
    private const string LoopAtStart = """
        {
          "definitionId": "schleife-start", "version": 1, "name": "Schleife gleich zu Beginn",
          "properties": { "paperTypes": ["Schleifenvorlage"] },
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "hinweis", "type": "Notify", "displayName": "Hinweis", "properties": { "recipients": ["leadOffice"], "subject": "Hinweis: {{ paper.reference }}", "text": "Bitte beachten." } },
            { "id": "kreis", "type": "Condition", "displayName": "Öffentlich?", "properties": { "expression": "paper.isPublic" } },
            { "id": "end", "type": "End" }
          ],
          "connections": [
            { "source": "start", "outcome": "Done", "target": "hinweis" },
            { "source": "hinweis", "outcome": "Done", "target": "kreis" },
            { "source": "kreis", "outcome": "True", "target": "hinweis" },
            { "source": "kreis", "outcome": "False", "target": "end" }
          ]
        }
        """;

    private const string LoopAfterOutcome = """
        {
          "definitionId": "schleife-ergebnis", "version": 1, "name": "Schleife nach dem Finanzausschuss",
          "properties": { "paperTypes": ["Schleifenbeschluss"] },
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "fpa", "type": "Consultation", "displayName": "Finanz- und Personalausschuss", "properties": { "committee": "fpa", "role": "Vorberatung", "authoritative": false } },
            { "id": "kreis", "type": "Condition", "displayName": "Öffentlich?", "properties": { "expression": "paper.isPublic" } },
            { "id": "hinweis", "type": "Notify", "displayName": "Hinweis", "properties": { "recipients": ["leadOffice"], "subject": "Hinweis: {{ paper.reference }}", "text": "Bitte beachten." } },
            { "id": "withdraw", "type": "Withdraw", "displayName": "Zurückziehen" },
            { "id": "end", "type": "End" }
          ],
          "connections": [
            { "source": "start", "outcome": "Done", "target": "fpa" },
            { "source": "fpa", "outcome": "Adopted", "target": "kreis" },
            { "source": "fpa", "outcome": "AdoptedAmended", "target": "kreis" },
            { "source": "fpa", "outcome": "Rejected", "target": "kreis" },
            { "source": "fpa", "outcome": "Withdrawn", "target": "withdraw" },
            { "source": "withdraw", "outcome": "Done", "target": "end" },
            { "source": "kreis", "outcome": "True", "target": "hinweis" },
            { "source": "kreis", "outcome": "False", "target": "end" },
            { "source": "hinweis", "outcome": "Done", "target": "kreis" }
          ]
        }
        """;

    // The Stadtbezirksräte are heard first; an Eilentscheidung that ends the hearing leads into the same loop.
    private const string LoopAfterHearing = """
        {
          "definitionId": "schleife-anhoerung", "version": 1, "name": "Schleife nach der Anhörung",
          "properties": { "paperTypes": ["Schleifenanhörung"] },
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "anhoerung", "type": "Hearing", "displayName": "Anhörung der Stadtbezirksräte", "properties": { "committees": ["sbr-112", "sbr-120"], "join": "all" } },
            { "id": "hinweis", "type": "Notify", "displayName": "Hinweis", "properties": { "recipients": ["leadOffice"], "subject": "Hinweis: {{ paper.reference }}", "text": "Bitte beachten." } },
            { "id": "kreis", "type": "Condition", "displayName": "Öffentlich?", "properties": { "expression": "paper.isPublic" } },
            { "id": "end", "type": "End" }
          ],
          "connections": [
            { "source": "start", "outcome": "Done", "target": "anhoerung" },
            { "source": "anhoerung", "outcome": "Done", "target": "hinweis" },
            { "source": "hinweis", "outcome": "Done", "target": "kreis" },
            { "source": "kreis", "outcome": "True", "target": "hinweis" },
            { "source": "kreis", "outcome": "False", "target": "end" }
          ]
        }
        """;

    // A wait that runs out leads into the same loop: the timer's step (run by FireTimer in its own transaction) meets it.
    private const string LoopAfterWait = """
        {
          "definitionId": "schleife-frist", "version": 1, "name": "Schleife nach einer Frist",
          "properties": { "paperTypes": ["Schleifenfrist"] },
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "warten", "type": "Wait", "displayName": "Frist", "properties": { "until": "2021-04-02T09:00" } },
            { "id": "hinweis", "type": "Notify", "displayName": "Hinweis", "properties": { "recipients": ["leadOffice"], "subject": "Hinweis: {{ paper.reference }}", "text": "Bitte beachten." } },
            { "id": "kreis", "type": "Condition", "displayName": "Öffentlich?", "properties": { "expression": "paper.isPublic" } },
            { "id": "end", "type": "End" }
          ],
          "connections": [
            { "source": "start", "outcome": "Done", "target": "warten" },
            { "source": "warten", "outcome": "Done", "target": "hinweis" },
            { "source": "hinweis", "outcome": "Done", "target": "kreis" },
            { "source": "kreis", "outcome": "True", "target": "hinweis" },
            { "source": "kreis", "outcome": "False", "target": "end" }
          ]
        }
        """;

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task AttachingAWorkflowThatLoopsAtOnce_ToATakenOverPaper_AttachesIt_AndFaultsTheInstance(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9), settings: TestApp.ApiOnly);
        await PublishAsync(test, LoopAtStart);
        // A paper taken over from another system while in progress, without a workflow (as the OParl import leaves it).
        var paperId = await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var body = await db.Bodies.SingleAsync(b => b.Key == "braunschweig");
            var lead = await db.Organizations.SingleAsync(o => o.BodyId == body.Id && o.Key == "fb10");
            var now = test.Clock.GetUtcNow();
            var paper = new Paper
            {
                Id = Guid.CreateVersion7(now), BodyId = body.Id, Reference = "21-18004", Name = "Übernommene Schleife", PaperType = "Schleifenvorlage",
                Date = new DateOnly(2021, 3, 30), LeadOfficeId = lead.Id, Created = now, Modified = now,
            };
            db.Papers.Add(paper);
            await db.SaveChangesAsync();
            return paper.Id;
        });

        var response = await test.ClientFor("admin").PostAsJsonAsync($"/api/papers/{paperId}/workflow", new AttachWorkflowRequest(null));

        // Attached and answered as usual; the instance faulted where the loop's run began, the loop's rows not kept.
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        var paper = (await response.Content.ReadFromJsonAsync<PaperDetails>(TestContext.Current.CancellationToken))!;
        Assert.Equal(("schleife-start", "Faulted", "hinweis"), (paper.Workflow!.DefinitionId, paper.Workflow.Status, paper.Workflow.CurrentActivityId));
        var incident = Assert.Single((await test.ClientFor("admin").GetFromJsonAsync<List<WorkflowInstanceView>>("/api/workflow-instances?status=Faulted"))!);
        Assert.Equal(paperId, incident.PaperId);
        Assert.Contains("the workflow loops", incident.Fault, StringComparison.Ordinal);
        var (journal, outbox, timers) = await CountRowsAsync(test, paper.Workflow.InstanceId, paperId);
        Assert.True(journal <= 5, $"{journal} journal lines");
        Assert.Equal((0, 0), (outbox, timers));
        Assert.Equal(1, await CountAsync(test, db => db.WorkflowInstances.CountAsync(i => i.CorrelationId == paperId.ToString())));

        // Attached once: a second request finds the workflow.
        Assert.Equal(HttpStatusCode.Conflict, (await test.ClientFor("admin").PostAsJsonAsync($"/api/papers/{paperId}/workflow", new AttachWorkflowRequest(null))).StatusCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task AnEilentscheidungEndingAHearing_IntoALoop_DropsTheHearings_AndFaultsTheInstance(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9), settings: TestApp.ApiOnly);
        await PublishAsync(test, LoopAfterHearing);
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-18005", "Schleife", "Schleifenanhörung", "fb10", null, true, null, null));
        Assert.Equal(("Suspended", "anhoerung"), (paper.Workflow!.Status, paper.Workflow.CurrentActivityId));
        var before = await CountRowsAsync(test, paper.Workflow.InstanceId, paper.Id);

        var response = await test.ClientFor("admin").PostAsJsonAsync($"/api/papers/{paper.Id}/hearing-skip", new SkipHearingRequest("Fördermittelfrist läuft am 30.04. ab"));

        // The Eilentscheidung is kept (the hearings dropped with its reason), the instance faults where the loop's run began.
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        var after = (await response.Content.ReadFromJsonAsync<PaperDetails>(TestContext.Current.CancellationToken))!;
        Assert.Equal(("Faulted", "hinweis"), (after.Workflow!.Status, after.Workflow.CurrentActivityId));
        Assert.All(after.Consultations, c => Assert.Equal(("Skipped", "Entfallen – Eilentscheidung nach § 89 NKomVG: Fördermittelfrist läuft am 30.04. ab"), (c.Status, c.ResultText)));
        Assert.Single(after.Journal, j => j.Message.Contains("Anhörung übersprungen von admin", StringComparison.Ordinal));
        Assert.Single(after.Journal, j => j.Kind == "InstanceFaulted" && j.ActivityId == "hinweis" && j.Message.Contains("the workflow loops", StringComparison.Ordinal));
        Assert.DoesNotContain(after.Journal, j => j.ActivityId == "kreis");

        // Nothing of the loop: no notice of "hinweis", a few journal lines, no timer beyond the hearings'.
        var (journal, outbox, timers) = await CountRowsAsync(test, paper.Workflow.InstanceId, paper.Id);
        Assert.Equal(after.Journal.Count, journal);
        Assert.True(journal - before.Journal <= 6, $"{journal - before.Journal} new journal lines");
        Assert.Equal(0, await CountAsync(test, db => db.OutboxMessages.CountAsync(m => m.PaperId == paper.Id && m.Subject.StartsWith("Hinweis"))));
        Assert.True(timers <= before.Timers, $"{timers} timers, {before.Timers} before");
        Assert.Single((await test.ClientFor("admin").GetFromJsonAsync<List<WorkflowInstanceView>>("/api/workflow-instances?status=Faulted"))!);
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task RegisteringAPaperWhoseWorkflowLoopsAtOnce_RegistersIt_FaultsTheInstance_AndKeepsNothingOfTheLoop(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9), settings: TestApp.ApiOnly);
        await PublishAsync(test, LoopAtStart);

        // Refused before with a 409 ("ran 1000 activities without waiting"), the paper not registered.
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-18001", "Schleife", "Schleifenvorlage", "fb10", null, true, null, null));

        // Faulted where the loop's run began, the first activity after the start; its message says what to do.
        Assert.Equal(("Faulted", "hinweis"), (paper.Workflow!.Status, paper.Workflow.CurrentActivityId));
        var incident = Assert.Single((await test.ClientFor("admin").GetFromJsonAsync<List<WorkflowInstanceView>>("/api/workflow-instances?status=Faulted"))!);
        Assert.Equal(paper.Id, incident.PaperId);
        Assert.Contains($"ran {WorkflowRunner.MaxActivitiesPerStep} activities without waiting for a meeting or outcome: the workflow loops", incident.Fault, StringComparison.Ordinal);
        Assert.Contains("Correct the definition (e.g. the Condition 'kreis') and retry or skip.", incident.Fault, StringComparison.Ordinal);
        Assert.Single(paper.Journal, j => j.Kind == "InstanceFaulted" && j.ActivityId == "hinweis");

        // Nothing of the loop: no notice of "hinweis", no flood of journal lines (the start, its completion, the fault), no timer.
        var (journal, outbox, timers) = await CountRowsAsync(test, paper.Workflow.InstanceId, paper.Id);
        Assert.Equal(paper.Journal.Count, journal);
        Assert.True(journal <= 5, $"{journal} journal lines");
        Assert.Equal(0, outbox);
        Assert.Equal(0, timers);
        Assert.DoesNotContain(paper.Journal, j => j.ActivityId == "kreis");

        // Retried while the definition still loops, it faults again the same way and keeps nothing more.
        var retried = await ResolveAsync(test, incident.Id, new ResolveIncidentRequest("retry", null));
        Assert.Equal(("Faulted", "hinweis"), (retried.Status, retried.CurrentActivityId));
        var afterRetry = await CountRowsAsync(test, paper.Workflow.InstanceId, paper.Id);
        Assert.Equal((0, 0), (afterRetry.Outbox, afterRetry.Timers));
        Assert.True(afterRetry.Journal - journal <= 3, $"{afterRetry.Journal - journal} journal lines for the retry");
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task RecordingAnOutcomeWhoseNextStepLoops_RecordsIt_FaultsTheInstance_AndTheAdminSkipsTheLoop(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9), settings: TestApp.ApiOnly);
        await PublishAsync(test, LoopAfterOutcome);
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-18002", "Schleife", "Schleifenbeschluss", "fb10", null, true, null, null));
        Assert.Equal(("Suspended", "fpa"), (paper.Workflow!.Status, paper.Workflow.CurrentActivityId));
        var before = await CountRowsAsync(test, paper.Workflow.InstanceId, paper.Id);

        // Refused before with a 409: the secretary could never record the outcome. Now it is recorded and answered as usual.
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));
        var response = await test.RecordAsync("sekretariat-fpa", paper.Consultations[0].Id, new RecordOutcomeRequest("Adopted", "einstimmig beschlossen", null), "key-loop");
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        var answer = (await response.Content.ReadFromJsonAsync<RecordOutcomeResponse>(TestContext.Current.CancellationToken))!;
        Assert.Equal(("Done", "Adopted"), (answer.Consultation.Status, answer.Consultation.Outcome));
        Assert.Equal(("Faulted", "kreis"), (answer.Paper.Workflow!.Status, answer.Paper.Workflow.CurrentActivityId));

        var after = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal(("Done", "einstimmig beschlossen"), (after.Consultations[0].Status, after.Consultations[0].ResultText));
        Assert.Contains(after.Journal, j => j.Kind == "ActivityCompleted" && j.ActivityId == "fpa" && j.Outcome == "Adopted");
        Assert.Single(after.Journal, j => j.Kind == "BookmarkResumed");
        Assert.Single(after.Journal, j => j.Kind == "InstanceFaulted" && j.ActivityId == "kreis" && j.Message.Contains("the workflow loops", StringComparison.Ordinal));
        Assert.DoesNotContain(after.Journal, j => j.ActivityId == "hinweis");

        // The step's own rows are kept (the outcome notice to the lead office, queued at every recording), the loop's are not.
        var (journal, outbox, timers) = await CountRowsAsync(test, paper.Workflow.InstanceId, paper.Id);
        Assert.Equal(after.Journal.Count, journal);
        Assert.True(journal - before.Journal <= 8, $"{journal - before.Journal} new journal lines");
        Assert.Equal(1, await CountAsync(test, db => db.OutboxMessages.CountAsync(m => m.PaperId == paper.Id && m.Kind == "outcome-notice")));
        Assert.Equal(before.Outbox + 1, outbox);
        Assert.Equal(before.Timers, timers);

        // The admin skips the looping condition through "False": the paper goes on to its end.
        var instance = Assert.Single((await test.ClientFor("admin").GetFromJsonAsync<List<WorkflowInstanceView>>("/api/workflow-instances?status=Faulted"))!);
        var skipped = await ResolveAsync(test, instance.Id, new ResolveIncidentRequest("skip", "False"));
        Assert.Equal(("Finished", "end"), (skipped.Status, skipped.CurrentActivityId));
        Assert.Equal("Finished", (await test.GetPaperAsync("admin", paper.Id)).Workflow!.Status);
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task AWaitRunningOutIntoALoop_FiresItsTimer_AndFaultsTheInstance(DatabaseProvider provider)
    {
        // No Hangfire server: the test fires the timer itself, as the timer's job does.
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9), settings: TestApp.ApiOnly);
        await PublishAsync(test, LoopAfterWait);
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-18003", "Schleife", "Schleifenfrist", "fb10", null, true, null, null));
        Assert.Equal(("Suspended", "warten"), (paper.Workflow!.Status, paper.Workflow.CurrentActivityId));
        var timer = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Timers.AsNoTracking()
            .SingleAsync(t => t.InstanceId == paper.Workflow.InstanceId));

        // Failed before with the loop's exception, the timer left pending and its job retried into the same loop.
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 2, 10, 0));
        var fired = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationFlow.Council.Timers.FireTimer>()
            .HandleAsync(timer.Id, TestContext.Current.CancellationToken));
        Assert.Equal("fired", fired.State);

        var after = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal(("Faulted", "hinweis"), (after.Workflow!.Status, after.Workflow.CurrentActivityId));
        Assert.Single(after.Journal, j => j.Kind == "TimerFired");
        Assert.Single(after.Journal, j => j.Kind == "InstanceFaulted" && j.Message.Contains("the workflow loops", StringComparison.Ordinal));
        var (journal, outbox, timers) = await CountRowsAsync(test, paper.Workflow.InstanceId, paper.Id);
        Assert.Equal(after.Journal.Count, journal);
        Assert.True(journal <= 12, $"{journal} journal lines");
        Assert.Equal((0, 1), (outbox, timers));
        Assert.Equal(TimerStatus.Fired, (await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Timers.AsNoTracking()
            .SingleAsync(t => t.Id == timer.Id))).Status);
    }

    private static async Task PublishAsync(TestApp test, string document)
    {
        var admin = test.ClientFor("admin");
        var id = System.Text.Json.JsonDocument.Parse(document).RootElement.GetProperty("definitionId").GetString();
        await Http.EnsureAsync(await admin.PutAsync($"/api/workflow-definitions/{id}/draft",
            new StringContent(document, System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.OK);
        await Http.EnsureAsync(await admin.PostAsync($"/api/workflow-definitions/{id}/versions/1/publish", null), HttpStatusCode.OK);
    }

    private static async Task<WorkflowInstanceView> ResolveAsync(TestApp test, Guid id, ResolveIncidentRequest request)
    {
        var response = await test.ClientFor("admin").PostAsJsonAsync($"/api/workflow-instances/{id}/incident", request);
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<WorkflowInstanceView>())!;
    }

    private static async Task<(int Journal, int Outbox, int Timers)> CountRowsAsync(TestApp test, Guid instanceId, Guid paperId) => (
        await CountAsync(test, db => db.Journal.CountAsync(j => j.InstanceId == instanceId)),
        await CountAsync(test, db => db.OutboxMessages.CountAsync(m => m.PaperId == paperId)),
        await CountAsync(test, db => db.Timers.CountAsync(t => t.InstanceId == instanceId)));

    private static Task<int> CountAsync(TestApp test, Func<DeliberationDbContext, Task<int>> count) =>
        test.App.WithScopeAsync(sp => count(sp.GetRequiredService<DeliberationDbContext>()));
}
