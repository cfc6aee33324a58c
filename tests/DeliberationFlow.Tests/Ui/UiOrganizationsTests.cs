using System.Net.Http.Json;
using DeliberationFlow.Council.Committees;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>An admin adds an office on the Gremien-und-Ämter page, marked fields first, then gives an existing one its address.</summary>
[Collection(HostCollection.Name)]
public sealed class UiOrganizationsTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Admin_AddsAnOffice_MarkedFieldsFirst_ThenChangesAnAddress()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var session = await UiSession.SignInAsync(chromium, test, "admin");
        var page = session.Page;
        await session.GotoAsync("/organizations");
        await session.WaitUntilInteractiveAsync();
        await Expect(page.Locator("#organizations-table")).ToContainTextAsync("Finanz- und Personalausschuss");

        await page.Locator("#organization-new").ClickAsync();
        await page.Locator("#organization-key input").FillAsync("FB 40");
        await page.Locator("#organization-email input").FillAsync("kein-postfach");
        await page.Locator("#organization-save").ClickAsync();
        await Expect(page.Locator("#organization-key")).ToContainTextAsync("lower-case letters");
        await Expect(page.Locator("#organization-name")).ToContainTextAsync("required");
        await Expect(page.Locator("#organization-email")).ToContainTextAsync("is not an e-mail address");

        await page.Locator("#organization-key input").FillAsync("fb40");
        await MudSelects.ChooseAsync(page, "#organization-kind", "Amt (Verwaltungsbereich)");
        await page.Locator("#organization-name input").FillAsync("Fachbereich 40 Schule und Sport");
        await page.Locator("#organization-email input").FillAsync("fb40@braunschweig.example");
        await page.Locator("#organization-save").ClickAsync();
        await Expect(page.Locator("#organization-saved")).ToBeVisibleAsync();
        await Expect(page.Locator("#organizations-table tr", new() { HasText = "Fachbereich 40 Schule und Sport" })).ToContainTextAsync("fb40@braunschweig.example");
        await session.ScreenshotAsync("organizations");

        // The Ratsbüro's address changes.
        await page.Locator("button[data-organization='fpa']").ClickAsync();
        await Expect(page.Locator("#organization-key input")).ToHaveValueAsync("fpa");
        await page.Locator("#organization-email input").FillAsync("fpa@braunschweig.example");
        await page.Locator("#organization-save").ClickAsync();
        await Expect(page.Locator("#organizations-table tr", new() { HasText = "Finanz- und Personalausschuss" })).ToContainTextAsync("fpa@braunschweig.example");

        var all = (await test.ClientFor("admin").GetFromJsonAsync<List<OrganizationView>>("/api/organizations"))!;
        Assert.Equal(("AdministrativeOffice", "fb40@braunschweig.example"), all.Single(o => o.Key == "fb40") is var o ? (o.Kind, o.Email) : default);
        Assert.Equal("fpa@braunschweig.example", all.Single(o => o.Key == "fpa").Email);
    }
}
