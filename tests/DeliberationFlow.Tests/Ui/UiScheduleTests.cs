using System.Net.Http.Json;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>The secretary plans a series of meetings in the browser: holidays and exceptions left out and named.</summary>
[Collection(HostCollection.Name)]
public sealed class UiScheduleTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Secretary_PlansAWeeklySeries_WithoutPfingstmontagAndTheException()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var fpa = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");
        await fpa.GotoAsync("/workspace");
        var page = fpa.Page;
        await page.Locator("#to-schedule").ClickAsync();
        await fpa.WaitUntilInteractiveAsync();

        // Only the FPA is the secretary's: it is chosen already. A series without its end is refused, naming the field.
        await Expect(page.Locator("#schedule-committee")).ToContainTextAsync("Finanz- und Personalausschuss");
        await page.Locator("#schedule-start input").FillAsync("2021-05-03T17:00");
        await MudSelects.ChooseAsync(page, "#schedule-repeat", "wöchentlich");
        await page.Locator("#schedule-submit").ClickAsync();
        await Expect(page.Locator("#schedule-problem")).ToContainTextAsync("until");

        await page.Locator("#schedule-until input").FillAsync("2021-05-31");
        await page.Locator("#schedule-exceptions input").FillAsync("10.05.2021");
        await page.Locator("#schedule-location input").FillAsync("Rathaus, Raum A1.65");
        await page.Locator("#schedule-submit").ClickAsync();

        // Mondays 3, 10, 17, 24 and 31 May 2021: the 10th is the exception, the 24th Pfingstmontag.
        await Expect(page.Locator("#schedule-created-count")).ToHaveTextAsync("3 Sitzungen eingetragen");
        await Expect(page.Locator("#schedule-created tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("#schedule-created")).ToContainTextAsync("03.05.2021 17:00");
        await Expect(page.Locator("#schedule-holidays")).ToContainTextAsync("24.05.2021 – Pfingstmontag");
        await Expect(page.Locator("#schedule-skipped")).ToContainTextAsync("10.05.2021");
        await fpa.ScreenshotAsync("schedule-series");

        var meetings = (await test.ClientFor("admin").GetFromJsonAsync<MeetingList>("/api/meetings?committee=fpa"))!.Meetings
            .Where(m => m.Location == "Rathaus, Raum A1.65").Select(m => m.Start).Order().ToList();
        Assert.Equal([Berlin.At(2021, 5, 3, 17, 0), Berlin.At(2021, 5, 17, 17, 0), Berlin.At(2021, 5, 31, 17, 0)], meetings);

        // The same series again adds nothing: each day has its meeting now.
        await page.Locator("#schedule-submit").ClickAsync();
        await Expect(page.Locator("#schedule-created-count")).ToHaveTextAsync("0 Sitzungen eingetragen");
    }
}
