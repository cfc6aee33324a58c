using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Instances;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Integration;

/// <summary>The studio's instance list: filters by state, committee, overdue and text, on PostgreSQL, over the demo data of Braunschweig.</summary>
[Collection(HostCollection.Name)]
public sealed class StudioInstancesTests
{
    [Fact]
    public async Task Find_FiltersByStateCommitteeOverdueAndText()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 5, 10, 9));
        var admin = await CallerAsync(test, "admin");

        // The demo's Beschlussvorlage waits for the Rat (meeting on 18 May 2021); the Mitteilung has finished.
        var all = await FindAsync(test, admin, new WorkflowInstanceFilter());
        var waiting = Assert.Single(all, i => i.Instance.PaperReference == "21-15813");
        Assert.Equal(["rat"], waiting.OpenCommittees);
        Assert.False(waiting.Overdue);
        Assert.Contains(all, i => i.Instance.Status == "Finished");

        Assert.All(await FindAsync(test, admin, new WorkflowInstanceFilter(Status: "finished")), i => Assert.Equal("Finished", i.Instance.Status));
        Assert.Contains(await FindAsync(test, admin, new WorkflowInstanceFilter(Committee: "rat")), i => i.Instance.PaperReference == "21-15813");
        Assert.DoesNotContain(await FindAsync(test, admin, new WorkflowInstanceFilter(Committee: "plua")), i => i.Instance.PaperReference == "21-15813");
        Assert.Equal(["21-15813"], (await FindAsync(test, admin, new WorkflowInstanceFilter(Search: "15813"))).Select(i => i.Instance.PaperReference));
        Assert.Empty(await FindAsync(test, admin, new WorkflowInstanceFilter(OverdueOnly: true)));

        // The Rat met on 18 May and no outcome was recorded: from then on the instance is overdue.
        await test.MoveClockToAsync(new DateTimeOffset(2021, 5, 19, 9, 0, 0, TimeSpan.FromHours(2)));
        var overdue = Assert.Single(await FindAsync(test, admin, new WorkflowInstanceFilter(OverdueOnly: true)));
        Assert.Equal("21-15813", overdue.Instance.PaperReference);
        Assert.Equal(new DateOnly(2021, 5, 18), DateOnly.FromDateTime(overdue.OverdueSince!.Value.UtcDateTime));
        var one = await test.App.WithScopeAsync(s => s.GetRequiredService<FindWorkflowInstances>().GetAsync(admin, overdue.Instance.Id, CancellationToken.None));
        Assert.Equal((overdue.Instance, overdue.OverdueSince), (one.Instance, one.OverdueSince));
    }

    [Fact]
    public async Task Find_IsForAdminsOfTheirOwnBody_AndNamesTheStatesItKnows()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 5, 10, 9));
        var secretary = await CallerAsync(test, "sekretariat-fpa");
        var otherBody = await CallerAsync(test, "admin-wf");
        var admin = await CallerAsync(test, "admin");

        await Assert.ThrowsAsync<ForbiddenException>(() => FindAsync(test, secretary, new WorkflowInstanceFilter()));
        Assert.Empty(await FindAsync(test, otherBody, new WorkflowInstanceFilter(Search: "21-15813")));
        var unknown = await Assert.ThrowsAsync<RequestValidationException>(() => FindAsync(test, admin, new WorkflowInstanceFilter(Status: "Paused")));
        Assert.Contains("Running, Suspended, Finished, Faulted", unknown.Message, StringComparison.Ordinal);
        var braunschweig = (await FindAsync(test, admin, new WorkflowInstanceFilter()))[0];
        await Assert.ThrowsAsync<NotFoundException>(() => test.App.WithScopeAsync(s => s.GetRequiredService<FindWorkflowInstances>().GetAsync(otherBody, braunschweig.Instance.Id, CancellationToken.None)));
    }

    private static Task<IReadOnlyList<WorkflowInstanceOverview>> FindAsync(TestApp test, Caller caller, WorkflowInstanceFilter filter) =>
        test.App.WithScopeAsync(s => s.GetRequiredService<FindWorkflowInstances>().HandleAsync(caller, filter, CancellationToken.None));

    private static Task<Caller> CallerAsync(TestApp test, string userName) => test.App.WithScopeAsync(async s =>
    {
        var user = await s.GetRequiredService<ICouncilDb>().Users.AsNoTracking().SingleAsync(u => u.UserName == userName);
        return new Caller(user.Id, user.UserName, user.BodyId, user.Role, user.CommitteeIds.ToHashSet(), user.PersonId);
    });
}
