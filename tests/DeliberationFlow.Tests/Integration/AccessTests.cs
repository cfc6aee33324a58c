using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using DeliberationFlow.Council.Committees;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;

namespace DeliberationFlow.Tests.Integration;

/// <summary>Who may see and do what: authentication, bodies kept apart, non-public papers.</summary>
[Collection(HostCollection.Name)]
public sealed class AccessTests
{
    [Fact]
    public async Task Api_WithoutOrWithWrongCredentials_Answers401()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var anonymous = test.App.CreateClient();
        var wrong = test.App.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:falsch")));

        foreach (var path in new[] { "/api/committees", "/api/meetings", "/api/papers/by-reference/21-15513-01", "/jobs", "/openapi/v1.json" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("sekretariat-fpa").GetAsync("/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await test.ClientFor("admin").GetAsync("/jobs")).StatusCode);
    }

    [Fact]
    public async Task JobDashboard_ShowsEveryBodysJobs_SoOnlyTheOperatingBodysAdminsMayOpenIt()
    {
        // By default the body created first runs the installation: Braunschweig in the demo, not Wolfenbüttel.
        await using (var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9)))
        {
            Assert.Equal(HttpStatusCode.OK, (await test.ClientFor("admin").GetAsync("/jobs/jobs/failed")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("admin-wf").GetAsync("/jobs")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("admin-wf").GetAsync("/jobs/jobs/failed")).StatusCode);
        }

        // Named by its key, the operating body is another one.
        await using (var named = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
                         settings: new Dictionary<string, string> { ["Operations:OperatorBody"] = "wolfenbuettel" }))
        {
            Assert.Equal(HttpStatusCode.OK, (await named.ClientFor("admin-wf").GetAsync("/jobs")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await named.ClientFor("admin").GetAsync("/jobs")).StatusCode);
        }
    }

    [Fact]
    public async Task Papers_OfAnotherBody_AreNotFound()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var braunschweig = (await (await test.ClientFor("admin").GetAsync("/api/papers/by-reference/21-15513-01")).Content.ReadFromJsonAsync<PaperDetails>())!;

        var wolfenbuettel = test.ClientFor("admin-wf");

        Assert.Equal(HttpStatusCode.NotFound, (await wolfenbuettel.GetAsync($"/api/papers/{braunschweig.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await wolfenbuettel.GetAsync("/api/papers/by-reference/21-15513-01")).StatusCode);
        var committees = (await wolfenbuettel.GetFromJsonAsync<List<CommitteeView>>("/api/committees"))!;
        Assert.Equal(["Rat der Stadt Wolfenbüttel"], committees.Select(c => c.Name));
        var meetings = (await wolfenbuettel.GetFromJsonAsync<MeetingList>("/api/meetings?pageSize=100"))!;
        Assert.Equal(meetings.Total, meetings.Meetings.Count);
        Assert.NotEmpty(meetings.Meetings);
        Assert.All(meetings.Meetings, m => Assert.Equal("Rat der Stadt Wolfenbüttel", m.CommitteeName));
        var outcome = await test.RecordAsync("admin-wf", braunschweig.Consultations[0].Id, new(null, "beschlossen", null));
        Assert.Equal(HttpStatusCode.NotFound, outcome.StatusCode);
    }

    [Fact]
    public async Task NonPublicPaper_IsVisibleOnlyToAdminsAndThoseOfItsCommittees()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest(
            "21-19001", "Grundstücksangelegenheit (nichtöffentlich)", "Beschlussvorlage", "fb10", null, false, null, null));

        // Planned into the FPA: its secretary and its member see the paper; the PlUA's secretary does not.
        Assert.Equal(HttpStatusCode.OK, (await test.ClientFor("sekretariat-fpa").GetAsync($"/api/papers/{paper.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await test.ClientFor("ratsmitglied").GetAsync($"/api/papers/{paper.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await test.ClientFor("sekretariat-plua").GetAsync($"/api/papers/{paper.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await test.ClientFor("sekretariat-plua").GetAsync("/api/papers/by-reference/21-19001")).StatusCode);
    }
}
