using System.Net;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>Accounts in the browser: the admin creates a secretary who then signs in, and deactivates it; a user changes their own password.</summary>
[Collection(HostCollection.Name)]
public sealed class UiUsersTests(Chromium chromium) : IClassFixture<Chromium>
{
    private const string Password = "Sitzungsdienst-2021!";

    [Fact]
    public async Task Admin_CreatesASecretaryForTheVa_WhoSignsInToTheWorkspace_ThenDeactivatesIt()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var admin = await UiSession.SignInAsync(chromium, test, "admin");
        await admin.GotoAsync("/users");
        var page = admin.Page;
        await Expect(page.Locator("#users-table tbody tr", new() { HasText = "sekretariat-fpa" }).Locator(".committees")).ToHaveTextAsync("Finanz- und Personalausschuss");

        await page.Locator("#user-new").ClickAsync();
        await page.Locator("#user-name input").FillAsync("j.jansen");
        await page.Locator("#user-display-name input").FillAsync("Jan Jansen");
        await MudSelects.ChooseManyAsync(page, "#user-committees", "Verwaltungsausschuss");
        await page.Locator("#user-password input").FillAsync("kurz");
        await page.Locator("#user-save").ClickAsync();
        await Expect(page.Locator("#user-password")).ToContainTextAsync("at least 12 characters");

        await page.Locator("#user-password input").FillAsync(Password);
        await page.Locator("#user-save").ClickAsync();
        var row = page.Locator("#users-table tbody tr", new() { HasText = "j.jansen" });
        await Expect(row.Locator(".committees")).ToHaveTextAsync("Verwaltungsausschuss");
        await Expect(row.Locator(".role")).ToHaveTextAsync("Sitzungsdienst (Gremiensekretariat)");
        await admin.ScreenshotAsync("users");

        await using (var jansen = await UiSession.SignInAsync(chromium, test, "j.jansen", Password))
        {
            await jansen.GotoAsync("/workspace");
            await Expect(jansen.Page.Locator("#signed-in-user")).ToHaveTextAsync("j.jansen");
            await Expect(jansen.Page.Locator("#nav-workspace")).ToBeVisibleAsync();
        }

        await page.Locator("#user-deactivate-confirm input").CheckAsync();
        await page.Locator("#user-deactivate").ClickAsync();
        await Expect(row.Locator(".state")).ToHaveTextAsync("deaktiviert am 01.04.2021");
        await admin.GotoAsync("/operations/audit");
        var entries = page.Locator("#audit-table tbody tr", new() { HasText = "j.jansen" });
        await Expect(entries).ToHaveCountAsync(2);
        await Expect(entries.First.Locator(".message")).ToHaveTextAsync("Konto deaktiviert.");
        await Expect(entries.Nth(1).Locator(".message")).ToContainTextAsync("Konto angelegt: Jan Jansen, Secretary, Gremien va");
        Assert.Equal(HttpStatusCode.Unauthorized, (await test.App.ClientFor("j.jansen", Password).GetAsync("/api/committees")).StatusCode);
        await using var refused = await UiSession.OpenAsync(chromium, test);
        await refused.Page.GotoAsync("/account/signin");
        await refused.Page.FillAsync("#username", "j.jansen");
        await refused.Page.FillAsync("#password", Password);
        await refused.Page.ClickAsync("#signin");
        await Expect(refused.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/signin"));
    }

    [Fact]
    public async Task ACouncillor_ChangesTheirPassword_GivenTheCurrentOne()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var councillor = await UiSession.SignInAsync(chromium, test, "ratsmitglied");
        await councillor.GotoAsync("/portal");
        await councillor.Page.Locator("#signed-in-user").ClickAsync();
        await councillor.WaitUntilInteractiveAsync();
        var page = councillor.Page;

        await page.Locator("#current-password input").FillAsync("nicht-das-richtige");
        await page.Locator("#new-password input").FillAsync("Mein-neues-Kennwort-1");
        await page.Locator("#repeat-password input").FillAsync("Mein-neues-Kennwort-1");
        await page.Locator("#password-save").ClickAsync();
        await Expect(page.Locator("#current-password")).ToContainTextAsync("This is not your current password.");

        await page.Locator("#current-password input").FillAsync("demo");
        await page.Locator("#password-save").ClickAsync();
        await Expect(page.Locator("#password-changed")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await test.App.ClientFor("ratsmitglied", "demo").GetAsync("/api/committees")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await test.App.ClientFor("ratsmitglied", "Mein-neues-Kennwort-1").GetAsync("/api/committees")).StatusCode);

        await page.Locator("#sign-in-again").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/signin"));
    }
}
