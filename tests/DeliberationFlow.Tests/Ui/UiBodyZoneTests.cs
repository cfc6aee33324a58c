using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Definitions;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>Pages show instants, and take a meeting's new start, in the body's configured zone, not in a fixed Europe/Berlin.</summary>
[Collection(HostCollection.Name)]
public sealed class UiBodyZoneTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task VersionTimes_FollowTheBodysTimeZone()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var session = await UiSession.SignInAsync(chromium, test, "admin");
        var created = await test.App.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ICouncilDb>();
            var admin = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "admin");
            var caller = new Caller(admin.Id, admin.UserName, admin.BodyId, admin.Role, admin.CommitteeIds.ToHashSet(), admin.PersonId);
            var definitions = await s.GetRequiredService<ListDefinitions>().HandleAsync(caller, CancellationToken.None);
            return definitions.Single(d => d.DefinitionId == "beschlussvorlage").Versions[0].CreatedAt;
        });
        string Shown(string zone) => TimeZoneInfo.ConvertTime(created, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToString("dd.MM.yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(Shown("Europe/Berlin"), Shown("America/New_York"));

        var version1 = session.Page.Locator("#versions-table tbody tr").Last;
        await session.GotoAsync("/studio/definitions/beschlussvorlage/versions");
        await Expect(version1).ToContainTextAsync(Shown("Europe/Berlin"));

        await SetBodyZoneAsync(test, "America/New_York");
        await session.GotoAsync("/studio/definitions/beschlussvorlage/versions");
        await Expect(version1).ToContainTextAsync(Shown("America/New_York"));
        await session.ScreenshotAsync("studio-versions-body-zone");
    }

    [Fact]
    public async Task MeetingTimes_AreShownAndMovedInTheBodysTimeZone()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17311", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        var meetingId = paper.Consultations[0].MeetingId!.Value;
        Assert.Equal(Berlin.At(2021, 4, 29, 15, 0), paper.Consultations[0].MeetingStart);

        // A body on London time: the FPA meeting at 15:00 in Berlin is at 14:00 there.
        await SetBodyZoneAsync(test, "Europe/London");
        await using var fpa = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");
        var page = fpa.Page;
        await fpa.GotoAsync("/workspace");
        await Expect(page.Locator("text=29.04.2021 14:00").First).ToBeVisibleAsync();

        await fpa.GotoAsync($"/workspace/meetings/{meetingId}");
        await Expect(page.Locator("text=29.04.2021 14:00").First).ToBeVisibleAsync();
        await Expect(page.Locator("#meeting-new-start input")).ToHaveValueAsync("2021-04-29T14:00");

        // The new start is typed in the body's time, as the field showed it, and kept at that hour.
        await page.Locator("#meeting-new-start input").FillAsync("2021-05-06T14:00");
        await page.Locator("#meeting-change-reason input").FillAsync("Raum belegt");
        await page.Locator("#meeting-move").ClickAsync();
        await Expect(page.Locator("#meeting-new-start input")).ToHaveValueAsync("2021-05-06T14:00");
        await Expect(page.Locator("text=06.05.2021 14:00").First).ToBeVisibleAsync();
        Assert.Equal(Berlin.At(2021, 5, 6, 15, 0), (await test.GetPaperAsync("admin", paper.Id)).Consultations[0].MeetingStart);
        await fpa.ScreenshotAsync("meeting-body-zone");
    }

    /// <summary>The demo city's configured zone, as an admin would set it for a body elsewhere.</summary>
    private static Task<int> SetBodyZoneAsync(TestApp test, string zone) => test.App.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<ICouncilDb>();
        var admin = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "admin");
        var body = await db.Bodies.SingleAsync(b => b.Id == admin.BodyId);
        body.TimeZone = zone;
        return await db.SaveChangesAsync(CancellationToken.None);
    });
}
