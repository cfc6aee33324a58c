using System.Text.RegularExpressions;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>
/// After the switch to English, the key pages of each role show no German words of the UI. The council's own data
/// stays as it is (paper titles, committee and meeting names, the minutes' wording), so the check looks for words
/// that only the UI uses.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UiEnglishTests(Chromium chromium) : IClassFixture<Chromium>
{
    // Words of the German UI that none of the pages' data contains (data: "Sitzung des …", "Finanz- und Personalausschuss",
    // "Smart City: Einrichtung einer Stabsstelle …", "Radverkehrskonzept 2030", "einstimmig beschlossen").
    private static readonly string[] GermanUiWords =
    [
        "Tagesordnung", "Reihenfolge", "Nachtrag", "Abgesetzt", "abgesetzt", "absetzen", "festschreiben", "Festschreibung", "hinzufügen",
        "Geplant", "Erledigt", "Vertagt", "Vorberatung", "Entscheidung", "terminiert", "eingeladen", "durchgeführt", "Überfällig",
        "Blockiert", "Beratungsfolge", "Prognose", "voraussichtlich", "speichern", "Speichern", "Arbeitsplatz", "Ergebnisse", "Vorlagenfrist",
        "Noch keine", "Keine ", "Bitte ", "Zugriff", "öffentlich", "Rolle", "Gremium", "Datum", "Vorlage ", "Vorlagen", "erfassen",
        "Betrieb", "Zustell", "Versuche", "Absender", "Sprache", "Abmelden", "Startseite", "Benachrichtigungen", "Kalender", "folgen",
        "Ort ", "Ja-Stimmen", "Enthaltungen", "erkannt", "wartet", "Menü", "vertagen", "Do, ",
    ];

    [Fact]
    public async Task KeyPages_InEnglish_ShowNoGermanWordsOfTheUi()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-60021", "Radverkehrskonzept 2030", "Beschlussvorlage", "fb10", null, true, null, null));
        var meetingId = paper.Consultations[0].MeetingId;

        await using var fpa = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");
        await SwitchToEnglishAsync(fpa);
        await fpa.GotoAsync($"/workspace/meetings/{meetingId}");
        await Expect(fpa.Page.Locator("#agenda-lock")).ToContainTextAsync("Fix the agenda");
        await Expect(fpa.Page.Locator("#agenda-add")).ToContainTextAsync("Add a paper");
        await AssertEnglishAsync(fpa, "agenda (draft)");
        await fpa.Page.Locator("#agenda-lock").ClickAsync();
        await Expect(fpa.Page.Locator("#agenda-locked")).ToContainTextAsync("The agenda is fixed (on 01.04.2021 09:00 by sekretariat-fpa)");
        await AssertEnglishAsync(fpa, "agenda (fixed)");
        await fpa.ScreenshotAsync("english-agenda-fixed");
        await fpa.GotoAsync("/papers/21-60021");
        await Expect(fpa.Page.Locator("#beratungsfolge tbody tr").Nth(1)).ToContainTextAsync("expected");
        await fpa.Page.Locator("#paper-edit-panel").ClickAsync();
        await Expect(fpa.Page.Locator("#edit-save")).ToContainTextAsync("Save changes");
        await Expect(fpa.Page.Locator("#paper-history-panel")).ToContainTextAsync("History (");
        await AssertEnglishAsync(fpa, "paper");
        await fpa.ScreenshotAsync("english-paper");
        await fpa.GotoAsync("/papers");
        await fpa.WaitUntilInteractiveAsync();
        await fpa.Page.Locator("#papers-search input").FillAsync("Radverkehr");
        await Expect(fpa.Page.Locator("#papers-table tbody tr")).ToHaveCountAsync(1);
        await Expect(fpa.Page.Locator("#papers-table tbody tr .next-step")).ToContainTextAsync("Finanz- und Personalausschuss, Thu, 29.04.2021 15:00");
        await AssertEnglishAsync(fpa, "papers");
        await fpa.GotoAsync("/papers/new");
        await Expect(fpa.Page.Locator("#reg-submit")).ToContainTextAsync("Register the paper");
        await Expect(fpa.Page.Locator("#preview-empty")).ToContainTextAsync("Choose the paper type");
        await AssertEnglishAsync(fpa, "new paper");
        await fpa.GotoAsync("/workspace/schedule");
        await Expect(fpa.Page.Locator("#schedule-submit")).ToContainTextAsync("Add to the meeting calendar");
        await AssertEnglishAsync(fpa, "plan meetings");
        await fpa.GotoAsync($"/meetings/{meetingId}/minutes");
        await Expect(fpa.Page.Locator("#minutes-print")).ToContainTextAsync("Print");
        await AssertEnglishAsync(fpa, "minutes");

        // The day after the meeting (signed in anew: the clock's jump outlives the sign-in): the to-do list with its
        // reasons, and the outcomes screen.
        await test.MoveClockToAsync(Berlin.At(2021, 4, 30, 9, 0));
        await using var later = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");
        await SwitchToEnglishAsync(later);
        await later.GotoAsync("/workspace");
        await Expect(later.Page.Locator("#attention tbody tr", new() { HasText = "21-60021" }))
            .ToContainTextAsync("The meeting of 29.04.2021 is over; the outcome has not been recorded yet.");
        await AssertEnglishAsync(later, "workspace");
        await later.GotoAsync($"/workspace/meetings/{meetingId}/outcomes");
        var item = later.Page.Locator("[data-reference='21-60021']");
        await item.Locator(".votes-for input").FillAsync("9");
        await item.Locator(".votes-against input").FillAsync("1");
        await Expect(item.Locator(".tally")).ToHaveTextAsync("9 yes, 1 no, 0 abstentions");
        await later.Page.Locator("#attendance-panel").ClickAsync();
        await Expect(later.Page.Locator("#attendance-all")).ToContainTextAsync("All present");
        await AssertEnglishAsync(later, "outcomes");
        await later.ScreenshotAsync("english-outcomes");

        await using var councillor = await UiSession.SignInAsync(chromium, test, "ratsmitglied");
        await SwitchToEnglishAsync(councillor);
        await councillor.GotoAsync("/portal");
        await Expect(councillor.Page.Locator("#notification-settings")).ToBeVisibleAsync();
        await AssertEnglishAsync(councillor, "portal");
        // Refused: the page is not opened at all, so no circuit is waited for.
        await councillor.Page.GotoAsync(councillor.BaseUrl + "/workspace");
        await Expect(councillor.Page.Locator("#no-access")).ToContainTextAsync("No access");
        await AssertEnglishAsync(councillor, "refused page", interactive: false);

        await using var admin = await UiSession.SignInAsync(chromium, test, "admin");
        await SwitchToEnglishAsync(admin);
        await admin.GotoAsync("/");
        await Expect(admin.Page.Locator("#role")).ToHaveTextAsync("Administration");
        await AssertEnglishAsync(admin, "home");
        await admin.GotoAsync("/operations");
        await admin.Page.Locator("#delivery-reference input").FillAsync("21-60021");
        await admin.Page.Locator("#delivery-load").ClickAsync();
        await Expect(admin.Page.Locator("#delivery-log")).ToBeVisibleAsync();
        await AssertEnglishAsync(admin, "operations");
        await admin.GotoAsync("/committees");
        await admin.Page.Locator("[data-committee=fpa]").ClickAsync();
        await Expect(admin.Page.Locator("#deadlines-save")).ToContainTextAsync("Save deadlines");
        await AssertEnglishAsync(admin, "committees");
        await admin.GotoAsync("/operations/templates");
        await admin.Page.Locator("[data-kind=outcome-notice][data-language=en]").ClickAsync();
        await Expect(admin.Page.Locator("#template-save")).ToContainTextAsync("Save");
        await AssertEnglishAsync(admin, "mail templates");
        await admin.GotoAsync("/users");
        await admin.Page.Locator("#user-new").ClickAsync();
        await Expect(admin.Page.Locator("#user-save")).ToContainTextAsync("Create account");
        await AssertEnglishAsync(admin, "user accounts");
        await admin.GotoAsync("/persons");
        await admin.Page.Locator("#person-new").ClickAsync();
        await Expect(admin.Page.Locator("#person-save")).ToContainTextAsync("Add person");
        await AssertEnglishAsync(admin, "persons");
        await admin.GotoAsync("/organizations");
        await admin.Page.Locator("#organization-new").ClickAsync();
        await Expect(admin.Page.Locator("#organization-save")).ToContainTextAsync("Create");
        await AssertEnglishAsync(admin, "committees and offices");
        await admin.GotoAsync("/operations/audit");
        await Expect(admin.Page.Locator("#audit-total")).ToContainTextAsync("entries");
        await AssertEnglishAsync(admin, "record of changes");
        await admin.GotoAsync("/me/password");
        await Expect(admin.Page.Locator("#password-save")).ToContainTextAsync("Change password");
        await AssertEnglishAsync(admin, "change password");

        // The studio: definitions, the designer with the shipped flow, its versions and the instances.
        await admin.GotoAsync("/studio");
        await Expect(admin.Page.Locator("h4")).ToHaveTextAsync("Workflow definitions");
        await AssertEnglishAsync(admin, "studio definitions");
        await admin.GotoAsync("/studio/definitions/beschlussvorlage");
        await Expect(admin.Page.Locator(".diagram-link").First).ToBeVisibleAsync();
        await AssertEnglishAsync(admin, "designer");
        await admin.GotoAsync("/studio/definitions/beschlussvorlage/versions");
        await AssertEnglishAsync(admin, "versions");
        await admin.GotoAsync("/studio/instances");
        await Expect(admin.Page.Locator("#instances-table")).ToBeVisibleAsync();
        await AssertEnglishAsync(admin, "instances");
        await admin.Page.Locator("#instances-table a[data-instance]").First.ClickAsync();
        await Expect(admin.Page.Locator("#timeline")).ToBeVisibleAsync();
        await AssertEnglishAsync(admin, "instance");
    }

    private static async Task SwitchToEnglishAsync(UiSession session)
    {
        await session.GotoAsync("/");
        await session.Page.Locator("#lang-en").ClickAsync();
        await session.WaitUntilInteractiveAsync();
        await Expect(session.Page.Locator("#lang-en")).ToHaveCSSAsync("font-weight", "700");
    }

    /// <summary>Fails with the German words found and where, so a missing translation is named.</summary>
    private static async Task AssertEnglishAsync(UiSession session, string page, bool interactive = true)
    {
        if (interactive)
        {
            await session.WaitUntilInteractiveAsync();
        }

        var text = await session.Page.Locator("body").InnerTextAsync();
        Assert.False(string.IsNullOrWhiteSpace(text), $"The {page} page shows nothing.");
        var labels = await session.Page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('[aria-label],[title],[placeholder]')].map(e => [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('placeholder')].filter(Boolean).join(' '))");
        var title = await session.Page.TitleAsync();
        var all = string.Join("\n", [text, title, .. labels]);
        // innerText follows CSS text-transform (buttons are upper case), so case is ignored.
        var found = GermanUiWords.Where(word => Regex.IsMatch(all, $"(?<![\\p{{L}}-]){Regex.Escape(word)}", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase))
            .Select(word => $"{word} in “{Around(all, word)}”").ToList();
        Assert.True(found.Count == 0, $"German on the {page} page in English: {string.Join("; ", found)}");
    }

    private static string Around(string text, string word)
    {
        var at = text.IndexOf(word, StringComparison.Ordinal);
        var start = Math.Max(0, at - 40);
        return text.Substring(start, Math.Min(text.Length - start, word.Length + 80)).ReplaceLineEndings(" ");
    }
}
