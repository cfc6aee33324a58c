using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>The studio speaks the shell's languages: German first, English after the DE | EN switch.</summary>
[Collection(HostCollection.Name)]
public sealed class StudioEnglishTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task StudioPages_AfterTheSwitchToEnglish_ShowEnglishLabels_AndGermanAgainAfterSwitchingBack()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var session = await UiSession.SignInAsync(chromium, test, "admin");
        var page = session.Page;

        await session.GotoAsync("/studio");
        await Expect(page.Locator("h4")).ToHaveTextAsync("Workflow-Definitionen");
        await page.Locator("#lang-en").ClickAsync();
        await session.WaitUntilInteractiveAsync();

        await Expect(page.Locator("h4")).ToHaveTextAsync("Workflow definitions");
        await Expect(page.Locator("#new-definition")).ToContainTextAsync("New workflow");
        await Expect(page.Locator("#definitions-table thead")).ToContainTextAsync("Latest version");
        await Expect(page.Locator("#definitions-table tbody tr:has(a[data-definition=beschlussvorlage])")).ToContainTextAsync("Edit");
        await session.ScreenshotAsync("studio-english-definitions");

        await session.GotoAsync("/studio/definitions/beschlussvorlage");
        await Expect(page.Locator("#save-draft")).ToContainTextAsync("Save draft");
        await Expect(page.Locator("#publish")).ToContainTextAsync("Publish");
        await Expect(page.Locator(".df-palette")).ToContainTextAsync("Building blocks");
        await Expect(page.Locator("#palette-consultation")).ToContainTextAsync("Consultation (preliminary)");
        await Expect(page.Locator(".df-node[data-activity=start] .df-outcome[data-outcome=Done]")).ToContainTextAsync("next");
        await page.Locator("#validate").ClickAsync();
        await Expect(page.Locator("#validation-ok")).ToHaveTextAsync("Checked: no problems.");
        await session.ScreenshotAsync("studio-english-designer");

        await session.GotoAsync("/studio/definitions/beschlussvorlage/versions");
        await Expect(page.Locator("#versions-table thead")).ToContainTextAsync("State");
        await session.GotoAsync("/studio/instances");
        await Expect(page.Locator("h4")).ToHaveTextAsync("Instances");
        await Expect(page.Locator("#instances-table thead")).ToContainTextAsync("Current step");
        await session.ScreenshotAsync("studio-english-instances");

        await page.Locator("#lang-de").ClickAsync();
        await session.WaitUntilInteractiveAsync();
        await Expect(page.Locator("h4")).ToHaveTextAsync("Vorgänge");
    }
}
