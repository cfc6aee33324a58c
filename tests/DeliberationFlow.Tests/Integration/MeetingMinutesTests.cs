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
}
