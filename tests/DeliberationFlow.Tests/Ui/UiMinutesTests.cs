using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>A councillor opens a meeting's results from the portal: open before the meeting, the recorded result after it.</summary>
[Collection(HostCollection.Name)]
public sealed class UiMinutesTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task ACouncillor_FindsTheResultsOfTheirCommitteesMeeting_FromThePortal()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17701", "Radweg Hamburger Straße", "Beschlussvorlage", "fb61", null, true, null, null));
        var meetingId = paper.Consultations[0].MeetingId!.Value;

        await using (var before = await UiSession.SignInAsync(chromium, test, "ratsmitglied"))
        {
            await before.GotoAsync("/portal");
            await before.Page.Locator($"[data-meeting='{meetingId}'] .to-minutes").ClickAsync();
            await before.WaitUntilInteractiveAsync();
            await Expect(before.Page.Locator("#minutes-not-begun")).ToBeVisibleAsync();
            await Expect(before.Page.Locator("#minutes-items tr[data-reference='21-17701'] .result")).ToHaveTextAsync("offen");
        }

        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", paper.Consultations[0].Id,
            new RecordOutcomeRequest("AdoptedAmended", "geändert beschlossen", "Mit Tempo 30 im Abschnitt Nord.", VotesFor: 9, VotesAgainst: 2, Abstentions: 1)), System.Net.HttpStatusCode.OK);

        await using var after = await UiSession.SignInAsync(chromium, test, "ratsmitglied");
        await after.GotoAsync($"/meetings/{meetingId}/minutes");
        var result = after.Page.Locator("#minutes-items tr[data-reference='21-17701'] .result");
        await Expect(result).ToContainTextAsync("geändert beschlossen (9 dafür, 2 dagegen, 1 Enthaltung)");
        await Expect(result.Locator(".resolution")).ToHaveTextAsync("Mit Tempo 30 im Abschnitt Nord.");
        await Expect(after.Page.Locator("#minutes-not-begun")).ToHaveCountAsync(0);
        await after.ScreenshotAsync("minutes");

        // From the paper, the date of its FPA step leads to the same results.
        await after.GotoAsync("/papers/21-17701");
        await after.Page.Locator("#beratungsfolge tbody tr").First.Locator("a.to-minutes").ClickAsync();
        await Expect(after.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/meetings/{meetingId}/minutes$"));
        await Expect(after.Page.Locator("#minutes-items tr[data-reference='21-17701'] .result")).ToContainTextAsync("geändert beschlossen");
    }
}
