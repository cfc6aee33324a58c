using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Definitions;
using DeliberationFlow.Council.Instances;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Integration;

/// <summary>A step that fails keeps the instance, faulted with its error, for an admin to retry or skip; a workflow that cannot run in a body is not offered there.</summary>
[Collection(HostCollection.Name)]
public sealed class IncidentTests
{
    [Fact]
    public async Task FailingStep_FaultsTheInstance_AndTheAdminRetriesOrSkipsIt()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));

        // Wolfenbüttel's Haushaltsvorlage asks for an attribute papers do not have: its condition faults.
        var paper = await FaultingWorkflow.RegisterFaultingPaperAsync(test, "2021/017");
        Assert.Equal(("Faulted", FaultingWorkflow.ConditionId), (paper.Workflow!.Status, paper.Workflow.CurrentActivityId));
        Assert.Contains(paper.Journal, j => j.Kind == "InstanceFaulted" && j.Message.Contains("paper.budget.total", StringComparison.Ordinal));

        var admin = test.ClientFor("admin-wf");
        var incidents = await admin.GetFromJsonAsync<List<WorkflowInstanceView>>("/api/workflow-instances?status=Faulted");
        var incident = Assert.Single(incidents!);
        Assert.Equal(("2021/017", FaultingWorkflow.ConditionId), (incident.PaperReference, incident.CurrentActivityId));
        Assert.Contains("The condition „paper.budget.total > 1000000“ failed", incident.Fault, StringComparison.Ordinal);

        // Retried while the cause remains, it faults again; skipped through "False" (no large volume), it finishes.
        var retried = await ResolveAsync(admin, incident.Id, new ResolveIncidentRequest("retry", null));
        Assert.Equal("Faulted", retried.Status);
        var unknownOutcome = await admin.PostAsJsonAsync($"/api/workflow-instances/{incident.Id}/incident", new ResolveIncidentRequest("skip", "Vielleicht"));
        await Http.EnsureAsync(unknownOutcome, HttpStatusCode.BadRequest);
        var skipped = await ResolveAsync(admin, incident.Id, new ResolveIncidentRequest("skip", "False"));
        Assert.Equal(("Finished", "end"), (skipped.Status, skipped.CurrentActivityId));

        var after = await test.GetPaperAsync("admin-wf", paper.Id);
        Assert.Equal("Finished", after.Workflow!.Status);
        Assert.Equal(2, after.Journal.Count(j => j.Kind == "IncidentResolved"));
        Assert.Equal(2, after.Journal.Count(j => j.Kind == "InstanceFaulted"));
        var again = await admin.PostAsJsonAsync($"/api/workflow-instances/{incident.Id}/incident", new ResolveIncidentRequest("retry", null));
        await Http.EnsureAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task AnIncidentResolvedTwiceAtOnce_IsResolvedOnce_TheOtherGetsAConflict()
    {
        // A cheap password hash keeps the concurrent requests close together (see ConcurrentOutcomeTests).
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1));
        var admin = test.ClientFor("admin-wf");

        for (var round = 0; round < 3; round++)
        {
            // Two admins (or a double click) skip the same incident: one leaves the step, the others learn it is no longer faulted.
            var paper = round == 0
                ? await FaultingWorkflow.RegisterFaultingPaperAsync(test, "2021/020")
                : await test.RegisterAsync("admin-wf", new RegisterPaperRequest($"2021/02{round}", "Haushaltssatzung", FaultingWorkflow.PaperType, "fb1", null, true, null, null));
            Assert.Equal("Faulted", paper.Workflow!.Status);
            var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => admin.PostAsJsonAsync(
                $"/api/workflow-instances/{paper.Workflow!.InstanceId}/incident", i % 2 == 0 ? new ResolveIncidentRequest("skip", "False") : new ResolveIncidentRequest("retry", null))));

            Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{(int)a.StatusCode}"));
            var after = await test.GetPaperAsync("admin-wf", paper.Id);
            // A retry faults again and leaves the incident open; a skip ends it. Each answer of 200 is one resolution in the journal.
            Assert.Equal(answers.Count(a => a.StatusCode == HttpStatusCode.OK), after.Journal.Count(j => j.Kind == "IncidentResolved"));
        }
    }

    [Fact]
    public async Task Incidents_AreForAdminsOfTheirOwnBody()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await FaultingWorkflow.RegisterFaultingPaperAsync(test, "2021/018");

        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("sekretariat-fpa").GetAsync("/api/workflow-instances")).StatusCode);
        var braunschweig = await test.ClientFor("admin").PostAsJsonAsync($"/api/workflow-instances/{paper.Workflow!.InstanceId}/incident", new ResolveIncidentRequest("retry", null));
        Assert.Equal(HttpStatusCode.NotFound, braunschweig.StatusCode);
        var list = await test.ClientFor("admin").GetFromJsonAsync<List<WorkflowInstanceView>>("/api/workflow-instances?status=Faulted");
        Assert.Empty(list!);
    }

    [Fact]
    public async Task AShippedWorkflowThatNamesCommitteesABodyLacks_ComesAsADraft_NotOfferedForRegistration()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));

        // Wolfenbüttel has a Rat but no Finanz- und Personalausschuss or Verwaltungsausschuss, which the Beschlussvorlage names.
        var wolfenbuettel = (await test.ClientFor("admin-wf").GetFromJsonAsync<List<DefinitionSummary>>("/api/workflow-definitions"))!;
        var template = wolfenbuettel.Single(d => d.DefinitionId == "beschlussvorlage");
        Assert.Null(template.PublishedVersion);
        Assert.Equal("Draft", Assert.Single(template.Versions).State);
        var choices = (await test.ClientFor("admin-wf").GetFromJsonAsync<RegistrationChoices>("/api/papers/registration-choices"))!;
        Assert.DoesNotContain("Beschlussvorlage", choices.PaperTypes);
        var refused = await test.ClientFor("admin-wf").PostAsJsonAsync("/api/papers",
            new RegisterPaperRequest("2021/019", "Vorlage", "Beschlussvorlage", "fb1", null, true, null, null));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Empty((await test.ClientFor("admin-wf").GetFromJsonAsync<List<WorkflowInstanceView>>("/api/workflow-instances"))!);

        // Braunschweig, which has them, got it published.
        var braunschweig = (await test.ClientFor("admin").GetFromJsonAsync<List<DefinitionSummary>>("/api/workflow-definitions"))!;
        Assert.Equal(1, braunschweig.Single(d => d.DefinitionId == "beschlussvorlage").PublishedVersion);
    }

    private static async Task<WorkflowInstanceView> ResolveAsync(HttpClient admin, Guid id, ResolveIncidentRequest request)
    {
        var response = await admin.PostAsJsonAsync($"/api/workflow-instances/{id}/incident", request);
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<WorkflowInstanceView>())!;
    }
}
