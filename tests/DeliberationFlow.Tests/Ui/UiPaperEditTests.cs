using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>Vorlage bearbeiten on the paper's page: a secretary corrects title, lead office and publicity and sees it in the Verlauf; councillors get neither.</summary>
[Collection(HostCollection.Name)]
public sealed class UiPaperEditTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Secretary_CorrectsThePaper_AWrongFieldIsMarked_AndTheJournalKeepsIt()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-70041", "Sanierung Stadbad", "Beschlussvorlage", "fb10", null, true, null, null));

        await using var councillor = await UiSession.SignInAsync(chromium, test, "ratsmitglied");
        await councillor.GotoAsync("/papers/21-70041");
        await councillor.WaitUntilInteractiveAsync();
        await Expect(councillor.Page.Locator("#paper-title")).ToHaveTextAsync("Sanierung Stadbad");
        await Expect(councillor.Page.Locator("#paper-edit-panel")).ToHaveCountAsync(0);
        await Expect(councillor.Page.Locator("#paper-history-panel")).ToHaveCountAsync(0);

        await using var fpa = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");
        var page = fpa.Page;
        await fpa.GotoAsync("/papers/21-70041");
        await fpa.WaitUntilInteractiveAsync();
        await page.Locator("#paper-edit-panel").ClickAsync();
        await Expect(page.Locator("#edit-name textarea").First).ToHaveValueAsync("Sanierung Stadbad");

        // An empty title is marked at its field, and nothing is saved.
        await page.Locator("#edit-name textarea").First.FillAsync("");
        await page.Locator("#edit-save").ClickAsync();
        await Expect(page.Locator("#edit-invalid")).ToBeVisibleAsync();
        await Expect(page.Locator("#edit-name")).ToContainTextAsync("required");
        Assert.Equal("Sanierung Stadbad", (await test.GetPaperAsync("admin", paper.Id)).Name);

        await page.Locator("#edit-name textarea").First.FillAsync("Sanierung Stadtbad Nord");
        await MudSelects.ChooseAsync(page, "#edit-lead-office", "20 Fachbereich Finanzen");
        await page.Locator("#edit-public input").UncheckAsync();
        await page.Locator("#edit-reason input").FillAsync("Personenbezogene Angaben in der Anlage");
        await fpa.ScreenshotAsync("paper-edit");
        await page.Locator("#edit-save").ClickAsync();

        await Expect(page.Locator("#edit-saved")).ToBeVisibleAsync();
        await Expect(page.Locator("#paper-title")).ToHaveTextAsync("Sanierung Stadtbad Nord");
        await Expect(page.Locator("#paper-public")).ToHaveTextAsync("nicht öffentlich");
        await Expect(page.Locator("#paper-header")).ToContainTextAsync("20 Fachbereich Finanzen");

        // The paper's Verlauf shows the change first, with who made it, above the planning of its first step.
        await page.Locator("#paper-history-panel").ClickAsync();
        var newest = page.Locator("#paper-history tbody tr").First;
        await Expect(newest).ToContainTextAsync("Vorlage geändert: Titel „Sanierung Stadbad“ → „Sanierung Stadtbad Nord“");
        await Expect(newest).ToContainTextAsync("sekretariat-fpa");
        await Expect(newest).ToContainTextAsync("01.04.2021 09:00");
        await Expect(page.Locator("#paper-history")).ToContainTextAsync("Finanz- und Personalausschuss: eingeplant in die Sitzung am 29.04.2021");
        var edited = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal(("Sanierung Stadtbad Nord", "fb20", false), (edited.Name, edited.LeadOffice!.Key, edited.IsPublic));
        var entry = Assert.Single(edited.Journal, j => j.Kind == "PaperEdited");
        Assert.Equal("sekretariat-fpa", entry.Actor);
        Assert.Contains("jetzt nicht öffentlich (vorher öffentlich)", entry.Message, StringComparison.Ordinal);
        Assert.EndsWith("Grund: Personenbezogene Angaben in der Anlage", entry.Message, StringComparison.Ordinal);

        // Non-public now: a member of the FPA, where it is consulted, still reads it; the PlUA's secretary no longer finds it.
        await councillor.GotoAsync("/papers/21-70041");
        await Expect(councillor.Page.Locator("#paper-public")).ToHaveTextAsync("nicht öffentlich");
        await using var plua = await UiSession.SignInAsync(chromium, test, "sekretariat-plua");
        await plua.GotoAsync("/papers/21-70041");
        await Expect(plua.Page.Locator("#paper-problem")).ToBeVisibleAsync();
    }
}
