using System.Net;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>The operations page in the browser: SMTP settings and a live check, the delivery log, the jobs dashboard link.</summary>
[Collection(HostCollection.Name)]
public sealed class UiOperationsTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Admin_ChecksTheSmtpServer_AndReadsTheDeliveryLogOfAPaper()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-20001", "Testvorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("admin", paper.Consultations[0].Id, new("Adopted", "beschlossen", null)), HttpStatusCode.OK);
        await test.WaitForMailOutAsync();
        // The background job gave up reading the text of the demo's Vorlage (a document stored before texts were read).
        await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().PaperFileContents.ExecuteUpdateAsync(s => s
            .SetProperty(c => c.TextExtractedAt, (DateTimeOffset?)null).SetProperty(c => c.TextGivenUpAt, test.Clock.GetUtcNow())
            .SetProperty(c => c.TextExtractionAttempts, 3).SetProperty(c => c.TextExtractionError, "OutOfMemoryException: Insufficient memory")));
        await using var admin = await UiSession.SignInAsync(chromium, test, "admin");

        await admin.Page.Locator("#nav-operations").ClickAsync();
        await Expect(admin.Page.Locator("#smtp-host")).ToHaveTextAsync("127.0.0.1");
        await Expect(admin.Page.Locator("#smtp-port")).ToHaveTextAsync(test.Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(admin.Page.Locator("#smtp-security")).ToHaveTextAsync("None");
        await admin.Page.Locator("#smtp-check").ClickAsync();
        await Expect(admin.Page.Locator("#smtp-result")).ToContainTextAsync($"Verbindung zu 127.0.0.1:{test.Smtp.Port} steht (unverschlüsselt).");

        await admin.Page.Locator("#delivery-reference input").FillAsync("21-20001");
        await admin.Page.Locator("#delivery-load").ClickAsync();
        var outcomeNotice = admin.Page.Locator("#delivery-log tbody tr", new() { HasText = "Beratungsergebnis 21-20001" });
        await Expect(outcomeNotice.First).ToContainTextAsync("zugestellt");
        await Expect(admin.Page.Locator("#jobs-link")).ToHaveAttributeAsync("href", "/jobs");
        var unreadable = admin.Page.Locator("#unreadable-list tbody tr", new() { HasText = "21-15813" });
        await Expect(unreadable).ToContainTextAsync("OutOfMemoryException: Insufficient memory");
        await Expect(unreadable.Locator("td").Nth(2)).ToHaveTextAsync("3");
        await admin.ScreenshotAsync("operations");

        // The server goes away: the check says so, and what to do.
        test.Smtp.Dispose();
        await admin.Page.Locator("#smtp-check").ClickAsync();
        await Expect(admin.Page.Locator("#smtp-result")).ToContainTextAsync("ist nicht erreichbar");
        await Expect(admin.Page.Locator("#smtp-result")).ToContainTextAsync("Host und Port prüfen");
    }

    [Fact]
    public async Task Secretary_IsRefusedTheOperationsPage()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var secretary = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");

        await secretary.Page.GotoAsync("/operations");

        await Expect(secretary.Page.Locator("#no-access")).ToContainTextAsync("Kein Zugriff");
        await Expect(secretary.Page.Locator("#smtp-check")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AdminOfABodyThatDoesNotRunTheInstallation_IsNotOfferedTheJobDashboard()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var admin = await UiSession.SignInAsync(chromium, test, "admin-wf");

        await admin.Page.GotoAsync("/operations");

        await Expect(admin.Page.Locator("#jobs-operators-only")).ToContainTextAsync("den Administratoren der betreibenden Körperschaft vorbehalten");
        await Expect(admin.Page.Locator("#jobs-link")).ToHaveCountAsync(0);
    }
}
