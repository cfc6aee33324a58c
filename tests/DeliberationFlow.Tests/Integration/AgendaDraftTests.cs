using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// The draft agenda through the API: the committee's secretary adds papers (after the Vorlagenfrist only as a Nachtrag),
/// withdraws them to the next meeting, fixes the agenda and opens it again until the invitation locks it for good.
/// FPA meetings of the demo body: 29.04.2021 (Vorlagenfrist 15.04., Ladungsfrist 22.04.) and 10.06.2021.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class AgendaDraftTests
{
    [Fact]
    public async Task Secretary_WithdrawsAnItemToTheNextMeeting_AndAddsItBack_WithTimersAndJournalFollowing()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var a = await RegisterAsync(test, "21-71001");
        var b = await RegisterAsync(test, "21-71002");
        var meetingId = a.Consultations[0].MeetingId!.Value;
        var consultation = b.Consultations[0].Id;
        var secretary = test.ClientFor("sekretariat-fpa");

        var withdrawn = await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items/{consultation}/withdraw", new WithdrawAgendaItemRequest("Stellungnahme fehlt"));
        await Http.EnsureAsync(withdrawn, HttpStatusCode.OK);
        Assert.DoesNotContain((await withdrawn.Content.ReadFromJsonAsync<AgendaView>())!.Items, i => i.PaperReference == "21-71002");
        var moved = await test.GetPaperAsync("admin", b.Id);
        Assert.Equal(("10.06.2021", "Planned"), (moved.Consultations[0].Date, moved.Consultations[0].Status));
        Assert.Contains(moved.Journal, j => j.Actor == "sekretariat-fpa"
            && j.Message == "Finanz- und Personalausschuss: von der Tagesordnung der Sitzung am 29.04.2021 15:00 abgesetzt; Beratung jetzt in der Sitzung am 10.06.2021 15:00. Grund: Stellungnahme fehlt");
        Assert.Equal(Berlin.At(2021, 6, 3, 15, 0), await PendingInvitationDueAsync(test, consultation));

        // The picker offers it again, with the meeting it now waits for; the deadline was kept.
        var candidates = await CandidatesAsync(test, "sekretariat-fpa", meetingId);
        var candidate = Assert.Single(candidates, c => c.PaperReference == "21-71002");
        Assert.Equal((consultation, "10.06.2021 15:00", false, (string?)null), (candidate.ConsultationId, candidate.PlannedFor, candidate.DeadlineMissed, candidate.EarlierStepAfter));
        Assert.DoesNotContain(candidates, c => c.PaperReference == "21-71001");

        var added = await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items", new AddAgendaItemRequest(consultation));
        await Http.EnsureAsync(added, HttpStatusCode.OK);
        var agenda = (await added.Content.ReadFromJsonAsync<AgendaView>())!;
        Assert.Contains(agenda.Items, i => i.PaperReference == "21-71002" && !i.LateAddition);
        Assert.Equal(Berlin.At(2021, 4, 22, 15, 0), await PendingInvitationDueAsync(test, consultation));
        Assert.Contains((await test.GetPaperAsync("admin", b.Id)).Journal, j => j.Actor == "sekretariat-fpa"
            && j.Message == "Finanz- und Personalausschuss: auf die Tagesordnung der Sitzung am 29.04.2021 15:00 gesetzt (aus der Sitzung am 10.06.2021 15:00).");

        // The invitation of 22.04. carries it, one per member with the meeting's agenda, and nothing goes out for 10.06. any more.
        await test.MoveClockToAsync(Berlin.At(2021, 4, 22, 15, 0, 1));
        await test.ReconcileAsync();
        var invitations = await test.Smtp.WaitForAsync(m => (m.Subject ?? "") == "Einladung: Finanz- und Personalausschuss am 29.04.2021 – 21-71001, 21-71002", 5);
        Assert.Equal(5, invitations.Select(m => m.To.Mailboxes.Single().Address).Distinct().Count());
    }

    [Fact]
    public async Task AddingAfterTheVorlagenfrist_IsRefusedWithTheDeadline_UnlessAddedAsNachtrag()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 16, 9));
        var late = await RegisterAsync(test, "21-71003");
        Assert.Equal("10.06.2021", late.Consultations[0].Date);
        var meetingId = await FpaMeetingAsync(test, new DateTime(2021, 4, 29));
        var secretary = test.ClientFor("sekretariat-fpa");
        var before = await AgendaAsync(test, "sekretariat-fpa", meetingId);

        Assert.Contains(await CandidatesAsync(test, "sekretariat-fpa", meetingId),
            c => c.PaperReference == "21-71003" && c.DeadlineMissed && c.SubmissionDeadline == "15.04.2021 15:00");
        var refused = await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items", new AddAgendaItemRequest(late.Consultations[0].Id));
        var problem = await ProblemAsync(refused, HttpStatusCode.BadRequest);
        Assert.Contains("Vorlagenfrist", problem.GetProperty("errors").GetProperty("lateAddition")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("15.04.2021 15:00", problem.GetProperty("errors").GetProperty("lateAddition")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("10.06.2021", (await test.GetPaperAsync("admin", late.Id)).Consultations[0].Date);
        Assert.Equal(before.Items.Select(i => i.ConsultationId), (await AgendaAsync(test, "sekretariat-fpa", meetingId)).Items.Select(i => i.ConsultationId));

        var added = await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items", new AddAgendaItemRequest(late.Consultations[0].Id, LateAddition: true));
        await Http.EnsureAsync(added, HttpStatusCode.OK);
        var item = Assert.Single((await added.Content.ReadFromJsonAsync<AgendaView>())!.Items, i => i.PaperReference == "21-71003");
        Assert.True(item.LateAddition);
        Assert.Contains((await test.GetPaperAsync("admin", late.Id)).Journal, j => j.Message.EndsWith("als Nachtrag nach der Vorlagenfrist.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AgendaChanges_AreRefusedToOtherCommitteesAndForBadInput_AndChangeNothing()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var a = await RegisterAsync(test, "21-71004");
        var meetingId = a.Consultations[0].MeetingId!.Value;
        var consultation = a.Consultations[0].Id;
        var before = await AgendaAsync(test, "sekretariat-fpa", meetingId);

        foreach (var user in new[] { "sekretariat-va", "ratsmitglied" })
        {
            var client = test.ClientFor(user);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items/{consultation}/withdraw", new WithdrawAgendaItemRequest(null))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items", new AddAgendaItemRequest(consultation))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsync($"/api/meetings/{meetingId}/agenda/lock", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/meetings/{meetingId}/agenda/candidates")).StatusCode);
        }

        var anonymous = await test.App.CreateClient().PutAsync($"/api/meetings/{meetingId}/agenda/lock", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var secretary = test.ClientFor("sekretariat-fpa");
        var missing = await ProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items", new AddAgendaItemRequest(null)), HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("consultationId", out _));
        var unknownId = Guid.NewGuid();
        var unknown = await ProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items", new AddAgendaItemRequest(unknownId)), HttpStatusCode.BadRequest);
        Assert.Contains(unknownId.ToString(), unknown.GetProperty("errors").GetProperty("consultationId")[0].GetString(), StringComparison.Ordinal);
        var twice = await ProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items", new AddAgendaItemRequest(consultation)), HttpStatusCode.BadRequest);
        Assert.Contains("21-71004 is on this agenda already", twice.GetProperty("errors").GetProperty("consultationId")[0].GetString(), StringComparison.Ordinal);
        await ProblemAsync(await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items/{Guid.NewGuid()}/withdraw", new WithdrawAgendaItemRequest(null)), HttpStatusCode.NotFound);
        await ProblemAsync(await secretary.PutAsync($"/api/meetings/{Guid.NewGuid()}/agenda/lock", null), HttpStatusCode.NotFound);

        var after = await AgendaAsync(test, "sekretariat-fpa", meetingId);
        Assert.Equal(before.Items.Select(i => (i.ConsultationId, i.Number)), after.Items.Select(i => (i.ConsultationId, i.Number)));
        Assert.False(after.Locked);
        Assert.Equal("29.04.2021", (await test.GetPaperAsync("admin", a.Id)).Consultations[0].Date);
    }

    [Fact]
    public async Task LockedAgenda_RefusesOrderAddAndWithdraw_UntilUnlocked_AndTheInvitationLocksItForGood()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var a = await RegisterAsync(test, "21-71005");
        var b = await RegisterAsync(test, "21-71006");
        var meetingId = a.Consultations[0].MeetingId!.Value;
        var secretary = test.ClientFor("sekretariat-fpa");
        await Http.EnsureAsync(await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items/{b.Consultations[0].Id}/withdraw", new WithdrawAgendaItemRequest(null)), HttpStatusCode.OK);

        await test.MoveClockToAsync(Berlin.At(2021, 4, 12, 10, 30));
        var locking = await secretary.PutAsync($"/api/meetings/{meetingId}/agenda/lock", null);
        await Http.EnsureAsync(locking, HttpStatusCode.OK);
        var locked = (await locking.Content.ReadFromJsonAsync<AgendaView>())!;
        Assert.Equal((true, "12.04.2021 10:30", "sekretariat-fpa", false), (locked.Locked, locked.LockedAt, locked.LockedBy, locked.Invited));
        Assert.Contains((await test.GetPaperAsync("admin", a.Id)).Journal,
            j => j.Actor == "sekretariat-fpa" && j.Message == "Finanz- und Personalausschuss: Tagesordnung der Sitzung am 29.04.2021 15:00 festgeschrieben.");

        var order = await secretary.PutAsJsonAsync($"/api/meetings/{meetingId}/agenda/order", new ReorderAgendaRequest([a.Consultations[0].Id]));
        var add = await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items", new AddAgendaItemRequest(b.Consultations[0].Id));
        var withdraw = await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items/{a.Consultations[0].Id}/withdraw", new WithdrawAgendaItemRequest(null));
        foreach (var response in new[] { order, add, withdraw })
        {
            var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
            Assert.Contains("fixed by sekretariat-fpa", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal("10.06.2021", (await test.GetPaperAsync("admin", b.Id)).Consultations[0].Date);
        Assert.Equal("29.04.2021", (await test.GetPaperAsync("admin", a.Id)).Consultations[0].Date);
        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("sekretariat-va").DeleteAsync($"/api/meetings/{meetingId}/agenda/lock")).StatusCode);

        // Opened again: the secretary adds the paper back, and fixes the agenda once more.
        var unlocking = await secretary.DeleteAsync($"/api/meetings/{meetingId}/agenda/lock");
        await Http.EnsureAsync(unlocking, HttpStatusCode.OK);
        Assert.False((await unlocking.Content.ReadFromJsonAsync<AgendaView>())!.Locked);
        await Http.EnsureAsync(await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items", new AddAgendaItemRequest(b.Consultations[0].Id)), HttpStatusCode.OK);
        await Http.EnsureAsync(await secretary.PutAsync($"/api/meetings/{meetingId}/agenda/lock", null), HttpStatusCode.OK);

        // The invitation goes out as before; the agenda then stays locked, and unlocking is refused.
        await test.MoveClockToAsync(Berlin.At(2021, 4, 22, 15, 0, 1));
        await test.ReconcileAsync();
        await test.Smtp.WaitForAsync(m => (m.Subject ?? "") == "Einladung: Finanz- und Personalausschuss am 29.04.2021 – 21-71006", 5);
        var invited = await AgendaAsync(test, "sekretariat-fpa", meetingId);
        Assert.Equal((true, true), (invited.Locked, invited.Invited));
        var unlockLate = await ProblemAsync(await secretary.DeleteAsync($"/api/meetings/{meetingId}/agenda/lock"), HttpStatusCode.Conflict);
        Assert.Contains("invitation has gone out", unlockLate.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAddWhileTheAgendaIsBeingFixed_WaitsForTheFix_AndIsThenRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var a = await RegisterAsync(test, "21-71007");
        var b = await RegisterAsync(test, "21-71008");
        var meetingId = a.Consultations[0].MeetingId!.Value;
        var secretary = test.ClientFor("sekretariat-fpa");
        await Http.EnsureAsync(await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items/{b.Consultations[0].Id}/withdraw", new WithdrawAgendaItemRequest(null)), HttpStatusCode.OK);
        var key = b.Consultations[0].Id.ToString();
        Task<List<string>> TimersAsync() => test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Timers
            .AsNoTracking().Where(t => t.Key == key).OrderBy(t => t.Id).Select(t => t.Id + " " + t.Status + " " + t.DueAt).ToListAsync(ct));
        var timersBefore = await TimersAsync();
        Assert.NotEmpty(timersBefore);

        // Another session is fixing the agenda right now: it holds the meeting row in an open transaction.
        await using var other = new NpgsqlConnection(test.ConnectionString);
        await other.OpenAsync(ct);
        await using var fixing = await other.BeginTransactionAsync(ct);
        await using (var claim = new NpgsqlCommand("UPDATE council.meetings SET agenda_locked_at = now(), agenda_locked_by = 'sekretariat-fpa' WHERE id = @id", other, fixing))
        {
            claim.Parameters.AddWithValue("id", meetingId);
            Assert.Equal(1, await claim.ExecuteNonQueryAsync(ct));
        }

        // The add has read the agenda as open; it must wait for the fix, not slip in behind it.
        var adding = secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items", new AddAgendaItemRequest(b.Consultations[0].Id), ct);
        await WaitForABlockedSessionAsync(test.ConnectionString, adding, ct);
        await fixing.CommitAsync(ct);

        var problem = await ProblemAsync(await adding, HttpStatusCode.Conflict);
        Assert.Contains("reload the agenda", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("10.06.2021", (await test.GetPaperAsync("admin", b.Id)).Consultations[0].Date);
        Assert.DoesNotContain((await AgendaAsync(test, "sekretariat-fpa", meetingId)).Items, i => i.PaperReference == "21-71008");

        // Nor did the refused add call off the paper's timers for the meeting it stays in.
        Assert.Equal(timersBefore, await TimersAsync());
    }

    /// <summary>Until PostgreSQL shows a session of this database waiting for a row lock (the add at its guard).</summary>
    private static async Task WaitForABlockedSessionAsync(string connectionString, Task request, CancellationToken ct)
    {
        await using var watcher = new NpgsqlConnection(connectionString);
        await watcher.OpenAsync(ct);
        await using var blocked = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", watcher);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((long)(await blocked.ExecuteScalarAsync(ct))! == 0)
        {
            Assert.False(request.IsCompleted, "The add finished without waiting for the agenda's fix.");
            Assert.True(DateTime.UtcNow < deadline, "No session waited for the meeting row within 30 s.");
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }
    }

    private static Task<PaperDetails> RegisterAsync(TestApp test, string reference) =>
        test.RegisterAsync("admin", new RegisterPaperRequest(reference, "Vorlage " + reference, "Beschlussvorlage", "fb10", null, true, null, null));

    private static async Task<AgendaView> AgendaAsync(TestApp test, string user, Guid meetingId)
    {
        var response = await test.ClientFor(user).GetAsync($"/api/meetings/{meetingId}/agenda");
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<AgendaView>())!;
    }

    private static async Task<IReadOnlyList<AgendaCandidate>> CandidatesAsync(TestApp test, string user, Guid meetingId)
    {
        var response = await test.ClientFor(user).GetAsync($"/api/meetings/{meetingId}/agenda/candidates");
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<List<AgendaCandidate>>())!;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        await Http.EnsureAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    private static Task<Guid> FpaMeetingAsync(TestApp test, DateTime localDay) =>
        test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var fpa = await db.Organizations.AsNoTracking().SingleAsync(o => o.Key == "fpa");
            var from = Berlin.At(localDay.Year, localDay.Month, localDay.Day, 0, 0);
            return await db.Meetings.AsNoTracking().Where(m => m.OrganizationId == fpa.Id && m.Start >= from && m.Start < from.AddDays(1)).Select(m => m.Id).SingleAsync();
        });

    private static Task<DateTimeOffset> PendingInvitationDueAsync(TestApp test, Guid consultationId) =>
        test.App.WithScopeAsync(sp =>
        {
            var key = consultationId.ToString();
            return sp.GetRequiredService<DeliberationDbContext>().Timers.AsNoTracking()
                .Where(t => t.Key == key && t.Kind == "consultation.invitation" && t.Status == TimerStatus.Pending).Select(t => t.DueAt).SingleAsync();
        });
}
