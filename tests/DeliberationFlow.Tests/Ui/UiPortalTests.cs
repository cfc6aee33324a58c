using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>The councillors' portal in the browser: the next meetings of their committees with items and papers.</summary>
[Collection(HostCollection.Name)]
public sealed class UiPortalTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Councillor_SeesTheNextMeeting_WithItsItems_AndOpensAPaper()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await test.RegisterAsync("admin", new RegisterPaperRequest("21-60001", "Radverkehrskonzept 2030", "Beschlussvorlage", "fb10", null, true, null, null));
        await using var councillor = await UiSession.SignInAsync(chromium, test, "ratsmitglied");

        await councillor.Page.Locator("#nav-portal").ClickAsync();

        var fpa = councillor.Page.Locator(".portal-meeting", new() { HasText = "29.04.2021" });
        await Expect(fpa).ToContainTextAsync("Finanz- und Personalausschuss");
        await Expect(fpa.Locator(".agenda tbody tr", new() { HasText = "21-60001" })).ToContainTextAsync("Radverkehrskonzept 2030");
        await Expect(councillor.Page.Locator(".portal-meeting").First).ToBeVisibleAsync();
        await councillor.ScreenshotAsync("portal");

        await fpa.Locator("a", new() { HasText = "21-60001" }).ClickAsync();
        await Expect(councillor.Page.Locator("#paper-title")).ToHaveTextAsync("Radverkehrskonzept 2030");
    }

    [Fact]
    public async Task Secretary_IsRefusedThePortal_AndACouncillorTheWorkspace()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var secretary = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");
        await secretary.Page.GotoAsync("/portal");
        await Expect(secretary.Page.Locator("#no-access")).ToContainTextAsync("Kein Zugriff");

        await using var councillor = await UiSession.SignInAsync(chromium, test, "ratsmitglied");
        await councillor.Page.GotoAsync("/workspace");
        await Expect(councillor.Page.Locator("#no-access")).ToContainTextAsync("Kein Zugriff");
        await Expect(councillor.Page.Locator("#meetings")).ToHaveCountAsync(0);
    }
}
