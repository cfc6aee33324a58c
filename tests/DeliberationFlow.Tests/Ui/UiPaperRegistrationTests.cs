using System.Text.RegularExpressions;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>Registering a paper in the browser: the form's checks, the Beratungsfolge it would get, and the paper it starts.</summary>
[Collection(HostCollection.Name)]
public sealed class UiPaperRegistrationTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Secretary_RegistersAPaper_SeeingItsBeratungsfolgeBeforehand_AndLandsOnThePaper()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var fpa = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");
        await fpa.GotoAsync("/papers/new");
        var page = fpa.Page;

        // Saved empty: every missing field is marked at once, and nothing is registered.
        await page.Locator("#reg-submit").ClickAsync();
        await Expect(page.Locator("#registration-invalid")).ToContainTextAsync("Die Eingabe ist unvollständig oder ungültig.");
        foreach (var field in new[] { "#reg-reference", "#reg-name", "#reg-paper-type", "#reg-lead-office" })
        {
            await Expect(page.Locator($"{field} .mud-input-error").First).ToBeVisibleAsync();
        }

        await Expect(page.Locator("#reg-workflow .mud-input-error")).ToHaveCountAsync(0);

        await page.Locator("#reg-reference input").FillAsync("21-17201");
        await page.Locator("#reg-name textarea").FillAsync("Neubau der Feuerwache Süd");
        await MudSelects.ChooseAsync(page, "#reg-paper-type", "Beschlussvorlage");

        // The preview plans it as the registration will: FPA on 29.04.2021, then VA and Rat, each with its deadline.
        var preview = page.Locator("#preview-beratungsfolge tbody tr");
        await Expect(preview).ToHaveCountAsync(3);
        await Expect(preview.Nth(0)).ToContainTextAsync("Finanz- und Personalausschuss");
        await Expect(preview.Nth(0)).ToContainTextAsync("29.04.2021");
        await Expect(preview.Nth(1)).ToContainTextAsync("Verwaltungsausschuss");
        await Expect(preview.Nth(2)).ToContainTextAsync("Rat");
        await Expect(page.Locator("#preview-workflow")).ToContainTextAsync("beschlussvorlage");

        await Expect(page.Locator("#reg-reference .mud-input-error")).ToHaveCountAsync(0); // changed fields lose their mark
        await Expect(page.Locator("#reg-lead-office .mud-input-error").First).ToBeVisibleAsync();
        await MudSelects.ChooseAsync(page, "#reg-lead-office", "10 Fachbereich Zentrale Dienste");
        await Expect(page.Locator("#registration-invalid")).ToHaveCountAsync(0);
        await MudSelects.ChooseManyAsync(page, "#reg-participating", "20 Fachbereich Finanzen");
        await fpa.ScreenshotAsync("paper-new");
        await page.Locator("#reg-submit").ClickAsync();

        // The paper's page: planned into the FPA meeting the preview named, with the offices chosen.
        await Expect(page).ToHaveURLAsync(new Regex("/papers/21-17201$"));
        await Expect(page.Locator("#paper-title")).ToHaveTextAsync("Neubau der Feuerwache Süd");
        await Expect(page.Locator("#paper-header")).ToContainTextAsync("10 Fachbereich Zentrale Dienste");
        await Expect(page.Locator("#paper-header")).ToContainTextAsync("20 Fachbereich Finanzen");
        await Expect(page.Locator("#beratungsfolge tbody tr").First).ToContainTextAsync("29.04.2021");
        var stored = await test.GetPaperByReferenceAsync("21-17201");
        Assert.Equal(("Beschlussvorlage", "fpa", true), (stored.PaperType, stored.Consultations[0].Committee.Key, stored.IsPublic));

        // The same reference again is refused with the reason, and no second paper appears.
        await fpa.GotoAsync("/papers/new");
        await page.Locator("#reg-reference input").FillAsync("21-17201");
        await page.Locator("#reg-name textarea").FillAsync("Doppelt");
        await MudSelects.ChooseAsync(page, "#reg-paper-type", "Beschlussvorlage");
        await MudSelects.ChooseAsync(page, "#reg-lead-office", "10 Fachbereich Zentrale Dienste");
        await page.Locator("#reg-submit").ClickAsync();
        await Expect(page.Locator("#registration-refused")).ToContainTextAsync("already registered");
        await Expect(page).ToHaveURLAsync(new Regex("/papers/new$"));

        // A councillor is not offered the form.
        await using var councillor = await UiSession.SignInAsync(chromium, test, "ratsmitglied");
        await councillor.Page.GotoAsync(councillor.BaseUrl + "/papers/new");
        await Expect(councillor.Page.Locator("#no-access")).ToContainTextAsync("Kein Zugriff");
        await Expect(councillor.Page.Locator("#nav-paper-new")).ToHaveCountAsync(0);
    }
}
