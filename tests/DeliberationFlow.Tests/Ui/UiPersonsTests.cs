using System.Net.Http.Json;
using DeliberationFlow.Council.Persons;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>An admin adds a person, corrects the e-mail and gives a seat in a committee on the Personen page.</summary>
[Collection(HostCollection.Name)]
public sealed class UiPersonsTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Admin_AddsAPerson_MarkedFieldsFirst_ThenGivesHerASeat()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var session = await UiSession.SignInAsync(chromium, test, "admin");
        var page = session.Page;
        await session.GotoAsync("/persons");
        await session.WaitUntilInteractiveAsync();
        await Expect(page.Locator("#persons-table")).ToContainTextAsync("Jana Beispiel");

        await page.Locator("#person-new").ClickAsync();
        await page.Locator("#person-email input").FillAsync("kein-postfach");
        await page.Locator("#person-save").ClickAsync();
        await Expect(page.Locator("#person-name")).ToContainTextAsync("required");
        await Expect(page.Locator("#person-email")).ToContainTextAsync("is not an e-mail address");

        await page.Locator("#person-name input").FillAsync("Eva Neumeier");
        await page.Locator("#person-email input").FillAsync("eva.neumeier@rat.braunschweig.example");
        await page.Locator("#person-save").ClickAsync();
        await Expect(page.Locator("#person-seats")).ToContainTextAsync("Noch in keinem Gremium.");

        await MudSelects.ChooseAsync(page, "#seat-committee", "Finanz- und Personalausschuss");
        await page.Locator("#seat-role input").FillAsync("Stellvertretung");
        await page.Locator("#seat-add").ClickAsync();
        await Expect(page.Locator("#person-seats .seat[data-committee='fpa']")).ToContainTextAsync("Finanz- und Personalausschuss · Stellvertretung · stimmberechtigt · seit 01.04.2021");
        await Expect(page.Locator("#persons-table tr", new() { HasText = "Eva Neumeier" })).ToContainTextAsync("Finanz- und Personalausschuss (Stellvertretung)");
        await session.ScreenshotAsync("persons");

        var directory = await test.ClientFor("admin").GetFromJsonAsync<PersonDirectory>("/api/persons");
        var eva = directory!.Persons.Single(p => p.Name == "Eva Neumeier");
        Assert.Equal(("eva.neumeier@rat.braunschweig.example", "fpa"), (eva.Email, eva.Memberships.Single().CommitteeKey));
    }
}
