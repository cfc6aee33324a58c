using System.Net.Http.Json;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>The secretary moves, cancels and marks held a meeting on its page; the papers, their timers and the members follow.</summary>
[Collection(HostCollection.Name)]
public sealed class UiMeetingChangeTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Secretary_MovesTheMeeting_ThenCancelsIt_ItsPaperFollowsAndTheMembersAreTold()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17301", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        var meetingId = paper.Consultations[0].MeetingId!.Value;
        await using var fpa = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");
        await fpa.GotoAsync($"/workspace/meetings/{meetingId}");
        var page = fpa.Page;
        await Expect(page.Locator("#meeting-new-start input")).ToHaveValueAsync("2021-04-29T15:00");

        // Without a reason nothing moves.
        await page.Locator("#meeting-new-start input").FillAsync("2021-05-06T15:00");
        await page.Locator("#meeting-move").ClickAsync();
        await Expect(page.Locator("#meeting-change-problem")).ToContainTextAsync("reason");
        Assert.Equal(Berlin.At(2021, 4, 29, 15, 0), (await test.GetPaperAsync("admin", paper.Id)).Consultations[0].MeetingStart);

        await page.Locator("#meeting-change-reason input").FillAsync("Raum belegt");
        await page.Locator("#meeting-move").ClickAsync();
        await Expect(page.Locator("#meeting-change-report")).ToContainTextAsync("21-17301: Finanz- und Personalausschuss verlegt; Beratung jetzt 06.05.2021 15:00.");
        await Expect(page.Locator("text=06.05.2021 15:00").First).ToBeVisibleAsync();
        await Expect(page.Locator("#meeting-new-start input")).ToHaveValueAsync("2021-05-06T15:00");
        Assert.Equal(Berlin.At(2021, 5, 6, 15, 0), (await test.GetPaperAsync("admin", paper.Id)).Consultations[0].MeetingStart);
        Assert.NotEmpty(await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Sitzung verlegt: Finanz- und Personalausschuss", StringComparison.Ordinal), 1));
        await fpa.ScreenshotAsync("meeting-moved");

        // Cancelling needs the tick; then the paper goes to the committee's next meeting.
        await Expect(page.Locator("#meeting-cancel")).ToBeDisabledAsync();
        await page.Locator("#meeting-change-reason input").FillAsync("Beschlussunfähigkeit absehbar");
        await page.Locator("#meeting-cancel-confirm input").CheckAsync();
        await page.Locator("#meeting-cancel").ClickAsync();
        await Expect(page.Locator("#meeting-change-report")).ToContainTextAsync("21-17301: Finanz- und Personalausschuss fällt aus");
        await Expect(page.Locator("text=abgesagt").First).ToBeVisibleAsync();
        await Expect(page.Locator("#meeting-change")).ToHaveCountAsync(0);
        var after = (await test.GetPaperAsync("admin", paper.Id)).Consultations[0];
        Assert.NotEqual(meetingId, after.MeetingId);
        Assert.True(after.MeetingStart > Berlin.At(2021, 5, 6, 15, 0));
    }

    [Fact]
    public async Task AMeetingThatTookPlace_IsMarkedHeld_NotMoved()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17302", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        var meetingId = paper.Consultations[0].MeetingId!.Value;
        await test.MoveClockToAsync(Berlin.At(2021, 4, 30, 9, 0));
        await using var fpa = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");
        await fpa.GotoAsync($"/workspace/meetings/{meetingId}");

        await Expect(fpa.Page.Locator("#meeting-move")).ToHaveCountAsync(0);
        await fpa.Page.Locator("#meeting-held").ClickAsync();

        await Expect(fpa.Page.Locator("text=durchgeführt").First).ToBeVisibleAsync();
        await Expect(fpa.Page.Locator("#meeting-change")).ToHaveCountAsync(0);
        var meetings = await test.ClientFor("admin").GetFromJsonAsync<MeetingList>("/api/meetings?committee=fpa");
        Assert.Equal("Held", meetings!.Meetings.Single(m => m.Id == meetingId).State);
    }
}
