using System.Net;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>Sign-in, navigation per role and refusals in the browser, against the real service on PostgreSQL.</summary>
[Collection(HostCollection.Name)]
public sealed class UiShellTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Anonymous_IsSentToSignIn_AndAWrongPasswordIsExplained()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var session = await UiSession.OpenAsync(chromium, test);

        await session.Page.GotoAsync("/workspace");
        await Expect(session.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/signin\\?ReturnUrl=%2Fworkspace"));
        await session.ScreenshotAsync("signin");

        await session.Page.FillAsync("#username", "admin");
        await session.Page.FillAsync("#password", "falsch");
        await session.Page.ClickAsync("#signin");
        await Expect(session.Page.Locator("#signin-error")).ToContainTextAsync("Benutzername oder Passwort ist falsch");
    }

    [Fact]
    public async Task Admin_SeesStudioAndOperationsEntries_AndSignsOut()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var session = await UiSession.SignInAsync(chromium, test, "admin");

        await Expect(session.Page.Locator("#role")).ToHaveTextAsync("Administration");
        await Expect(session.Page.Locator("#nav-studio")).ToBeVisibleAsync();
        await Expect(session.Page.Locator("#nav-operations")).ToBeVisibleAsync();
        await Expect(session.Page.Locator("#nav-workspace")).ToBeVisibleAsync();
        await session.ScreenshotAsync("home-admin");

        // The jobs dashboard takes the same cookie.
        var jobs = await session.Page.APIRequest.GetAsync("/jobs");
        Assert.Equal((int)HttpStatusCode.OK, jobs.Status);

        await session.Page.ClickAsync("#sign-out");
        await Expect(session.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/signin"));
        await session.Page.GotoAsync("/");
        await Expect(session.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/signin\\?ReturnUrl=%2F$"));
    }

    [Fact]
    public async Task Councillor_SeesThePortalOnly_AndIsRefusedTheJobsDashboard()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var session = await UiSession.SignInAsync(chromium, test, "ratsmitglied");

        await Expect(session.Page.Locator("#role")).ToHaveTextAsync("Ratsmitglied");
        await Expect(session.Page.Locator("#nav-portal")).ToBeVisibleAsync();
        await Expect(session.Page.Locator("#nav-studio")).ToHaveCountAsync(0);
        await Expect(session.Page.Locator("#nav-workspace")).ToHaveCountAsync(0);
        await Expect(session.Page.Locator("#nav-operations")).ToHaveCountAsync(0);

        await session.Page.GotoAsync("/jobs");
        await Expect(session.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/denied"));
        await Expect(session.Page.Locator("#no-access")).ToContainTextAsync("Kein Zugriff");

        // The API keeps HTTP Basic, against the same accounts; the browser's cookie does not authorise API calls.
        var api = await session.Page.APIRequest.GetAsync("/api/committees");
        Assert.Equal((int)HttpStatusCode.Unauthorized, api.Status);
        Assert.Equal(HttpStatusCode.OK, (await test.ClientFor("ratsmitglied").GetAsync("/api/committees")).StatusCode);
    }
}
