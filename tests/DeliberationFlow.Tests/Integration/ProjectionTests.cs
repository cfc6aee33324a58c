using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;

namespace DeliberationFlow.Tests.Integration;

/// <summary>"Registered today, it reaches the Rat on …": the Beratungsfolge projected from calendars and deadlines.</summary>
[Collection(HostCollection.Name)]
public sealed class ProjectionTests
{
    [Fact]
    public async Task NewPaper_RegisteredEarlyEnough_IsProjectedOnto29AprilAnd4MayThenTheRat()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 3, 1, 9));

        var projection = await Expect(await test.ClientFor("sekretariat-fpa").PostAsJsonAsync("/api/projections",
            new ProjectNewPaperRequest("Beschlussvorlage", null, new DateOnly(2021, 4, 1))));

        Assert.Equal([("fpa", "29.04.2021"), ("va", "04.05.2021"), ("rat", "18.05.2021")], projection.Steps.Select(s => (s.Committee, s.Date!)));
        var fpa = projection.Steps[0];
        Assert.Equal(("15.04.2021", "22.04.2021"), (fpa.SubmissionDeadline, fpa.InvitationDate));
        Assert.Contains("Vorlagenfrist (10 Arbeitstage: 15.04.2021)", fpa.Reason, StringComparison.Ordinal);

        // Registered after the FPA's submission deadline, the paper misses 29.04. and everything moves on.
        var late = await Expect(await test.ClientFor("admin").PostAsJsonAsync("/api/projections", new ProjectNewPaperRequest("Beschlussvorlage", null, new DateOnly(2021, 4, 16))));
        Assert.Equal("10.06.2021", late.Steps[0].Date);
        Assert.NotEqual("04.05.2021", late.Steps[1].Date);
    }

    [Fact]
    public async Task UrgentPaper_UsesTheShorterDeadlines_AndStillReaches29April()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 3, 1, 9));

        // Registered on 26.04., an ordinary paper misses the FPA of 29.04. (Vorlagenfrist 15.04.); an urgent one does not (27.04.).
        var ordinary = await Expect(await test.ClientFor("admin").PostAsJsonAsync("/api/projections", new ProjectNewPaperRequest("Beschlussvorlage", null, new DateOnly(2021, 4, 26))));
        var urgent = await Expect(await test.ClientFor("admin").PostAsJsonAsync("/api/projections", new ProjectNewPaperRequest("Beschlussvorlage", null, new DateOnly(2021, 4, 26), Urgent: true)));

        Assert.Equal("10.06.2021", ordinary.Steps[0].Date);
        Assert.Equal(("29.04.2021", "27.04.2021", "28.04.2021"), (urgent.Steps[0].Date, urgent.Steps[0].SubmissionDeadline, urgent.Steps[0].InvitationDate));
        Assert.Contains("dringlich", urgent.Steps[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisteredPaper_ShowsDoneAndPlannedSteps_AndProjectsTheRest_AfterADeferral()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-60001", "Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));

        var before = await Expect(await test.ClientFor("admin").GetAsync($"/api/papers/{paper.Id}/projection"));
        Assert.Equal([("fpa", "Geplant", "29.04.2021"), ("va", "Prognose", "04.05.2021"), ("rat", "Prognose", "18.05.2021")],
            before.Steps.Select(s => (s.Committee, s.State, s.Date!)));

        // Vertagt in the FPA: the rest of the Beratungsfolge moves with it.
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("admin", paper.Consultations[0].Id, new(null, "vertagt", null)), HttpStatusCode.OK);
        var after = await Expect(await test.ClientFor("admin").GetAsync($"/api/papers/{paper.Id}/projection"));
        Assert.Equal([("fpa", "Vertagt", "29.04.2021"), ("fpa", "Geplant", "10.06.2021")], after.Steps.Take(2).Select(s => (s.Committee, s.State, s.Date!)));
        Assert.Equal(["va", "rat"], after.Steps.Skip(2).Select(s => s.Committee));
        Assert.All(after.Steps.Skip(2), s => Assert.True(DateOnly.ParseExact(s.Date!, "dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture) > new DateOnly(2021, 6, 10)));
    }

    private static async Task<Projection> Expect(HttpResponseMessage response)
    {
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<Projection>())!;
    }
}
