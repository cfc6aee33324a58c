using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>The paper page as in a Ratsinformationssystem: header and Beratungsfolge with projected dates.</summary>
[Collection(HostCollection.Name)]
public sealed class UiPaperTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task PaperPage_ShowsHeaderAndBeratungsfolge_WithProjectedDatesForTheStepsAhead()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await test.RegisterAsync("admin", new RegisterPaperRequest("21-60001", "Radverkehrskonzept 2030", "Beschlussvorlage", "fb10", ["fb01"], true, null, null));
        await using var session = await UiSession.SignInAsync(chromium, test, "ratsmitglied");

        await session.GotoAsync("/papers/21-60001");

        await Expect(session.Page.Locator("#paper-title")).ToHaveTextAsync("Radverkehrskonzept 2030");
        await Expect(session.Page.Locator("#paper-reference")).ToHaveTextAsync("21-60001");
        await Expect(session.Page.Locator("#paper-public")).ToHaveTextAsync("öffentlich");
        var rows = session.Page.Locator("#beratungsfolge tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Nth(0)).ToContainTextAsync("Geplant");
        await Expect(rows.Nth(0)).ToContainTextAsync("29.04.2021");
        await Expect(rows.Nth(0)).ToContainTextAsync("Finanz- und Personalausschuss");
        await Expect(rows.Nth(1)).ToContainTextAsync("Prognose");
        await Expect(rows.Nth(1)).ToContainTextAsync("voraussichtlich 04.05.2021");
        await Expect(rows.Nth(1)).ToContainTextAsync("Verwaltungsausschuss");
        await Expect(rows.Nth(2)).ToContainTextAsync("voraussichtlich 18.05.2021");
        await Expect(rows.Nth(2)).ToContainTextAsync("Rat der Stadt Braunschweig");
        await session.ScreenshotAsync("paper-projected");

        // A finished demo paper: the decisions stand in the Beschluss column.
        await session.GotoAsync("/papers/21-15513-01");
        await Expect(session.Page.Locator("#beratungsfolge tbody tr").First).ToContainTextAsync("zur Kenntnis genommen");
        await session.ScreenshotAsync("paper-done");
    }

    [Fact]
    public async Task NonPublicPaper_IsNotFound_ForASecretaryOfAnUninvolvedCommittee()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await test.RegisterAsync("admin", new RegisterPaperRequest("21-60002", "Personalangelegenheit", "Beschlussvorlage", "fb10", null, false, null, null));
        await using var session = await UiSession.SignInAsync(chromium, test, "sekretariat-plua");

        await session.GotoAsync("/papers/21-60002");

        await Expect(session.Page.Locator("#paper-problem")).ToContainTextAsync("Nicht gefunden.");
        await Expect(session.Page.Locator("#paper-title")).ToHaveCountAsync(0);
    }
}
