using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Instances;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;

namespace DeliberationFlow.Tests.Integration;

/// <summary>A step that fails keeps the instance, faulted with its error, for an admin to retry or skip.</summary>
[Collection(HostCollection.Name)]
public sealed class IncidentTests
{
    [Fact]
    public async Task FailingStep_FaultsTheInstance_AndTheAdminRetriesOrSkipsIt()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));

        // Wolfenbüttel has no Finanz- und Personalausschuss, which the shipped Beschlussvorlage needs.
        var paper = await test.RegisterAsync("admin-wf", new RegisterPaperRequest("2021/017", "Haushaltssatzung", "Beschlussvorlage", "fb1", null, true, null, null));
        Assert.Equal(("Faulted", "fpa"), (paper.Workflow!.Status, paper.Workflow.CurrentActivityId));
        Assert.Contains(paper.Journal, j => j.Kind == "InstanceFaulted" && j.Message.Contains("no committee 'fpa'", StringComparison.Ordinal));

        var admin = test.ClientFor("admin-wf");
        var incidents = await admin.GetFromJsonAsync<List<WorkflowInstanceView>>("/api/workflow-instances?status=Faulted");
        var incident = Assert.Single(incidents!);
        Assert.Equal(("2021/017", "fpa"), (incident.PaperReference, incident.CurrentActivityId));
        Assert.Contains("no committee 'fpa'", incident.Fault, StringComparison.Ordinal);

        // Retried while the cause remains, it faults again; skipped through "Withdrawn", the paper is withdrawn.
        var retried = await ResolveAsync(admin, incident.Id, new ResolveIncidentRequest("retry", null));
        Assert.Equal("Faulted", retried.Status);
        var unknownOutcome = await admin.PostAsJsonAsync($"/api/workflow-instances/{incident.Id}/incident", new ResolveIncidentRequest("skip", "Vielleicht"));
        await Http.EnsureAsync(unknownOutcome, HttpStatusCode.BadRequest);
        var skipped = await ResolveAsync(admin, incident.Id, new ResolveIncidentRequest("skip", "Withdrawn"));
        Assert.Equal(("Finished", "end"), (skipped.Status, skipped.CurrentActivityId));

        var after = await test.GetPaperAsync("admin-wf", paper.Id);
        Assert.Equal("Withdrawn", after.Status);
        Assert.Equal(2, after.Journal.Count(j => j.Kind == "IncidentResolved"));
        Assert.Equal(2, after.Journal.Count(j => j.Kind == "InstanceFaulted"));
        var again = await admin.PostAsJsonAsync($"/api/workflow-instances/{incident.Id}/incident", new ResolveIncidentRequest("retry", null));
        await Http.EnsureAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Incidents_AreForAdminsOfTheirOwnBody()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin-wf", new RegisterPaperRequest("2021/018", "Vorlage", "Beschlussvorlage", "fb1", null, true, null, null));

        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("sekretariat-fpa").GetAsync("/api/workflow-instances")).StatusCode);
        var braunschweig = await test.ClientFor("admin").PostAsJsonAsync($"/api/workflow-instances/{paper.Workflow!.InstanceId}/incident", new ResolveIncidentRequest("retry", null));
        Assert.Equal(HttpStatusCode.NotFound, braunschweig.StatusCode);
        var list = await test.ClientFor("admin").GetFromJsonAsync<List<WorkflowInstanceView>>("/api/workflow-instances?status=Faulted");
        Assert.Empty(list!);
    }

    private static async Task<WorkflowInstanceView> ResolveAsync(HttpClient admin, Guid id, ResolveIncidentRequest request)
    {
        var response = await admin.PostAsJsonAsync($"/api/workflow-instances/{id}/incident", request);
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<WorkflowInstanceView>())!;
    }
}
