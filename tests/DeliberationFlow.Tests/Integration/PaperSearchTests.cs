using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace DeliberationFlow.Tests.Integration;

/// <summary>The list of papers: search, filters, pages, and never a non-public paper its reader could not open.</summary>
[Collection(HostCollection.Name)]
public sealed class PaperSearchTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Search_FindsByReferenceOrTitle_NamesTheNextStep_AndPages(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        await RegisterAsync(test, "21-70001", "Radverkehrskonzept 2030", isPublic: true);
        await RegisterAsync(test, "21-70002", "Neubau Feuerwache Süd", isPublic: true);
        await RegisterAsync(test, "21-70003", "Neubau Feuerwache Nord", isPublic: true);
        await RegisterAsync(test, "21-70004", "Überplanung Ölper Holz", isPublic: true);

        var byTitle = await SearchAsync(test, "admin", "?q=FEUERWACHE");
        var byReference = await SearchAsync(test, "admin", "?q=70001");

        Assert.Equal(["21-70003", "21-70002"], byTitle.Papers.Select(p => p.Reference));
        Assert.Equal(2, byTitle.Total);
        // Case is folded for every letter on both databases, umlauts too (SQLite's own lower() folds ASCII only).
        Assert.Equal("21-70004", Assert.Single((await SearchAsync(test, "admin", "?q=%C3%BCberplanung%20%C3%B6lper")).Papers).Reference);
        var radverkehr = Assert.Single(byReference.Papers);
        Assert.Equal(("Radverkehrskonzept 2030", "InProgress", "In Beratung"), (radverkehr.Name, radverkehr.Status, radverkehr.StatusLabel));
        Assert.Equal("fpa", radverkehr.Next!.Committee.Key);
        Assert.Equal(Berlin.At(2021, 4, 29, 15, 0), radverkehr.Next.MeetingStart);

        // Pages of two, newest first; together they hold every paper once.
        var all = await SearchAsync(test, "admin", "?pageSize=100");
        var first = await SearchAsync(test, "admin", "?pageSize=2&page=1");
        var second = await SearchAsync(test, "admin", "?pageSize=2&page=2");
        Assert.Equal((2, 2, all.Total), (first.Papers.Count, second.Papers.Count, first.Total));
        Assert.Equal(all.Papers.Take(4).Select(p => p.Reference), first.Papers.Concat(second.Papers).Select(p => p.Reference));
        Assert.Equal(all.Total, all.Papers.Select(p => p.Id).Distinct().Count());

        // Filters: the demo's Stellungnahme was noted by the Rat and is done; the PlUA consults none of the new papers.
        var done = await SearchAsync(test, "admin", "?status=done&paperType=Stellungnahme");
        Assert.Contains(done.Papers, p => p.Reference == "21-15513-01");
        Assert.All(done.Papers, p => Assert.Equal(("Done", "Stellungnahme", null), (p.Status, p.PaperType, p.Next)));
        Assert.DoesNotContain((await SearchAsync(test, "admin", "?committee=plua&q=21-700")).Papers, p => p.Reference.StartsWith("21-700", StringComparison.Ordinal));
        Assert.Equal(4, (await SearchAsync(test, "admin", "?committee=fpa&q=21-700")).Total);
    }

    [Fact]
    public async Task ANonPublicPaper_IsListedOnlyForThoseWhoMayOpenIt()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await RegisterAsync(test, "21-70011", "Personalangelegenheit Stabsstelle", isPublic: false);

        // Consulted in the FPA: its secretary, the FPA member Ratsfrau Beispiel and the admin see it; the PlUA's secretary
        // does not, not even as a count.
        foreach (var user in new[] { "admin", "sekretariat-fpa", "ratsmitglied" })
        {
            Assert.Equal("21-70011", Assert.Single((await SearchAsync(test, user, "?q=Personalangelegenheit")).Papers).Reference);
        }

        var stranger = await SearchAsync(test, "sekretariat-plua", "?q=Personalangelegenheit");
        Assert.Equal((0, 0), (stranger.Papers.Count, stranger.Total));

        // The second body's admin sees none of the first body's papers.
        Assert.Equal(0, (await SearchAsync(test, "admin-wf", "?q=21-700")).Total);
    }

    [Fact]
    public async Task BadFilters_GetProblemDetailsNamingEachOne()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));

        var response = await test.ClientFor("admin").GetAsync("/api/papers?status=Beschlossen&committee=haushalt&page=0&pageSize=500");

        await Http.EnsureAsync(response, HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors;
        Assert.Contains("InProgress, Done, Withdrawn", errors["status"][0], StringComparison.Ordinal);
        Assert.Contains("fpa", errors["committee"][0], StringComparison.Ordinal);
        Assert.Contains("page", errors.Keys);
        Assert.Contains("pageSize", errors.Keys);
        Assert.Equal(HttpStatusCode.Unauthorized, (await test.App.CreateClient().GetAsync("/api/papers")).StatusCode);
    }

    private static Task<PaperDetails> RegisterAsync(TestApp test, string reference, string name, bool isPublic) =>
        test.RegisterAsync("admin", new RegisterPaperRequest(reference, name, "Beschlussvorlage", "fb10", null, isPublic, null, null));

    private static async Task<PaperList> SearchAsync(TestApp test, string user, string query)
    {
        var response = await test.ClientFor(user).GetAsync("/api/papers" + query);
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<PaperList>())!;
    }
}
