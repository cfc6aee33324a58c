using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using DeliberationFlow.Tests.Integration;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>
/// The Eilentscheidung (§ 89 NKomVG) in the browser: an admin has the Verwaltungsausschuss decide a step waiting in the Rat,
/// from the paper's page with the reason of urgency, and the Beratungsfolge marks the step.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UiUrgentDecisionTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task AnAdminMovesTheRatsStepToTheVa_WithAReason_AndTheBeratungsfolgeMarksIt()
    {
        await using var test = await TestApp.StartOnLoopbackAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 2, 20, 9));
        var (paper, rat) = await UrgentDecisionTests.RatStepAsync(test, "21-16211");
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 21, 10, 0));

        // The Rat's secretary sees no such button: it is the admins' (the HVB's office).
        await using (var secretary = await UiSession.SignInAsync(chromium, test, "sekretariat-va"))
        {
            await secretary.GotoAsync("/papers/21-16211");
            await secretary.WaitUntilInteractiveAsync();
            await Expect(secretary.Page.Locator("#paper-title")).ToBeVisibleAsync();
            await Expect(secretary.Page.Locator("#urgent-decision-open")).ToHaveCountAsync(0);
        }

        await using var admin = await UiSession.SignInAsync(chromium, test, "admin");
        await admin.GotoAsync("/papers/21-16211");
        await admin.WaitUntilInteractiveAsync();
        var page = admin.Page;
        await page.Locator($"#urgent-decision-open[data-consultation='{rat.Id}']").ClickAsync();
        await Expect(page.Locator("#urgent-decision-dialog")).ToContainTextAsync("Rat der Stadt Braunschweig");
        await Expect(page.Locator("#urgent-decision-confirm")).ToBeDisabledAsync();
        await page.Locator("#urgent-decision-reason textarea").First.FillAsync(UrgentDecisionTests.Reason);
        await page.Locator("#urgent-decision-confirm").ClickAsync();

        var marked = page.Locator("#beratungsfolge tr", new() { HasText = "Eilentscheidung nach § 89 NKomVG anstelle des Rates" });
        await Expect(marked).ToHaveCountAsync(1);
        await Expect(marked).ToContainTextAsync("Verwaltungsausschuss");
        await Expect(marked).ToContainTextAsync("04.05.2021");
        await Expect(page.Locator("#urgent-decision-open")).ToHaveCountAsync(0);
        await admin.ScreenshotAsync("urgent-decision-started");

        // Taken as through the API: the step is the VA's now, with the admin and the reason.
        var step = (await test.GetPaperAsync("admin", paper.Id)).Consultations.Single(c => c.Id == rat.Id);
        Assert.Equal(("va", "admin", UrgentDecisionTests.Reason), (step.Committee.Key, step.UrgentDecision?.By, step.UrgentDecision?.Reason));
    }
}
