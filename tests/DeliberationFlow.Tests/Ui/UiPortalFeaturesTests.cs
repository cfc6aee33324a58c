using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>The portal's own features in the browser: calendar feed, followed papers, notification settings, revocation.</summary>
[Collection(HostCollection.Name)]
public sealed class UiPortalFeaturesTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Councillor_DownloadsTheCalendar_FollowsAPaper_KeepsASetting_AndRevokesTheFeed()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await test.RegisterAsync("admin", new RegisterPaperRequest("21-60001", "Radverkehrskonzept 2030", "Beschlussvorlage", "fb10", null, true, null, null));
        await using var councillor = await UiSession.SignInAsync(chromium, test, "ratsmitglied");
        var page = councillor.Page;

        // The next meeting, and the calendar the portal hands out for it.
        await page.Locator("#nav-portal").ClickAsync();
        await councillor.WaitUntilInteractiveAsync();
        var fpa = page.Locator(".portal-meeting", new() { HasText = "29.04.2021" });
        await Expect(fpa).ToContainTextAsync("Finanz- und Personalausschuss");
        var meetingId = Guid.Parse((await fpa.GetAttributeAsync("data-meeting"))!);
        await Expect(page.Locator("#no-followed-papers")).ToBeVisibleAsync();
        await councillor.ScreenshotAsync("portal-overview");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#calendar-download").ClickAsync());
        var calendar = Ical.Net.Calendar.Load(await File.ReadAllTextAsync((await download.PathAsync())!))!;
        var meeting = Assert.Single(calendar.Events, e => e.Uid == $"meeting-{meetingId:N}@deliberationflow");
        Assert.StartsWith("Finanz- und Personalausschuss", meeting.Summary);
        Assert.Equal(new DateOnly(2021, 4, 29), DateOnly.FromDateTime(meeting.DtStart!.Value));

        var oldFeedUrl = await page.Locator("#calendar-url input").InputValueAsync();
        Assert.StartsWith(test.BaseUrl.TrimEnd('/') + "/api/calendar/", oldFeedUrl);
        Assert.Equal(200, (await page.APIRequest.GetAsync(oldFeedUrl)).Status);

        // Following from the paper's page shows the paper in the portal.
        await fpa.Locator("a", new() { HasText = "21-60001" }).ClickAsync();
        await Expect(page.Locator("#paper-title")).ToHaveTextAsync("Radverkehrskonzept 2030");
        await Expect(page.Locator("#follow-paper")).ToHaveAttributeAsync("data-following", "no");
        await page.Locator("#follow-paper").ClickAsync();
        await Expect(page.Locator("#follow-paper")).ToHaveAttributeAsync("data-following", "yes");
        await councillor.ScreenshotAsync("paper-followed");

        await councillor.GotoAsync("/portal");
        var followed = page.Locator("#followed-papers tr[data-paper='21-60001']");
        await Expect(followed).ToContainTextAsync("Radverkehrskonzept 2030");
        await Expect(followed.Locator("a")).ToHaveAttributeAsync("href", "/papers/21-60001");

        // A committee is followed from the portal (its public agendas then come by e-mail), and unfollowed there.
        await MudSelects.ChooseAsync(page, "#follow-committee", "Planungs- und Umweltausschuss");
        await page.Locator("#follow-committee-button").ClickAsync();
        var committee = page.Locator("#followed-committees tr[data-committee='plua']");
        await Expect(committee).ToContainTextAsync("Planungs- und Umweltausschuss");
        await committee.Locator(".unfollow").ClickAsync();
        await Expect(page.Locator("#followed-committees")).ToHaveCountAsync(0);

        // A setting changed is kept after a reload; mandatory kinds cannot be switched.
        var reminder = page.Locator("[data-kind='reminder'] input");
        await Expect(reminder).ToBeCheckedAsync();
        await Expect(page.Locator("[data-kind='invitation'] input")).ToBeDisabledAsync();
        await Expect(page.Locator("#mandatory-reason")).ToContainTextAsync("lassen sich nicht abbestellen");
        // The settings are a form: it carries the antiforgery token as every form of the service does.
        await Expect(page.Locator("form#notification-settings input[name='__RequestVerificationToken']")).ToHaveCountAsync(1);
        await page.Locator("[data-kind='reminder'] label").ClickAsync();
        await Expect(reminder).Not.ToBeCheckedAsync();
        await page.Locator("#save-settings").ClickAsync();
        await Expect(page.Locator("#settings-saved")).ToBeVisibleAsync();
        await Expect(page.Locator("#save-settings")).ToBeEnabledAsync();
        await councillor.ScreenshotAsync("portal-settings-saved");

        await page.ReloadAsync();
        await councillor.WaitUntilInteractiveAsync();
        await Expect(page.Locator("[data-kind='invitation'] input")).ToBeCheckedAsync();
        await Expect(page.Locator("[data-kind='reminder'] input")).Not.ToBeCheckedAsync();
        await Expect(page.Locator("[data-kind='outcome-notice'] input")).ToBeCheckedAsync();

        // Revoking asks first, says old links stop working, and then the old feed URL is gone (the API answers 404).
        await page.Locator("#calendar-revoke").ClickAsync();
        await Expect(page.Locator("#calendar-revoke-confirm")).ToContainTextAsync("funktionieren danach nicht mehr");
        await councillor.ScreenshotAsync("portal-calendar-revoke");
        await page.Locator("#calendar-revoke-yes").ClickAsync();
        await Expect(page.Locator("#calendar-revoked")).ToBeVisibleAsync();
        await Expect(page.Locator("#calendar-url input")).Not.ToHaveValueAsync(oldFeedUrl);
        var newFeedUrl = await page.Locator("#calendar-url input").InputValueAsync();

        Assert.Equal(404, (await page.APIRequest.GetAsync(oldFeedUrl)).Status);
        var fresh = await page.APIRequest.GetAsync(newFeedUrl);
        Assert.Equal(200, fresh.Status);
        Assert.Contains($"meeting-{meetingId:N}@deliberationflow", await fresh.TextAsync());

        // Unfollowing from the portal empties the list.
        await followed.Locator(".unfollow").ClickAsync();
        await Expect(page.Locator("#no-followed-papers")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Jana once chose one message per item. Her page offers to follow the body's setting and says what it is now; she
    /// chooses it, saves, and it is stored and still chosen after a reload, where the admin's later change of the default
    /// shows.
    /// </summary>
    [Fact]
    public async Task Councillor_WhoChoseOneMessagePerItem_ChoosesToFollowTheBodysDefault()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        const string preferences = "/api/me/notification-preferences";
        var jana = test.ClientFor("ratsmitglied");
        await Http.EnsureAsync(await jana.PutAsJsonAsync(preferences, new SavePreferencesRequest(null, false, null)), HttpStatusCode.OK);
        await using var councillor = await UiSession.SignInAsync(chromium, test, "ratsmitglied");
        await councillor.GotoAsync("/portal");
        var page = councillor.Page;
        var followBody = page.Locator("[data-delivery=bodyDefault]");
        await Expect(page.Locator("[data-delivery=perItem] input")).ToBeCheckedAsync();
        await Expect(followBody.Locator("input")).Not.ToBeCheckedAsync();
        await Expect(followBody).ToHaveTextAsync("Einstellung der Körperschaft folgen (derzeit: eine Sammelnachricht je Sitzung)");

        await followBody.Locator("input").CheckAsync();
        await page.Locator("#save-settings").ClickAsync();
        await Expect(page.Locator("#settings-saved")).ToBeVisibleAsync();
        await councillor.ScreenshotAsync("portal-delivery-body-default");
        var stored = (await jana.GetFromJsonAsync<PreferencesView>(preferences))!;
        Assert.Equal((true, true), (stored.Digest, stored.DigestFromBody));

        await Http.EnsureAsync(await test.ClientFor("admin").PutAsJsonAsync("/api/notification-settings", new SaveBodyNotificationSettingsRequest(false)), HttpStatusCode.OK);
        await page.ReloadAsync();
        await councillor.WaitUntilInteractiveAsync();
        await Expect(followBody.Locator("input")).ToBeCheckedAsync();
        await Expect(followBody).ToHaveTextAsync("Einstellung der Körperschaft folgen (derzeit: eine Nachricht je Tagesordnungspunkt)");
        await Expect(page.Locator("[data-delivery=perItem] input")).Not.ToBeCheckedAsync();
    }

    [Fact]
    public async Task Portal_InEnglish_ShowsItsSections_InEnglish()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var councillor = await UiSession.SignInAsync(chromium, test, "ratsmitglied");
        await councillor.GotoAsync("/portal");
        await councillor.Page.Locator("#lang-en").ClickAsync();
        await councillor.WaitUntilInteractiveAsync();

        await Expect(councillor.Page.Locator("#portal-followed")).ToContainTextAsync("Papers I follow");
        await Expect(councillor.Page.Locator("#portal-calendar")).ToContainTextAsync("Revoke address");
        await Expect(councillor.Page.Locator("#portal-notifications")).ToContainTextAsync("cannot be turned off");
        await councillor.ScreenshotAsync("portal-english");
    }
}
