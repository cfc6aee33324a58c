using System.Text.RegularExpressions;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>The list of papers in the browser: search as one types, filters, the next step, and nothing one may not open.</summary>
[Collection(HostCollection.Name)]
public sealed class UiPaperListTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Secretary_SearchesThePapers_SeesWhereEachGoesNext_AndNotTheNonPublicOnesOfOtherCommittees()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await test.RegisterAsync("admin", new RegisterPaperRequest("21-70021", "Neubau Feuerwache Süd", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.RegisterAsync("admin", new RegisterPaperRequest("21-70022", "Personalangelegenheit Feuerwache", "Beschlussvorlage", "fb10", null, false, null, null));
        await using var plua = await UiSession.SignInAsync(chromium, test, "sekretariat-plua");

        await plua.GotoAsync("/papers");
        await plua.WaitUntilInteractiveAsync();
        await Expect(plua.Page.Locator("#papers-table")).ToContainTextAsync("21-15813");
        await plua.Page.Locator("#papers-search input").FillAsync("Feuerwache");

        // The public paper with its next step; the non-public one is consulted only in the FPA, VA and Rat: not listed.
        var rows = plua.Page.Locator("#papers-table tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("21-70021");
        await Expect(rows.First.Locator(".next-step")).ToContainTextAsync("Finanz- und Personalausschuss, Do, 29.04.2021 15:00");
        await Expect(plua.Page.Locator("#papers-total")).ToHaveTextAsync("1 Vorlage");
        await plua.ScreenshotAsync("papers-list");

        // The FPA's secretary finds both, the non-public one marked.
        await using var fpa = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");
        await fpa.GotoAsync("/papers");
        await fpa.WaitUntilInteractiveAsync();
        await fpa.Page.Locator("#papers-search input").FillAsync("Feuerwache");
        await Expect(fpa.Page.Locator("#papers-table tbody tr")).ToHaveCountAsync(2);
        await Expect(fpa.Page.Locator("#papers-table tbody tr", new() { HasText = "21-70022" })).ToContainTextAsync("nicht öffentlich");

        // A word of a document finds its paper (the demo's Vorlage of 21-15813), with the passage and the word marked.
        await fpa.Page.Locator("#papers-search input").FillAsync("Demodaten");
        var byText = fpa.Page.Locator("#papers-table tbody tr");
        await Expect(byText).ToHaveCountAsync(1);
        await Expect(byText.First).ToContainTextAsync("21-15813");
        await Expect(byText.First.Locator(".paper-snippet")).ToContainTextAsync("Im Dokument 21-15813 Beschlussvorlage Smart City.pdf:");
        await Expect(byText.First.Locator(".paper-snippet mark")).ToHaveTextAsync("Demodaten");
        await fpa.Page.Locator("#papers-search input").FillAsync("Feuerwache");
        await Expect(fpa.Page.Locator("#papers-table tbody tr")).ToHaveCountAsync(2);

        // A row opens its paper.
        await fpa.Page.Locator("[data-reference='21-70021']").ClickAsync();
        await Expect(fpa.Page).ToHaveURLAsync(new Regex("/papers/21-70021$"));
    }
}
