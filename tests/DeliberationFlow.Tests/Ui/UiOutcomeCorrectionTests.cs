using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>Correcting a recorded outcome on the paper's page, as the committee's secretary; others do not get the form.</summary>
[Collection(HostCollection.Name)]
public sealed class UiOutcomeCorrectionTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Secretary_CorrectsTheWordingAndTally_OnThePaperPage_AndTheBeratungsfolgeShowsIt()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-70031", "Radweg Hamburger Straße", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", paper.Consultations[0].Id,
            new RecordOutcomeRequest("Adopted", "einstimmig beschlossen", null, VotesFor: 9, VotesAgainst: 0, Abstentions: 0)), System.Net.HttpStatusCode.OK);

        await using var plua = await UiSession.SignInAsync(chromium, test, "sekretariat-plua");
        await plua.GotoAsync("/papers/21-70031");
        await plua.WaitUntilInteractiveAsync();
        await Expect(plua.Page.Locator("#beratungsfolge")).ToContainTextAsync("einstimmig beschlossen");
        await Expect(plua.Page.Locator("#correction-panel")).ToHaveCountAsync(0);

        await using var fpa = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");
        await fpa.GotoAsync("/papers/21-70031");
        await fpa.WaitUntilInteractiveAsync();
        await fpa.Page.Locator("#correction-panel").ClickAsync();
        await fpa.Page.Locator($"#correction-consultation [data-consultation='{paper.Consultations[0].Id}']").ClickAsync();
        await Expect(fpa.Page.Locator("#correction-text input")).ToHaveValueAsync("einstimmig beschlossen");
        await fpa.Page.Locator("#correction-text input").FillAsync("mehrheitlich beschlossen");
        await fpa.Page.Locator("#correction-for input").FillAsync("8");
        await fpa.Page.Locator("#correction-against input").FillAsync("1");
        await fpa.Page.Locator("#correction-reason input").FillAsync("Zählfehler im Protokoll");
        await fpa.ScreenshotAsync("outcome-correction");
        await fpa.Page.Locator("#correction-save").ClickAsync();

        await Expect(fpa.Page.Locator("#beratungsfolge tbody tr").First).ToContainTextAsync("mehrheitlich beschlossen");
        var corrected = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal(("mehrheitlich beschlossen", 8, 1, 0), (corrected.Consultations[0].ResultText, corrected.Consultations[0].Votes!.For, corrected.Consultations[0].Votes!.Against, corrected.Consultations[0].Votes!.Abstentions));
        Assert.Contains(corrected.Journal, j => j.Kind == "OutcomeCorrected" && j.Actor == "sekretariat-fpa" && j.Message.Contains("Zählfehler im Protokoll", StringComparison.Ordinal));
    }
}
