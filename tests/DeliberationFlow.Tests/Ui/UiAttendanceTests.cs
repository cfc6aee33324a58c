using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>The secretary records who attended on the outcomes screen; the minutes show it with the quorum.</summary>
[Collection(HostCollection.Name)]
public sealed class UiAttendanceTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Secretary_RecordsAttendance_OnTheOutcomesScreen_AndTheMinutesShowIt()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17801", "Radweg Hamburger Straße", "Beschlussvorlage", "fb61", null, true, null, null));
        var meetingId = paper.Consultations[0].MeetingId!.Value;
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));

        await using var fpa = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");
        var page = fpa.Page;
        await fpa.GotoAsync($"/workspace/meetings/{meetingId}/outcomes");
        await fpa.WaitUntilInteractiveAsync();
        await Expect(page.Locator("#attendance-panel")).ToContainTextAsync("Anwesenheit (noch nicht erfasst)");
        await page.Locator("#attendance-panel").ClickAsync();

        // Everyone present, then two of the five excused or absent: three of five seats, quorate.
        await page.Locator("#attendance-all").ClickAsync();
        var table = page.Locator("#attendance-table");
        await table.Locator("tr", new() { HasText = "Aylin Demir" }).GetByText("entschuldigt").ClickAsync();
        await table.Locator("tr", new() { HasText = "Sabine Krüger" }).GetByText("abwesend").ClickAsync();
        await page.Locator("#attendance-save").ClickAsync();

        await Expect(page.Locator("#attendance-quorum")).ToHaveTextAsync("beschlussfähig");
        await Expect(page.Locator("#attendance-panel")).ToContainTextAsync("Anwesenheit: 3 von 5 stimmberechtigten Sitzen besetzt");
        await Expect(page.Locator("#attendance-save")).ToBeDisabledAsync();
        await Expect(page.Locator("#attendance-no-quorum")).ToHaveCountAsync(0);
        await fpa.ScreenshotAsync("attendance");

        // A third seat empty: two of five, not quorate; the screen says what that means before a vote is refused.
        await table.Locator("tr", new() { HasText = "Petra Vogel" }).GetByText("entschuldigt").ClickAsync();
        await page.Locator("#attendance-save").ClickAsync();
        await Expect(page.Locator("#attendance-quorum")).ToHaveTextAsync("nicht beschlussfähig");
        await Expect(page.Locator("#attendance-no-quorum")).ToContainTextAsync("Beschlüsse lassen sich nicht erfassen");
        await table.Locator("tr", new() { HasText = "Petra Vogel" }).GetByText("anwesend").ClickAsync();
        await page.Locator("#attendance-save").ClickAsync();
        await Expect(page.Locator("#attendance-quorum")).ToHaveTextAsync("beschlussfähig");

        await using var councillor = await UiSession.SignInAsync(chromium, test, "ratsmitglied");
        await councillor.GotoAsync($"/meetings/{meetingId}/minutes");
        var attendance = councillor.Page.Locator("#minutes-attendance");
        await Expect(attendance).ToContainTextAsync("beschlussfähig (3 von 5 stimmberechtigten Sitzen besetzt)");
        await Expect(attendance.Locator(".attendance-present")).ToContainTextAsync("Jana Beispiel");
        await Expect(attendance.Locator(".attendance-excused")).ToHaveTextAsync("entschuldigt: Aylin Demir");
        await Expect(attendance.Locator(".attendance-absent")).ToHaveTextAsync("abwesend: Sabine Krüger");
    }
}
