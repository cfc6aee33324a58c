using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Definitions;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>The studio shows instants in the body's configured zone, not in a fixed Europe/Berlin.</summary>
[Collection(HostCollection.Name)]
public sealed class StudioBodyZoneTests(Chromium chromium) : IClassFixture<Chromium>
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

        await test.App.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ICouncilDb>();
            var admin = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "admin");
            var body = await db.Bodies.SingleAsync(b => b.Id == admin.BodyId);
            body.TimeZone = "America/New_York";
            return await db.SaveChangesAsync(CancellationToken.None);
        });
        await session.GotoAsync("/studio/definitions/beschlussvorlage/versions");
        await Expect(version1).ToContainTextAsync(Shown("America/New_York"));
        await session.ScreenshotAsync("studio-versions-body-zone");
    }
}
