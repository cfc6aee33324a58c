using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Council.Persons;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// What reaches whom around a paper: the papers linked to it, its technical journal, the papers of a seat that has
/// ended, the calendar of an account that was closed, and who keeps (edits, reads the delivery log of) a paper.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class PaperScopeTests
{
    [Fact]
    public async Task ANonPublicFollowUp_IsNamedOnlyToThoseWhoMayOpenIt_AndTheJournalOnlyToThoseWhoKeepPapers()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var parent = await test.RegisterAsync("admin", new RegisterPaperRequest("21-20001", "Neuordnung der Stabsstellen", "Beschlussvorlage", "fb10", null, true, null, null));
        // The follow-up is non-public and goes to the PlUA first, where Ratsfrau Beispiel (Rat, FPA) has no seat.
        var followUp = await test.RegisterAsync("admin",
            new RegisterPaperRequest("21-20001-01", "Stellenbesetzung Stabsstelle Digitalisierung", "Beschlussvorlage", "fb10", null, false, null, "beschlussvorlage-fachausschuss"));
        Assert.Equal("plua", followUp.Consultations[0].Committee.Key);

        var asAdmin = await test.GetPaperAsync("admin", parent.Id);
        Assert.Equal(["21-20001-01"], asAdmin.SubordinatedPapers.Select(p => p.Reference));
        Assert.NotEmpty(asAdmin.Journal);
        Assert.Equal("21-20001", (await test.GetPaperAsync("admin", followUp.Id)).SuperordinatedPaper!.Reference);
        Assert.Equal(["21-20001-01"], (await test.GetPaperAsync("sekretariat-plua", parent.Id)).SubordinatedPapers.Select(p => p.Reference));

        // The councillor and the FPA's secretary open the public paper; its non-public follow-up is not named to them.
        var asCouncillor = await test.GetPaperAsync("ratsmitglied", parent.Id);
        Assert.Empty(asCouncillor.SubordinatedPapers);
        Assert.Empty((await test.GetPaperAsync("sekretariat-fpa", parent.Id)).SubordinatedPapers);
        var raw = await (await test.ClientFor("ratsmitglied").GetAsync("/api/papers/by-reference/21-20001")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Stellenbesetzung", raw, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await test.ClientFor("ratsmitglied").GetAsync($"/api/papers/{followUp.Id}")).StatusCode);

        // The business timeline is everyone's; the technical journal, which names each notice's recipients with their
        // addresses, is for secretaries and admins.
        Assert.NotEmpty(asCouncillor.Timeline);
        Assert.Empty(asCouncillor.Journal);
        Assert.NotEmpty((await test.GetPaperAsync("sekretariat-fpa", parent.Id)).Journal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task ASeatThatHasEnded_NoLongerOpensTheCommitteesNonPublicPapers_NorListsThemAsFollowed(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var secret = await test.RegisterAsync("admin", new RegisterPaperRequest("21-20011", "Personalangelegenheit Kämmerei", "Beschlussvorlage", "fb10", null, false, null, null));
        var councillor = test.ClientFor("ratsmitglied");
        Assert.Equal("21-20011", (await test.GetPaperAsync("ratsmitglied", secret.Id)).Reference);
        await Http.EnsureAsync(await councillor.PutAsync($"/api/papers/{secret.Id}/follow", null), HttpStatusCode.OK);
        Assert.Contains((await councillor.GetFromJsonAsync<List<FollowedPaper>>("/api/me/followed-papers"))!, f => f.Reference == "21-20011");

        // Her FPA seat ended yesterday.
        var admin = test.ClientFor("admin");
        var directory = (await admin.GetFromJsonAsync<PersonDirectory>("/api/persons"))!;
        var seat = directory.Persons.Single(p => p.Name == "Jana Beispiel").Memberships.Single(m => m.CommitteeKey == "fpa" && m.EndDate is null);
        await Http.EnsureAsync(await admin.PostAsJsonAsync($"/api/memberships/{seat.Id}/end", new EndMembershipRequest(new DateOnly(2021, 3, 31))), HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NotFound, (await councillor.GetAsync($"/api/papers/{secret.Id}")).StatusCode);
        Assert.Empty((await councillor.GetFromJsonAsync<List<FollowedPaper>>("/api/me/followed-papers"))!);
        Assert.DoesNotContain("21-20011", await (await councillor.GetAsync("/api/papers?q=21-20011")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Public papers stay open to her, as to every user of the body.
        var open = await test.RegisterAsync("admin", new RegisterPaperRequest("21-20012", "Haushaltssatzung 2022", "Beschlussvorlage", "fb10", null, true, null, null));
        Assert.Equal("21-20012", (await test.GetPaperAsync("ratsmitglied", open.Id)).Reference);
    }

    [Fact]
    public async Task ASeatEndsAndBeginsAtTheBodysMidnight_NotAtUtcs()
    {
        // 00:30 on 1 April in Braunschweig is still 31 March in UTC: the seat that ended on 31 March has ended all the
        // same, and one that begins on 1 April has begun (the seats of a new Wahlperiode begin on 1 November).
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 0, 30));
        var secret = await test.RegisterAsync("admin", new RegisterPaperRequest("21-20013", "Personalangelegenheit Kämmerei", "Beschlussvorlage", "fb10", null, false, null, null));
        var councillor = test.ClientFor("ratsmitglied");
        Assert.Equal(HttpStatusCode.OK, (await councillor.GetAsync($"/api/papers/{secret.Id}")).StatusCode);

        var admin = test.ClientFor("admin");
        var jana = (await admin.GetFromJsonAsync<PersonDirectory>("/api/persons"))!.Persons.Single(p => p.Name == "Jana Beispiel");
        var seat = jana.Memberships.Single(m => m.CommitteeKey == "fpa" && m.EndDate is null);
        await Http.EnsureAsync(await admin.PostAsJsonAsync($"/api/memberships/{seat.Id}/end", new EndMembershipRequest(new DateOnly(2021, 3, 31))), HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NotFound, (await councillor.GetAsync($"/api/papers/{secret.Id}")).StatusCode);
        Assert.DoesNotContain("21-20013", await (await councillor.GetAsync("/api/papers?q=21-20013")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await Http.EnsureAsync(await admin.PostAsJsonAsync($"/api/persons/{jana.Id}/memberships",
            new AddMembershipRequest("fpa", "Mitglied", true, new DateOnly(2021, 4, 1))), HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, (await councillor.GetAsync($"/api/papers/{secret.Id}")).StatusCode);
        Assert.Contains("21-20013", await (await councillor.GetAsync("/api/papers?q=21-20013")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClosedAccountsCalendar_StopsServingMeetings()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var link = (await test.ClientFor("ratsmitglied").GetFromJsonAsync<CalendarFeedLink>("/api/me/calendar"))!;
        using var anonymous = test.App.CreateClient();
        Assert.Contains("Finanz- und Personalausschuss", await (await anonymous.GetAsync(link.Path)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var admin = test.ClientFor("admin");
        var user = (await admin.GetFromJsonAsync<UserDirectory>("/api/users"))!.Users.Single(u => u.UserName == "ratsmitglied");
        await Http.EnsureAsync(await admin.PostAsync($"/api/users/{user.Id}/deactivate", null), HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(link.Path)).StatusCode);
    }

    [Fact]
    public async Task ASecretary_KeepsOnlyThePapersOfTheirCommittees()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-20021", "Sanierung Rathausdach", "Beschlussvorlage", "fb10", null, true, null, null));
        var edit = new EditPaperRequest("Sanierung des Rathausdachs", "fb10", null, paper.Date, true);

        // Consulted in the FPA only (so far): the PlUA's secretary sees it, but neither edits it nor reads who was written to.
        var plua = test.ClientFor("sekretariat-plua");
        var refused = await plua.PutAsJsonAsync($"/api/papers/{paper.Id}", edit);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Finanz- und Personalausschuss", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await plua.GetAsync($"/api/papers/{paper.Id}/deliveries")).StatusCode);
        Assert.Equal("Sanierung Rathausdach", (await test.GetPaperAsync("admin", paper.Id)).Name);

        // The FPA's secretary does.
        await Http.EnsureAsync(await test.ClientFor("sekretariat-fpa").PutAsJsonAsync($"/api/papers/{paper.Id}", edit), HttpStatusCode.OK);
        await Http.EnsureAsync(await test.ClientFor("sekretariat-fpa").GetAsync($"/api/papers/{paper.Id}/deliveries"), HttpStatusCode.OK);
    }

    [Fact]
    public void APaperNoCommitteeHasTakenOn_IsKeptByEverySecretary_AndByNoCouncillor()
    {
        var fpa = Guid.NewGuid();
        var plua = Guid.NewGuid();
        var secretary = new Caller(Guid.NewGuid(), "sekretariat-plua", Guid.NewGuid(), UserRole.Secretary, new HashSet<Guid> { plua }, null);
        var councillor = secretary with { Role = UserRole.Councillor };
        var admin = secretary with { Role = UserRole.Admin, CommitteeIds = new HashSet<Guid>() };

        Assert.Equal((false, true, true), (secretary.MayKeepPaperConsultedIn([fpa]), secretary.MayKeepPaperConsultedIn([fpa, plua]), secretary.MayKeepPaperConsultedIn([])));
        Assert.Equal((false, false), (councillor.MayKeepPaperConsultedIn([]), councillor.MayKeepPaperConsultedIn([plua])));
        Assert.True(admin.MayKeepPaperConsultedIn([fpa]));
    }
}
