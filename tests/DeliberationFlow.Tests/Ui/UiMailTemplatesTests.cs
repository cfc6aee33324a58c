using System.Net.Http.Json;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Notifications.Templates;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>The admin rewords a message in the browser: previewed with sample data, refused where it names an unknown field, saved and reset.</summary>
[Collection(HostCollection.Name)]
public sealed class UiMailTemplatesTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Admin_PreviewsAndSavesAnOutcomeNotice_AWrongFieldIsShownWhereItIs_ThenResetsIt()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var admin = await UiSession.SignInAsync(chromium, test, "admin");
        await admin.GotoAsync("/operations/templates");
        var page = admin.Page;
        var row = page.Locator("#templates-table tbody tr", new() { Has = page.Locator("[data-kind=outcome-notice][data-language=de]") });
        await Expect(row.Locator(".template-state")).ToHaveTextAsync("Standard");

        await page.Locator("[data-kind=outcome-notice][data-language=de]").ClickAsync();
        await Expect(page.Locator("#template-subject input")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^Beratungsergebnis"));
        await Expect(page.Locator("#template-fields")).ToContainTextAsync("paper.reference");

        // A field the kind does not have is refused at its part with line and column; nothing is stored.
        await page.Locator("#template-subject input").FillAsync("Ergebnis {{ paper.titel }}");
        await page.Locator("#template-save").ClickAsync();
        await Expect(page.Locator("#template-subject")).ToContainTextAsync("line 1, column");
        await Expect(page.Locator("#template-subject")).ToContainTextAsync("paper.titel");
        await Expect(row.Locator(".template-state")).ToHaveTextAsync("Standard");

        await page.Locator("#template-subject input").FillAsync("Ergebnis {{ paper.reference }} im {{ committee.shortName }}");
        await page.Locator("#template-preview").ClickAsync();
        await Expect(page.Locator("#preview-subject")).ToHaveTextAsync("Ergebnis 21-15513 im FPA");
        await page.Locator("#template-save").ClickAsync();
        await Expect(row.Locator(".template-state")).ToHaveTextAsync("angepasst am 01.04.2021 09:00"); // the body's local time
        await admin.ScreenshotAsync("mail-templates");
        var stored = await test.ClientFor("admin").GetFromJsonAsync<MailTemplateView>("/api/mail-templates/outcome-notice/de");
        Assert.Equal(("Ergebnis {{ paper.reference }} im {{ committee.shortName }}", true), (stored!.Subject, stored.Customized));

        // Reset needs the tick, then the shipped wording is back.
        await Expect(page.Locator("#template-reset")).ToBeDisabledAsync();
        await page.Locator("#template-reset-confirm input").CheckAsync();
        await page.Locator("#template-reset").ClickAsync();
        await Expect(row.Locator(".template-state")).ToHaveTextAsync("Standard");
        await Expect(page.Locator("#template-subject input")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^Beratungsergebnis"));
    }

    /// <summary>
    /// Above the templates, the admin switches what members who never chose get to one message per item: it is stored,
    /// on record, still off after a reload, and what such a member's own page then says the body's default is.
    /// </summary>
    [Fact]
    public async Task Admin_SwitchesTheBodysDefaultDelivery_ItIsStored_AndShownAfterAReload()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var admin = await UiSession.SignInAsync(chromium, test, "admin");
        await admin.GotoAsync("/operations/templates");
        var page = admin.Page;
        var digestDefault = page.Locator("#digest-default input");
        await Expect(digestDefault).ToBeCheckedAsync();

        await digestDefault.UncheckAsync();
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Voreinstellung gespeichert");
        await admin.ScreenshotAsync("mail-templates-digest-default");
        var api = test.ClientFor("admin");
        Assert.False((await api.GetFromJsonAsync<BodyNotificationSettingsView>("/api/notification-settings"))!.DigestDefault);
        Assert.Contains((await api.GetFromJsonAsync<AuditPage>("/api/audit?area=body"))!.Entries,
            e => e.Message == "Voreinstellung der Zustellung für Mitglieder ohne eigene Wahl: eine Nachricht je Tagesordnungspunkt.");
        var member = (await test.ClientFor("ratsmitglied").GetFromJsonAsync<PreferencesView>("/api/me/notification-preferences"))!;
        Assert.Equal((false, true, false), (member.Digest, member.DigestFromBody, member.DigestDefault));

        await page.ReloadAsync();
        await admin.WaitUntilInteractiveAsync();
        await Expect(digestDefault).Not.ToBeCheckedAsync();
    }
}
