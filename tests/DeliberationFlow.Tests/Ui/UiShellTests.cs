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

    [Fact]
    public async Task EnglishIsTheAlternative_ChosenOnTheSignInPage_AndGermanComesBack()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var session = await UiSession.OpenAsync(chromium, test);
        await session.Page.GotoAsync("/account/signin");
        await Expect(session.Page.Locator("label[for=username]")).ToHaveTextAsync("Benutzername");

        await session.Page.ClickAsync("#lang-en");
        await Expect(session.Page.Locator("label[for=username]")).ToHaveTextAsync("User name");
        await session.Page.FillAsync("#username", "sekretariat-fpa");
        await session.Page.FillAsync("#password", "demo");
        await session.Page.ClickAsync("#signin");
        await session.WaitUntilInteractiveAsync();

        await Expect(session.Page.Locator("#nav-workspace")).ToHaveTextAsync("Secretariat workspace");
        await Expect(session.Page.Locator("h1, .mud-typography-h4").First).ToHaveTextAsync("Welcome, sekretariat-fpa");
        await session.ScreenshotAsync("home-english");

        await session.Page.ClickAsync("#lang-de");
        await session.WaitUntilInteractiveAsync();
        await Expect(session.Page.Locator("#nav-workspace")).ToHaveTextAsync("Arbeitsplatz Sitzungsdienst");
    }

    [Fact]
    public async Task SignInAndSignOut_WithoutTheAntiforgeryToken_AreRefused()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(test.BaseUrl) };

        var signIn = await http.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["Input.UserName"] = "admin", ["Input.Password"] = "demo",
        }));
        var signOut = await http.PostAsync("/account/signout", new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.False(signIn.Headers.Contains("Set-Cookie") && signIn.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("DeliberationFlow.Auth", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
    }
}
