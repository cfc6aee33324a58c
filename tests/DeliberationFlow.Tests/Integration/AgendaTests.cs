using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;

namespace DeliberationFlow.Tests.Integration;

/// <summary>The agenda of a meeting: public, then non-public part; ordered until the invitation, locked after it.</summary>
[Collection(HostCollection.Name)]
public sealed class AgendaTests
{
    [Fact]
    public async Task Agenda_IsNumberedByPart_OrderedUntilTheInvitation_ThenLockedWithNachtraegeAndAbsetzungen()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var a = await RegisterAsync(test, "21-70001", isPublic: true);
        var b = await RegisterAsync(test, "21-70002", isPublic: false);
        var c = await RegisterAsync(test, "21-70003", isPublic: true);
        var meetingId = a.Consultations[0].MeetingId!.Value;

        var agenda = await AgendaAsync(test, "sekretariat-fpa", meetingId);
        Assert.False(agenda.Locked);
        Assert.Equal([("Ö 1", "21-15813"), ("Ö 2", "21-70001"), ("Ö 3", "21-70003"), ("N 1", "21-70002")], agenda.Items.Select(i => (i.Number, i.PaperReference)));
        Assert.DoesNotContain((await AgendaAsync(test, "sekretariat-plua", meetingId)).Items, i => i.PaperReference == "21-70002");
        Assert.Contains((await AgendaAsync(test, "ratsmitglied", meetingId)).Items, i => i.PaperReference == "21-70002");

        var reordered = await test.ClientFor("sekretariat-fpa").PutAsJsonAsync($"/api/meetings/{meetingId}/agenda/order",
            new ReorderAgendaRequest([c.Consultations[0].Id, a.Consultations[0].Id]));
        await Http.EnsureAsync(reordered, HttpStatusCode.OK);
        var ordered = (await reordered.Content.ReadFromJsonAsync<AgendaView>())!;
        Assert.Equal(["21-70003", "21-70001", "21-15813"], ordered.Items.Where(i => i.Public).Select(i => i.PaperReference));
        Assert.Contains((await test.GetPaperAsync("admin", c.Id)).Journal, j => j.Actor == "sekretariat-fpa"
            && j.Message == "Finanz- und Personalausschuss: Reihenfolge der Tagesordnung der Sitzung am 29.04.2021 15:00 geändert.");

        // The invitation goes out on 22.04.: the agenda is locked.
        await test.MoveClockToAsync(Berlin.At(2021, 4, 22, 15, 0, 1));
        await test.ReconcileAsync();
        await test.Smtp.WaitForAsync(m => (m.Subject ?? "").EndsWith("21-70001", StringComparison.Ordinal), 5);
        var late = await test.ClientFor("sekretariat-fpa").PutAsJsonAsync($"/api/meetings/{meetingId}/agenda/order", new ReorderAgendaRequest([a.Consultations[0].Id]));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);

        // An urgent paper still makes it as a Nachtrag; a withdrawn one stays visible as abgesetzt.
        await test.MoveClockToAsync(Berlin.At(2021, 4, 26, 9));
        var urgent = await test.RegisterAsync("admin", new RegisterPaperRequest("21-70004", "Dringliche Vorlage", "Beschlussvorlage", "fb10", null, true, null, null, Urgent: true));
        Assert.Equal(meetingId, urgent.Consultations[0].MeetingId);
        await Http.EnsureAsync(await test.RecordAsync("admin", a.Consultations[0].Id, new(null, "zurückgezogen", null)), HttpStatusCode.OK);

        var locked = await AgendaAsync(test, "sekretariat-fpa", meetingId);
        Assert.True(locked.Locked);
        Assert.Equal([("Ö 1", "21-70003", false, false), ("Ö 2", "21-70001", false, true), ("Ö 3", "21-15813", false, false), ("Ö 4", "21-70004", true, false)],
            locked.Items.Where(i => i.Public).Select(i => (i.Number, i.PaperReference, i.LateAddition, i.RemovedFromAgenda)));
    }

    private static Task<PaperDetails> RegisterAsync(TestApp test, string reference, bool isPublic) =>
        test.RegisterAsync("admin", new RegisterPaperRequest(reference, "Vorlage " + reference, "Beschlussvorlage", "fb10", null, isPublic, null, null));

    private static async Task<AgendaView> AgendaAsync(TestApp test, string user, Guid meetingId)
    {
        var response = await test.ClientFor(user).GetAsync($"/api/meetings/{meetingId}/agenda");
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<AgendaView>())!;
    }
}
