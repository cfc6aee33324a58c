using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Committees;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// Each node keeps a body's organizations in memory while the body's revision is unchanged; every change to an
/// organization, through the service or by hand in SQL, counts the revision up, so the next step sees it.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class OrganizationDirectoryTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task ACommitteeAddedAfterTheFirstStep_TakesAReferral_AndANameChangedInSql_ShowsInTheNextAnswer(DatabaseProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");

        // Registering plans the FPA from the body's organizations, which this node now holds.
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-20301", "Kita-Bedarfsplanung", "Beschlussvorlage", "fb10", null, true, null, null));
        var before = await RevisionAsync(test, ct);

        // A committee added afterwards takes a referral at once: the planner does not keep its old list.
        await Http.EnsureAsync(await admin.PostAsJsonAsync("/api/organizations",
            new SaveOrganizationRequest("jha", "Jugendhilfeausschuss", "JHA", "Committee", "Ausschuss", null), ct), HttpStatusCode.Created);
        Assert.True(await RevisionAsync(test, ct) > before);
        await test.MoveClockToAsync(paper.Consultations[0].MeetingStart!.Value.AddHours(3));
        var referral = await test.RecordAsync("sekretariat-fpa", paper.Consultations[0].Id, new RecordOutcomeRequest(null, "verwiesen in den Jugendhilfeausschuss", null, "jha"));
        await Http.EnsureAsync(referral, HttpStatusCode.OK);
        var referred = (await referral.Content.ReadFromJsonAsync<RecordOutcomeResponse>(ct))!.Paper;
        Assert.Equal(("jha", "Jugendhilfeausschuss"), (referred.Consultations[1].Committee.Key, referred.Consultations[1].Committee.Name));

        // Renamed by hand, past every use case: the database counts the change, and the next answer names it anew.
        var renamed = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Organizations
            .Where(o => o.Key == "fpa").ExecuteUpdateAsync(s => s.SetProperty(o => o.Name, "Ausschuss für Finanzen und Personal"), ct));
        Assert.Equal(1, renamed);
        var after = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal("Ausschuss für Finanzen und Personal", after.Consultations[0].Committee.Name);
        Assert.Equal("Jugendhilfeausschuss", after.Consultations[1].Committee.Name);
    }

    private static Task<long> RevisionAsync(TestApp test, CancellationToken ct) =>
        test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Bodies.AsNoTracking()
            .Where(b => b.Key == "braunschweig").Select(b => b.OrganizationsRevision).SingleAsync(ct));
}
