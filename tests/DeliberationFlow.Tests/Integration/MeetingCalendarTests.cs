using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Integration;

/// <summary>Committee calendars: series and single meetings, and planning across holidays and clock changes.</summary>
[Collection(HostCollection.Name)]
public sealed class MeetingCalendarTests
{
    [Fact]
    public async Task Series_EveryFourthTuesday_KeepsItsLocalTimeAcrossDaylightSaving_AndSkipsExceptions()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 12, 1, 9));
        var secretary = test.ClientFor("sekretariat-fpa");

        var response = await secretary.PostAsJsonAsync("/api/committees/fpa/meetings", new ScheduleMeetingsRequest(
            "2022-01-25T15:00", "FREQ=MONTHLY;BYDAY=4TU", "2022-12-31", ["2022-07-26"], null, "Rathaus, Raum A1.129", "Mixed", 180));

        await Http.EnsureAsync(response, HttpStatusCode.OK);
        var series = (await response.Content.ReadFromJsonAsync<ScheduledMeetings>())!;
        Assert.Equal(11, series.Created.Count);
        Assert.Equal(["2022-07-26"], series.Skipped);
        Assert.All(series.Created, m => Assert.Equal(15, TimeZoneInfo.ConvertTime(m.Start, Berlin.Zone).Hour));
        Assert.Equal(new DateTimeOffset(2022, 3, 22, 14, 0, 0, TimeSpan.Zero), series.Created[2].Start); // CET
        Assert.Equal(new DateTimeOffset(2022, 4, 26, 13, 0, 0, TimeSpan.Zero), series.Created[3].Start); // CEST

        var again = await (await secretary.PostAsJsonAsync("/api/committees/fpa/meetings", new ScheduleMeetingsRequest(
            "2022-01-25T15:00", "FREQ=MONTHLY;BYDAY=4TU", "2022-03-31", null, null, null, null, null))).Content.ReadFromJsonAsync<ScheduledMeetings>();
        Assert.Empty(again!.Created);

        var stranger = await test.ClientFor("sekretariat-plua").PostAsJsonAsync("/api/committees/fpa/meetings", new ScheduleMeetingsRequest("2022-02-01T15:00", null, null, null, null, null, null, null));
        var badRule = await secretary.PostAsJsonAsync("/api/committees/fpa/meetings", new ScheduleMeetingsRequest("2022-02-01T15:00", "EVERY=SOMETIMES", "2022-12-31", null, null, null, null, null));
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
        await Http.EnsureAsync(badRule, HttpStatusCode.BadRequest);
        Assert.Contains("recurrence", await badRule.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImplausibleDates_ASeriesEndingBeforeItStarts_AndOverlongTexts_AreRefusedNamingTheField_AndCreateNothing()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 12, 1, 9));
        var secretary = test.ClientFor("sekretariat-fpa");
        Task<int> CountAsync() => test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Meetings.CountAsync());
        async Task<IDictionary<string, string[]>> RefusedAsync(ScheduleMeetingsRequest request)
        {
            var response = await secretary.PostAsJsonAsync("/api/committees/fpa/meetings", request);
            await Http.EnsureAsync(response, HttpStatusCode.BadRequest);
            return (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors;
        }

        var before = await CountAsync();

        foreach (var start in new[] { "0001-01-01", "9999-12-31T23:59:59", "9999-12-31T20:00", "1989-12-31T15:00", "2100-01-01T15:00" })
        {
            var errors = await RefusedAsync(new ScheduleMeetingsRequest(start, null, null, null, null, null, null, null));
            Assert.Equal(["start"], errors.Keys);
            Assert.Contains("1990 to 2099", errors["start"][0], StringComparison.Ordinal);
        }

        var farUntil = await RefusedAsync(new ScheduleMeetingsRequest("2027-01-01T15:00", "FREQ=WEEKLY", "9999-12-31", null, null, null, null, null));
        Assert.Equal(["until"], farUntil.Keys);
        var endsBefore = await RefusedAsync(new ScheduleMeetingsRequest("2027-01-01T15:00", "FREQ=WEEKLY", "2026-12-31", null, null, null, null, null));
        Assert.Contains("before its first meeting", Assert.Single(endsBefore["until"]), StringComparison.Ordinal);
        var texts = await RefusedAsync(new ScheduleMeetingsRequest(
            "2022-02-01T15:00", null, null, null, new string('n', ScheduleMeetings.MaxNameLength + 1), new string('o', ScheduleMeetings.MaxLocationLength + 1), null, null));
        Assert.Equal(["location", "name"], texts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(before, await CountAsync());

        // The last year and the longest location are taken (and fit their columns); a series' until on its start's day too.
        var last = await secretary.PostAsJsonAsync("/api/committees/fpa/meetings", new ScheduleMeetingsRequest(
            "2099-12-31T15:00", null, null, null, null, new string('o', ScheduleMeetings.MaxLocationLength), null, null));
        await Http.EnsureAsync(last, HttpStatusCode.OK);
        Assert.Equal(ScheduleMeetings.MaxLocationLength, Assert.Single((await last.Content.ReadFromJsonAsync<ScheduledMeetings>())!.Created).Location!.Length);
        var oneDay = await secretary.PostAsJsonAsync("/api/committees/fpa/meetings", new ScheduleMeetingsRequest("2027-01-05T15:00", "FREQ=WEEKLY", "2027-01-05", null, null, null, null, null));
        await Http.EnsureAsync(oneDay, HttpStatusCode.OK);
        Assert.Single((await oneDay.Content.ReadFromJsonAsync<ScheduledMeetings>())!.Created);
        Assert.Equal(before + 2, await CountAsync());
    }

    [Fact]
    public async Task TheVerwaltungsausschuss_IsScheduledInPrivate_AndRefusesAPublicMeeting()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 12, 1, 9));
        var secretary = test.ClientFor("sekretariat-va");

        var refused = await secretary.PostAsJsonAsync("/api/committees/va/meetings", new ScheduleMeetingsRequest("2022-02-01T15:00", null, null, null, null, null, "Public", null));
        await Http.EnsureAsync(refused, HttpStatusCode.BadRequest);
        Assert.Contains("§ 78 Abs. 2 NKomVG", (await refused.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors["publicity"][0], StringComparison.Ordinal);
        var scheduled = await secretary.PostAsJsonAsync("/api/committees/va/meetings", new ScheduleMeetingsRequest("2022-02-01T15:00", null, null, null, null, null, null, null));
        await Http.EnsureAsync(scheduled, HttpStatusCode.OK);
        Assert.Equal("NonPublic", Assert.Single((await scheduled.Content.ReadFromJsonAsync<ScheduledMeetings>())!.Created).Publicity);

        // The Rat, which the same secretary keeps, meets in public unless told otherwise.
        var rat = await secretary.PostAsJsonAsync("/api/committees/rat/meetings", new ScheduleMeetingsRequest("2022-02-08T15:00", null, null, null, null, null, null, null));
        Assert.Equal("Public", Assert.Single((await rat.Content.ReadFromJsonAsync<ScheduledMeetings>())!.Created).Publicity);
    }

    [Fact]
    public async Task AStartWithAnOffset_IsThatInstant_ForANewMeetingAndAMove()
    {
        // "2022-02-01T14:00Z" (JavaScript's toISOString) is 15:00 in Braunschweig; read as a plain date and time it was
        // moved into the server's zone and then taken for Braunschweig's: 14:00 on a server running in UTC.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 12, 1, 9));
        var secretary = test.ClientFor("sekretariat-fpa");

        var utc = await secretary.PostAsJsonAsync("/api/committees/fpa/meetings", new ScheduleMeetingsRequest("2022-02-01T14:00Z", null, null, null, null, null, null, null));
        var offset = await secretary.PostAsJsonAsync("/api/committees/fpa/meetings", new ScheduleMeetingsRequest("2022-06-14T15:00+02:00", null, null, null, null, null, null, null));

        await Http.EnsureAsync(utc, HttpStatusCode.OK);
        await Http.EnsureAsync(offset, HttpStatusCode.OK);
        var winter = Assert.Single((await utc.Content.ReadFromJsonAsync<ScheduledMeetings>())!.Created);
        Assert.Equal(Berlin.At(2022, 2, 1, 15, 0), winter.Start);
        Assert.Equal(Berlin.At(2022, 6, 14, 15, 0), Assert.Single((await offset.Content.ReadFromJsonAsync<ScheduledMeetings>())!.Created).Start);

        var moved = await secretary.PostAsJsonAsync($"/api/meetings/{winter.Id}/change", new ChangeMeetingRequest("move", "2022-02-02T16:30+01:00", "Raum belegt"));
        await Http.EnsureAsync(moved, HttpStatusCode.OK);
        Assert.Equal(Berlin.At(2022, 2, 2, 16, 30), (await moved.Content.ReadFromJsonAsync<MeetingChangeReport>())!.Meeting.Start);
    }

    [Fact]
    public async Task ATimeTheClocksSkip_IsRefusedWhenTyped_ForANewMeetingAndAMove_AndMovedAndNamedInASeries()
    {
        // 29.03.2026, the last Sunday of March: in Braunschweig the clocks go from 02:00 straight to 03:00.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 12, 1, 9));
        var secretary = test.ClientFor("sekretariat-fpa");
        Task<int> CountAsync() => test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Meetings.CountAsync());
        var before = await CountAsync();

        var single = await secretary.PostAsJsonAsync("/api/committees/fpa/meetings", new ScheduleMeetingsRequest("2026-03-29T02:30", null, null, null, null, null, null, null));
        await Http.EnsureAsync(single, HttpStatusCode.BadRequest);
        var errors = (await single.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors;
        Assert.Equal(["start"], errors.Keys);
        Assert.Equal("2026-03-29 02:30 does not exist in Europe/Berlin: that night the clocks go forward by 60 minutes and skip it; did you mean 03:30?", Assert.Single(errors["start"]));
        Assert.Equal(before, await CountAsync());

        var planned = await secretary.PostAsJsonAsync("/api/committees/fpa/meetings", new ScheduleMeetingsRequest("2026-03-28T15:00", null, null, null, null, null, null, null));
        var meeting = Assert.Single((await planned.Content.ReadFromJsonAsync<ScheduledMeetings>())!.Created);
        var move = await secretary.PostAsJsonAsync($"/api/meetings/{meeting.Id}/change", new ChangeMeetingRequest("move", "2026-03-29T02:30", "Raum belegt"));
        await Http.EnsureAsync(move, HttpStatusCode.BadRequest);
        Assert.Contains("did you mean 03:30?", Assert.Single((await move.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors["newStart"]), StringComparison.Ordinal);
        Assert.Equal(Berlin.At(2026, 3, 28, 15, 0), await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Meetings
            .Where(m => m.Id == meeting.Id).Select(m => m.Start).SingleAsync()));

        // A night session every Sunday at 02:30 (the Rat's election night, say): the one of 29.03. is at 03:30 and says so.
        var series = await secretary.PostAsJsonAsync("/api/committees/fpa/meetings", new ScheduleMeetingsRequest(
            "2026-03-22T02:30", "FREQ=WEEKLY;BYDAY=SU", "2026-03-29", null, null, null, null, null));
        await Http.EnsureAsync(series, HttpStatusCode.OK);
        var created = (await series.Content.ReadFromJsonAsync<ScheduledMeetings>())!;
        Assert.Equal([Berlin.At(2026, 3, 22, 2, 30), Berlin.At(2026, 3, 29, 3, 30)], created.Created.Select(m => m.Start));
        Assert.Equal([new MovedOccurrence("2026-03-29", "02:30", "03:30")], created.Moved);

        // 25.10.2026 gives 02:30 twice; a meeting typed for it is the first, still in summer time (as calendars read it).
        var twice = await secretary.PostAsJsonAsync("/api/committees/fpa/meetings", new ScheduleMeetingsRequest("2026-10-25T02:30", null, null, null, null, null, null, null));
        await Http.EnsureAsync(twice, HttpStatusCode.OK);
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), Assert.Single((await twice.Content.ReadFromJsonAsync<ScheduledMeetings>())!.Created).Start);
    }

    [Fact]
    public async Task TheMeetingsList_ComesAPageAtATime_ByCommitteeAndPeriod_AndRefusesABadPageNamingIt()
    {
        // Two years of the FPA's weekly Tuesdays: 104 meetings, which the list handed out whole before.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 12, 1, 9));
        var secretary = test.ClientFor("sekretariat-fpa");
        foreach (var year in new[] { 2022, 2023 })
        {
            await Http.EnsureAsync(await secretary.PostAsJsonAsync("/api/committees/fpa/meetings", new ScheduleMeetingsRequest(
                $"{year}-01-04T15:00", "FREQ=WEEKLY;BYDAY=TU", $"{year}-12-31", null, null, null, null, null)), HttpStatusCode.OK);
        }

        var stored = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Meetings
            .Where(m => m.Start >= Berlin.At(2022, 1, 1, 0) && sp.GetRequiredService<DeliberationDbContext>().Organizations.Any(o => o.Id == m.OrganizationId && o.Key == "fpa"))
            .OrderBy(m => m.Start).Select(m => m.Start).ToListAsync());
        var first = (await secretary.GetFromJsonAsync<MeetingList>("/api/meetings?committee=fpa&from=2022-01-01T00:00:00%2B01:00"))!;
        Assert.Equal((stored.Count, 1, 25), (first.Total, first.Page, first.PageSize));
        Assert.True(first.Total > 100, $"{first.Total} meetings");
        Assert.Equal(stored.Take(25), first.Meetings.Select(m => m.Start));

        var pages = new List<MeetingView>();
        for (var page = 1; pages.Count < first.Total; page++)
        {
            var list = (await secretary.GetFromJsonAsync<MeetingList>($"/api/meetings?committee=fpa&from=2022-01-01T00:00:00%2B01:00&page={page}&pageSize=100"))!;
            Assert.NotEmpty(list.Meetings);
            pages.AddRange(list.Meetings);
        }

        Assert.Equal(stored, pages.Select(m => m.Start));
        var past = (await secretary.GetFromJsonAsync<MeetingList>("/api/meetings?committee=fpa&from=2022-01-01T00:00:00%2B01:00&page=9"))!;
        Assert.Equal((first.Total, 9), (past.Total, past.Page));
        Assert.Empty(past.Meetings);
        var march = (await secretary.GetFromJsonAsync<MeetingList>("/api/meetings?committee=fpa&from=2023-03-01T00:00:00%2B01:00&until=2023-03-31T23:59:00%2B02:00"))!;
        Assert.Equal([Berlin.At(2023, 3, 7, 15), Berlin.At(2023, 3, 14, 15), Berlin.At(2023, 3, 21, 15), Berlin.At(2023, 3, 28, 15)], march.Meetings.Select(m => m.Start));

        var bad = await secretary.GetAsync("/api/meetings?committee=xyz&page=0&pageSize=101");
        await Http.EnsureAsync(bad, HttpStatusCode.BadRequest);
        Assert.Equal(["committee", "page", "pageSize"], (await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ASeriesWithTwoTimesADay_TakesTheFirstOfEachDay_AndSkipsTheOthers()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 12, 1, 9));
        var secretary = test.ClientFor("sekretariat-fpa");

        // A Haushaltsklausur on three days, written as 9:00 and 15:00 each day: a committee meets once a day.
        var response = await secretary.PostAsJsonAsync("/api/committees/fpa/meetings", new ScheduleMeetingsRequest(
            "2022-02-14T09:00", "FREQ=DAILY;BYHOUR=9,15", "2022-02-16", null, "Haushaltsklausur", null, null, 120));

        await Http.EnsureAsync(response, HttpStatusCode.OK);
        var series = (await response.Content.ReadFromJsonAsync<ScheduledMeetings>())!;
        Assert.Equal([Berlin.At(2022, 2, 14, 9, 0), Berlin.At(2022, 2, 15, 9, 0), Berlin.At(2022, 2, 16, 9, 0)], series.Created.Select(m => m.Start));
        Assert.Equal(["2022-02-14", "2022-02-15", "2022-02-16"], series.Skipped);
        var stored = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Meetings
            .CountAsync(m => m.Name == "Haushaltsklausur"));
        Assert.Equal(3, stored);
    }

    [Fact]
    public async Task Series_SkipsThePublicHolidaysOfTheBodysState_AndNamesThem_WhileASingleMeetingOnAHolidayIsTaken()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 12, 1, 9));
        var secretary = test.ClientFor("sekretariat-fpa");

        // Every Thursday in May 2022: the 26th is Christi Himmelfahrt, a public holiday in Lower Saxony.
        var response = await secretary.PostAsJsonAsync("/api/committees/fpa/meetings", new ScheduleMeetingsRequest(
            "2022-05-05T15:00", "FREQ=WEEKLY;BYDAY=TH", "2022-06-03", null, null, null, null, null));

        await Http.EnsureAsync(response, HttpStatusCode.OK);
        var series = (await response.Content.ReadFromJsonAsync<ScheduledMeetings>())!;
        Assert.Equal(["2022-05-05", "2022-05-12", "2022-05-19", "2022-06-02"],
            series.Created.Select(m => TimeZoneInfo.ConvertTime(m.Start, Berlin.Zone).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["2022-05-26"], series.Skipped);
        Assert.Equal([new SkippedHoliday("2022-05-26", "Christi Himmelfahrt")], series.Holidays);

        // A single meeting names its day: a committee that meets on the holiday on purpose is taken at its word.
        var single = (await (await secretary.PostAsJsonAsync("/api/committees/fpa/meetings", new ScheduleMeetingsRequest(
            "2022-05-26T10:00", null, null, null, "Sondersitzung", null, null, null))).Content.ReadFromJsonAsync<ScheduledMeetings>())!;
        Assert.Equal(("Sondersitzung", 0), (Assert.Single(single.Created).Name, single.Holidays.Count));
    }

    [Theory]
    [InlineData("2022-04-19T15:00", "2022-04-01", "19.04.2022", "01.04.2022", "12.04.2022")] // Karfreitag and Ostermontag are no working days
    [InlineData("2022-03-29T15:00", "2022-03-10", "29.03.2022", "15.03.2022", "22.03.2022")] // across the spring change (27.03.)
    [InlineData("2022-11-01T15:00", "2022-10-14", "01.11.2022", "17.10.2022", "25.10.2022")] // across the autumn change (30.10.) and the Reformationstag
    public async Task Projection_CountsTheVorlagenfristInWorkingDays_AcrossHolidaysAndClockChanges(
        string meeting, string registeredOn, string expectedMeeting, string expectedDeadline, string expectedInvitation)
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 12, 1, 9));
        await Http.EnsureAsync(await test.ClientFor("admin").PostAsJsonAsync("/api/committees/fpa/meetings",
            new ScheduleMeetingsRequest(meeting, null, null, null, null, null, null, null)), HttpStatusCode.OK);

        var response = await test.ClientFor("admin").PostAsJsonAsync("/api/projections",
            new ProjectNewPaperRequest("Beschlussvorlage", null, DateOnly.Parse(registeredOn, System.Globalization.CultureInfo.InvariantCulture)));

        await Http.EnsureAsync(response, HttpStatusCode.OK);
        var fpa = (await response.Content.ReadFromJsonAsync<Projection>())!.Steps[0];
        Assert.Equal((expectedMeeting, expectedDeadline, expectedInvitation), (fpa.Date, fpa.SubmissionDeadline, fpa.InvitationDate));
    }
}
