using System.Net.Http.Json;
using DeliberationFlow.Council.Circulations;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using DeliberationFlow.Tests.Integration;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>
/// The Umlaufverfahren in the browser: the Verwaltungsausschuss's secretary starts it on the paper's page, where the
/// outcome would be entered; a member finds it in the portal and answers there.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UiCirculationTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task TheSecretaryStartsItOnThePapersPage_AMemberAnswersInThePortal()
    {
        await using var test = await TestApp.StartOnLoopbackAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var (_, va) = await CirculationTests.VaStepOnDraftAgendaAsync(test, "21-16105");
        await CirculationTests.AddMemberAccountsAsync(test);
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 30, 10, 0));

        await using var secretary = await UiSession.SignInAsync(chromium, test, "sekretariat-va");
        await secretary.GotoAsync("/papers/21-16105");
        await secretary.WaitUntilInteractiveAsync();
        var page = secretary.Page;
        await page.Locator("#circulation-resolution textarea").FillAsync("Der Verwaltungsausschuss empfiehlt dem Rat die Neuordnung der Stabsstelle.");
        await page.Locator("#circulation-deadline input").FillAsync("2021-05-12T12:00");
        await page.Locator("#circulation-start").ClickAsync();
        var card = page.Locator($".circulation[data-consultation='{va.Id}']");
        await Expect(card).ToHaveAttributeAsync("data-status", "Open");
        await Expect(card).ToContainTextAsync("12.05.2021 12:00");
        await Expect(card.Locator(".circulation-votes tbody tr")).ToHaveCountAsync(5);
        await Expect(page.Locator("#circulation-start")).ToHaveCountAsync(0);
        await secretary.ScreenshotAsync("circulation-started");

        await using var member = await UiSession.SignInAsync(chromium, test, "tobias.muster", CirculationTests.Password);
        await member.GotoAsync("/portal");
        await member.WaitUntilInteractiveAsync();
        var open = member.Page.Locator("#portal-circulations .circulation");
        await Expect(open).ToHaveCountAsync(1);
        await Expect(open).ToContainTextAsync("21-16105");
        await open.Locator(".answer-for").ClickAsync();
        await Expect(open.Locator(".circulation-mine")).ToContainTextAsync("Zustimmung");
        await Expect(open.Locator(".answer-for")).ToHaveCountAsync(0);
        await member.ScreenshotAsync("circulation-answered");

        // Taken as through the API: one answer on record, from him.
        var state = (await test.ClientFor("sekretariat-va").GetFromJsonAsync<CirculationView>($"/api/consultations/{va.Id}/circulation"))!;
        Assert.Equal(1, state.Answered);
        Assert.Equal("For", state.Votes.Single(v => v.Name == "Tobias Muster").Answer);
    }
}
