using System.Net.Http.Json;
using DeliberationFlow.Council.Committees;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>The admin sets a committee's deadlines and reminder in the browser; a wrong value is marked at its field.</summary>
[Collection(HostCollection.Name)]
public sealed class UiCommitteesTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Admin_ChangesTheFpaDeadlines_AWrongUrgentDeadlineIsMarked_AndSecretariesAreNotOffered()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var admin = await UiSession.SignInAsync(chromium, test, "admin");
        await admin.GotoAsync("/committees");
        var page = admin.Page;
        var fpaRow = page.Locator("#committees-table tbody tr", new() { HasText = "Finanz- und Personalausschuss" });
        await Expect(fpaRow.Locator(".submission")).ToHaveTextAsync("10 Arbeitstage");

        await page.Locator("[data-committee=fpa]").ClickAsync();
        await page.Locator("#deadline-submission input").FillAsync("15");
        await page.Locator("#deadline-urgent-submission input").FillAsync("30");
        await page.Locator("#deadlines-save").ClickAsync();
        await Expect(page.Locator("#deadline-urgent-submission")).ToContainTextAsync("Between 0 and the normal Vorlagenfrist (15 days).");
        await Expect(fpaRow.Locator(".submission")).ToHaveTextAsync("10 Arbeitstage");

        // A changed field loses its message: the sign that the service took the new value before the next save.
        await page.Locator("#deadline-urgent-submission input").FillAsync("3");
        await page.Locator("#deadline-urgent-submission input").PressAsync("Tab");
        await Expect(page.Locator("#deadline-urgent-submission")).Not.ToContainTextAsync("Between 0");
        await page.Locator("#deadlines-save").ClickAsync();
        await Expect(fpaRow.Locator(".submission")).ToHaveTextAsync("15 Arbeitstage");
        await page.Locator("#setting-reminder input").FillAsync("3");
        await page.Locator("#notification-settings-save").ClickAsync();
        await Expect(fpaRow).ToContainTextAsync("3 Tage vorher");
        await admin.ScreenshotAsync("committees");

        var fpa = (await test.ClientFor("admin").GetFromJsonAsync<List<CommitteeView>>("/api/committees"))!.Single(c => c.Key == "fpa");
        Assert.Equal((15, 3, 3), (fpa.SubmissionDeadlineDays, fpa.UrgentSubmissionDeadlineDays, fpa.ReminderDaysBefore));

        await using var secretary = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");
        await secretary.Page.GotoAsync(secretary.BaseUrl + "/committees");
        await Expect(secretary.Page.Locator("#no-access")).ToContainTextAsync("Kein Zugriff");
    }
}
