using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;

namespace DeliberationFlow.Tests.Integration;

/// <summary>A meeting's results item by item, as recorded, and a non-public item only for those who may see it.</summary>
[Collection(HostCollection.Name)]
public sealed class MeetingMinutesTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task TheMinutes_ListEachItemWithItsRecordedResult_OpenOnesMarked_NonPublicOnesOnlyForThoseWhoMaySeeThem(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var open = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17601", "Radweg Hamburger Straße", "Beschlussvorlage", "fb61", null, true, null, null));
        var closed = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17602", "Grundstücksankauf", "Beschlussvorlage", "fb10", null, false, null, null));
        var meetingId = open.Consultations[0].MeetingId!.Value;
        Assert.Equal(meetingId, closed.Consultations[0].MeetingId);

        var before = (await test.ClientFor("admin").GetFromJsonAsync<MinutesView>($"/api/meetings/{meetingId}/minutes"))!;
        Assert.False(before.Begun);

        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", open.Consultations[0].Id,
            new RecordOutcomeRequest("AdoptedAmended", "geändert beschlossen", "Mit Tempo 30 im Abschnitt Nord.", VotesFor: 9, VotesAgainst: 2, Abstentions: 1)), HttpStatusCode.OK);

        var minutes = (await test.ClientFor("sekretariat-fpa").GetFromJsonAsync<MinutesView>($"/api/meetings/{meetingId}/minutes"))!;
        Assert.True(minutes.Begun);
        Assert.Equal("Finanz- und Personalausschuss", minutes.Committee);
        var radweg = Assert.Single(minutes.Items, i => i.PaperReference == "21-17601");
        Assert.Equal(("geändert beschlossen", "Mit Tempo 30 im Abschnitt Nord.", 9, 2, 1), (radweg.ResultText, radweg.ResolutionText, radweg.Votes!.For, radweg.Votes.Against, radweg.Votes.Abstentions));
        var grundstueck = Assert.Single(minutes.Items, i => i.PaperReference == "21-17602");
        Assert.Equal((false, (string?)null), (grundstueck.Public, grundstueck.ResultText));
        Assert.StartsWith("N ", grundstueck.Number, StringComparison.Ordinal);
        Assert.Equal(minutes.Items.Count(i => i.ResultText is null && !i.RemovedFromAgenda), minutes.Open);

        // The PlUA's secretary sees the public result, not the non-public item.
        var plua = (await test.ClientFor("sekretariat-plua").GetFromJsonAsync<MinutesView>($"/api/meetings/{meetingId}/minutes"))!;
        Assert.Contains(plua.Items, i => i.PaperReference == "21-17601" && i.ResultText == "geändert beschlossen");
        Assert.DoesNotContain(plua.Items, i => i.PaperReference == "21-17602");
        Assert.Equal(HttpStatusCode.NotFound, (await test.ClientFor("admin-wf").GetAsync($"/api/meetings/{meetingId}/minutes")).StatusCode);
    }

    /// <summary>
    /// A meeting whose draft agenda was never fixed (no invitation went out): the draft leaves out what is taken off it,
    /// but once the meeting has begun an item recorded abgesetzt in it stays in the minutes, in its place and with the
    /// number the meeting went by; one taken off before the meeting follows, unnumbered, marked abgesetzt. So does the archive.
    /// </summary>
    [Fact]
    public async Task AnItemRecordedAbgesetzt_OnAMeetingWhoseDraftAgendaWasNeverFixed_StaysInTheMinutes_InItsPlace()
    {
        // No reconciliation runs the invitation behind the test's back: the agenda stays a draft until the meeting.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9), settings: TestApp.ReconcileOnlyAtStart);
        var first = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17611", "Spielplatz Westpark", "Beschlussvorlage", "fb61", null, true, null, null));
        var second = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17612", "Parkgebühren", "Beschlussvorlage", "fb10", null, true, null, null));
        var third = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17613", "Baumschutzsatzung", "Beschlussvorlage", "fb61", null, true, null, null));
        var meetingId = first.Consultations[0].MeetingId!.Value;
        Assert.All(new[] { second, third }, p => Assert.Equal(meetingId, p.Consultations[0].MeetingId));
        var fpa = test.ClientFor("sekretariat-fpa");

        // Taken off the draft a week before: the draft (never fixed, no invitation) leaves it out, as drafts do.
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 20, 10, 0));
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", third.Consultations[0].Id, new RecordOutcomeRequest("RemovedFromAgenda", "abgesetzt", null)), HttpStatusCode.OK);
        var draft = (await fpa.GetFromJsonAsync<AgendaView>($"/api/meetings/{meetingId}/agenda"))!;
        Assert.False(draft.Locked);
        Assert.DoesNotContain(draft.Items, i => i.PaperReference == "21-17613");
        var numbers = draft.Items.ToDictionary(i => i.PaperReference, i => i.Number);

        // In the meeting the first is abgesetzt, the second decided.
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", first.Consultations[0].Id, new RecordOutcomeRequest("RemovedFromAgenda", "abgesetzt", null)), HttpStatusCode.OK);
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", second.Consultations[0].Id, new RecordOutcomeRequest("Adopted", "beschlossen", null)), HttpStatusCode.OK);

        var minutes = (await fpa.GetFromJsonAsync<MinutesView>($"/api/meetings/{meetingId}/minutes"))!;
        var removed = Assert.Single(minutes.Items, i => i.PaperReference == "21-17611");
        Assert.True(removed.RemovedFromAgenda);
        Assert.Equal(numbers["21-17611"], removed.Number);
        Assert.Equal(numbers["21-17612"], Assert.Single(minutes.Items, i => i.PaperReference == "21-17612").Number);
        var before = Assert.Single(minutes.Items, i => i.PaperReference == "21-17613");
        Assert.Equal(("", true), (before.Number, before.RemovedFromAgenda));
        Assert.Equal("21-17613", minutes.Items.Last(i => i.Public).PaperReference);
        Assert.Equal(minutes.Items.Count(i => i.ResultText is null && !i.RemovedFromAgenda), minutes.Open);

        var archive = MeetingArchiveTests.Archive.Of(await fpa.GetByteArrayAsync($"/api/meetings/{meetingId}/archive"));
        var html = archive.Text(ExportMeetingArchive.MinutesHtml);
        Assert.Contains("<tr class=\"item removed\" data-reference=\"21-17611\">", html, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"item removed\" data-reference=\"21-17613\">", html, StringComparison.Ordinal);
    }
}
