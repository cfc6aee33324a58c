using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using DeliberationFlow.Council.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Tests.Integration;

/// <summary>A cancelled or moved meeting takes its consultations and their timers along, and tells everyone concerned.</summary>
[Collection(HostCollection.Name)]
public sealed class MeetingChangeTests
{
    [Fact]
    public async Task CancelledMeeting_MovesItsConsultationsToTheNextMeeting_WithTheirInvitations()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-50001", "Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        var fpa = paper.Consultations[0];
        Assert.Equal("29.04.2021", fpa.Date);

        await test.MoveClockToAsync(Berlin.At(2021, 4, 10, 9));
        var response = await test.ClientFor("sekretariat-fpa").PostAsJsonAsync($"/api/meetings/{fpa.MeetingId}/change",
            new ChangeMeetingRequest("cancel", null, "Beschlussunfähigkeit erwartet"));
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        var report = (await response.Content.ReadFromJsonAsync<MeetingChangeReport>())!;
        Assert.True(report.Meeting.Cancelled);
        Assert.Equal(["21-50001: Finanz- und Personalausschuss fällt aus; Beratung jetzt 10.06.2021 15:00."], report.Replanned.Where(l => l.StartsWith("21-50001", StringComparison.Ordinal)));

        var moved = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal(("10.06.2021", "Planned"), (moved.Consultations[0].Date, moved.Consultations[0].Status));
        Assert.Contains(moved.Journal, j => j.Message.Contains("fällt aus", StringComparison.Ordinal) && j.Actor == "sekretariat-fpa");
        var cancelled = await test.Smtp.WaitForAsync(m => (m.Subject ?? "") == "Sitzung fällt aus: Finanz- und Personalausschuss am 29.04.2021", 5);
        Assert.Equal(5, cancelled.Count);
        Assert.Single(await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Terminänderung 21-50001", StringComparison.Ordinal), 1));

        // The old Ladungsfrist (22.04.) passes silently; the new one (03.06.) brings the invitations for 10.06.
        await test.MoveClockToAsync(Berlin.At(2021, 4, 22, 15, 0, 1));
        await test.ReconcileAsync();
        await test.MoveClockToAsync(Berlin.At(2021, 6, 3, 15, 0, 1));
        await test.ReconcileAsync();
        var invitations = await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Einladung:", StringComparison.Ordinal) && (m.Subject ?? "").EndsWith("21-50001", StringComparison.Ordinal), 5);
        Assert.Equal(5, invitations.Count);
        Assert.All(invitations, m => Assert.Equal("Einladung: Finanz- und Personalausschuss am 10.06.2021 – 21-50001", m.Subject));
    }

    /// <summary>
    /// A workflow whose FPA step is set not to remind the members: the step's timers, planned anew when the meeting moves
    /// or is cancelled, keep to that (they used to come back with a reminder), and no reminder reaches anyone.
    /// </summary>
    [Fact]
    public async Task AStepSetNotToRemind_StaysWithoutReminder_WhenItsMeetingIsMovedOrCancelled()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var view = (await admin.GetFromJsonAsync<DeliberationFlow.Council.Definitions.DefinitionDocumentView>("/api/workflow-definitions/beschlussvorlage/versions/1"))!;
        var document = System.Text.Json.Nodes.JsonNode.Parse(view.Document)!;
        document["activities"]!.AsArray().Single(a => (string?)a!["properties"]?["committee"] == "fpa")!["properties"]!["reminder"] = false;
        await Http.EnsureAsync(await admin.PutAsJsonAsync("/api/workflow-definitions/beschlussvorlage/draft", document), HttpStatusCode.OK);
        await Http.EnsureAsync(await admin.PostAsync("/api/workflow-definitions/beschlussvorlage/versions/2/publish", null), HttpStatusCode.OK);
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-50051", "Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        Assert.Equal(2, paper.Workflow!.Version);
        var fpa = paper.Consultations[0];
        Task<List<string>> PendingKinds() => test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Timers
            .Where(t => t.Key == fpa.Id.ToString() && t.Status == DeliberationFlow.Engine.Runtime.TimerStatus.Pending).Select(t => t.Kind).ToListAsync());
        Assert.Equal([ConsultationPlanner.InvitationTimer], await PendingKinds());

        var secretary = test.ClientFor("sekretariat-fpa");
        await Http.EnsureAsync(await secretary.PostAsJsonAsync($"/api/meetings/{fpa.MeetingId}/change",
            new ChangeMeetingRequest("move", "2021-05-06T17:00", "Raum belegt")), HttpStatusCode.OK);
        Assert.Equal([ConsultationPlanner.InvitationTimer], await PendingKinds());
        await Http.EnsureAsync(await secretary.PostAsJsonAsync($"/api/meetings/{fpa.MeetingId}/change",
            new ChangeMeetingRequest("cancel", null, "Beschlussunfähigkeit erwartet")), HttpStatusCode.OK);
        Assert.Equal([ConsultationPlanner.InvitationTimer], await PendingKinds());

        // Through the June meeting (10.06.): the invitation goes out, no reminder.
        await test.MoveClockToAsync(Berlin.At(2021, 6, 10, 12));
        await test.ReconcileAsync();
        await test.Smtp.WaitForAsync(m => m.Subject == "Einladung: Finanz- und Personalausschuss am 10.06.2021 – 21-50051", 5);
        Assert.DoesNotContain(test.Smtp.Messages, m => (m.Subject ?? "").StartsWith("Erinnerung", StringComparison.Ordinal) && (m.Subject ?? "").Contains("21-50051", StringComparison.Ordinal));
    }

    /// <summary>
    /// A meeting cancelled after its invitation went out: its paper goes to the June meeting, and everyone is invited
    /// to that one with it — also Jana, who reads one message per item (her invitation to the cancelled meeting named
    /// the same consultation, and its key used to stop the new one).
    /// </summary>
    [Fact]
    public async Task AMeetingCancelledAfterItsInvitation_ItsPaperIsInvitedToTheNextMeeting_AlsoForSingleMessageReaders()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await Http.EnsureAsync(await test.ClientFor("ratsmitglied").PutAsJsonAsync("/api/me/notification-preferences",
            new DeliberationFlow.Council.Notifications.SavePreferencesRequest(null, false, [])), HttpStatusCode.OK);
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-50041", "Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.MoveClockToAsync(Berlin.At(2021, 4, 22, 15, 0, 1));
        await test.ReconcileAsync();
        var april = await test.Smtp.WaitForAsync(m => m.Subject == "Einladung: Finanz- und Personalausschuss am 29.04.2021 – 21-50041", 5);
        Assert.Contains(april, m => m.To.Mailboxes.Single().Address == "jana.beispiel@rat.braunschweig.example");

        await Http.EnsureAsync(await test.ClientFor("sekretariat-fpa").PostAsJsonAsync($"/api/meetings/{paper.Consultations[0].MeetingId}/change",
            new ChangeMeetingRequest("cancel", null, "Beschlussunfähigkeit erwartet")), HttpStatusCode.OK);
        await test.MoveClockToAsync(Berlin.At(2021, 6, 3, 15, 0, 1));
        await test.ReconcileAsync();
        var june = await test.Smtp.WaitForAsync(m => m.Subject == "Einladung: Finanz- und Personalausschuss am 10.06.2021 – 21-50041", 5);
        Assert.Equal(5, june.Select(m => m.To.Mailboxes.Single().Address).Distinct().Count());
        Assert.Contains(june, m => m.To.Mailboxes.Single().Address == "jana.beispiel@rat.braunschweig.example");
    }

    /// <summary>
    /// The next meeting's agenda is fixed (or invited): a paper of a cancelled meeting, or one withdrawn from a draft
    /// agenda, comes there as a Nachtrag after the items already numbered, not before them with its old place.
    /// </summary>
    [Fact]
    public async Task APaperReplannedIntoAFixedAgenda_ComesAsANachtrag_AfterTheItemsAlreadyNumbered()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var secretary = test.ClientFor("sekretariat-fpa");
        var first = await test.RegisterAsync("admin", new RegisterPaperRequest("21-50021", "Erste Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        var second = await test.RegisterAsync("admin", new RegisterPaperRequest("21-50022", "Zweite Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        var third = await test.RegisterAsync("admin", new RegisterPaperRequest("21-50023", "Dritte Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        var april = first.Consultations[0].MeetingId!.Value;

        // 21-50022 goes to the June meeting, whose agenda the secretary then fixes: it is Ö 1 there.
        await Http.EnsureAsync(await secretary.PostAsJsonAsync($"/api/meetings/{april}/agenda/items/{second.Consultations[0].Id}/withdraw",
            new WithdrawAgendaItemRequest(null)), HttpStatusCode.OK);
        var june = (await test.GetPaperAsync("admin", second.Id)).Consultations[0].MeetingId!.Value;
        await Http.EnsureAsync(await secretary.PutAsync($"/api/meetings/{june}/agenda/lock", null), HttpStatusCode.OK);
        var fixedItems = (await secretary.GetFromJsonAsync<AgendaView>($"/api/meetings/{june}/agenda"))!.Items;

        // 21-50023, first on the April agenda, is withdrawn to June; then the April meeting is cancelled.
        var order = (await secretary.GetFromJsonAsync<AgendaView>($"/api/meetings/{april}/agenda"))!.Items.Select(i => i.ConsultationId)
            .OrderBy(id => id == third.Consultations[0].Id ? 0 : 1).ToList();
        await Http.EnsureAsync(await secretary.PutAsJsonAsync($"/api/meetings/{april}/agenda/order", new ReorderAgendaRequest(order)), HttpStatusCode.OK);
        await Http.EnsureAsync(await secretary.PostAsJsonAsync($"/api/meetings/{april}/agenda/items/{third.Consultations[0].Id}/withdraw",
            new WithdrawAgendaItemRequest(null)), HttpStatusCode.OK);
        await Http.EnsureAsync(await secretary.PutAsJsonAsync($"/api/meetings/{april}/agenda/order",
            new ReorderAgendaRequest(order.Where(id => id != third.Consultations[0].Id).OrderBy(id => id == first.Consultations[0].Id ? 0 : 1).ToList())), HttpStatusCode.OK);
        await Http.EnsureAsync(await secretary.PostAsJsonAsync($"/api/meetings/{april}/change", new ChangeMeetingRequest("cancel", null, "Raum belegt")), HttpStatusCode.OK);

        var agenda = (await secretary.GetFromJsonAsync<AgendaView>($"/api/meetings/{june}/agenda"))!.Items;
        Assert.Equal(fixedItems.Select(i => (i.Number, i.PaperReference)), agenda.Take(fixedItems.Count).Select(i => (i.Number, i.PaperReference)));
        Assert.All(agenda.Skip(fixedItems.Count), i => Assert.True(i.LateAddition, $"{i.PaperReference} ({i.Number}) is no Nachtrag"));
        Assert.Contains(agenda, i => i.PaperReference == "21-50021");
        Assert.Contains(agenda, i => i.PaperReference == "21-50023");
    }

    [Fact]
    public async Task MovedMeeting_KeepsItsConsultations_AndIsRefusedToOthersAndForBadInput()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-50002", "Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        var meetingId = paper.Consultations[0].MeetingId;

        var stranger = await test.ClientFor("sekretariat-plua").PostAsJsonAsync($"/api/meetings/{meetingId}/change", new ChangeMeetingRequest("move", "2021-05-06T15:00", "Raum belegt"));
        var noReason = await test.ClientFor("sekretariat-fpa").PostAsJsonAsync($"/api/meetings/{meetingId}/change", new ChangeMeetingRequest("move", "6. Mai", null));
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
        await Http.EnsureAsync(noReason, HttpStatusCode.BadRequest);
        Assert.Contains("newStart", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("29.04.2021", (await test.GetPaperAsync("admin", paper.Id)).Consultations[0].Date);

        var moved = await test.ClientFor("sekretariat-fpa").PostAsJsonAsync($"/api/meetings/{meetingId}/change", new ChangeMeetingRequest("move", "2021-05-06T15:00", "Raum belegt"));
        await Http.EnsureAsync(moved, HttpStatusCode.OK);

        var after = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal(("06.05.2021", meetingId), (after.Consultations[0].Date, after.Consultations[0].MeetingId));
        await test.Smtp.WaitForAsync(m => (m.Subject ?? "") == "Sitzung verlegt: Finanz- und Personalausschuss am 29.04.2021", 5);
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 15, 0, 1));
        await test.ReconcileAsync();
        var invitations = await test.Smtp.WaitForAsync(m => (m.Subject ?? "") == "Einladung: Finanz- und Personalausschuss am 06.05.2021 – 21-50002", 5);
        Assert.Equal(5, invitations.Count);
    }

    [Fact]
    public async Task AMove_OutsideThePlausibleYears_OrWithAnOverlongReason_IsRefusedNamingTheField_AndChangesNothing()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-50005", "Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        var meetingId = paper.Consultations[0].MeetingId;
        var secretary = test.ClientFor("sekretariat-fpa");
        async Task<IDictionary<string, string[]>> RefusedAsync(ChangeMeetingRequest request)
        {
            var response = await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/change", request);
            await Http.EnsureAsync(response, HttpStatusCode.BadRequest);
            return (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors;
        }

        Assert.Equal(["newStart"], (await RefusedAsync(new ChangeMeetingRequest("move", "9999-12-31T23:00", "Raum belegt"))).Keys);
        Assert.Equal(["newStart"], (await RefusedAsync(new ChangeMeetingRequest("move", "0001-01-01", "Raum belegt"))).Keys);
        Assert.Contains("1990 to 2099", (await RefusedAsync(new ChangeMeetingRequest("move", "2100-01-01T15:00", "Raum belegt")))["newStart"][0], StringComparison.Ordinal);
        var tooLong = new string('x', DeliberationFlow.Council.Common.InputLimits.MaxReasonLength + 1);
        Assert.Equal(["reason"], (await RefusedAsync(new ChangeMeetingRequest("move", "2021-05-06T15:00", tooLong))).Keys);
        Assert.Equal(["reason"], (await RefusedAsync(new ChangeMeetingRequest("cancel", null, tooLong))).Keys);

        var unchanged = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal(("29.04.2021", meetingId, "Planned"), (unchanged.Consultations[0].Date, unchanged.Consultations[0].MeetingId, unchanged.Consultations[0].Status));
        Assert.Equal(paper.Journal.Count, unchanged.Journal.Count);

        // A reason of the full length is kept, mailed and journaled.
        var longest = new string('x', DeliberationFlow.Council.Common.InputLimits.MaxReasonLength);
        var moved = await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/change", new ChangeMeetingRequest("move", "2021-05-06T15:00", longest));
        await Http.EnsureAsync(moved, HttpStatusCode.OK);
        Assert.Contains((await test.GetPaperAsync("admin", paper.Id)).Journal, j => j.Message.EndsWith("Grund: " + longest, StringComparison.Ordinal));
    }

    /// <summary>
    /// A committee meets once a day: adding a meeting on 10.06., when the FPA meets at 15:00, is skipped, and moving the
    /// April meeting onto that day (evening or morning) is refused naming newStart — nothing changes, no notice is
    /// queued, no timer moves. Cancelled, the June meeting frees its day for the move, as it would for adding.
    /// </summary>
    [Fact]
    public async Task AMove_OntoADayTheCommitteeMeetsAlready_IsRefusedNamingTheField_AndChangesNothing()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-50061", "Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        var april = paper.Consultations[0].MeetingId!.Value;
        var secretary = test.ClientFor("sekretariat-fpa");
        Task<List<(Guid, string, DateTimeOffset, DeliberationFlow.Engine.Runtime.TimerStatus)>> TimersAsync() => test.App.WithScopeAsync(async sp =>
            (await sp.GetRequiredService<DeliberationDbContext>().Timers.Where(t => t.Key == paper.Consultations[0].Id.ToString())
                .Select(t => new { t.Id, t.Kind, t.DueAt, t.Status }).ToListAsync())
            .Select(t => (t.Id, t.Kind, t.DueAt, t.Status)).OrderBy(t => t.Id).ToList());
        Task<(DateTimeOffset Start, string? Reason, int Notices)> AprilAsync() => test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var meeting = await db.Meetings.AsNoTracking().SingleAsync(m => m.Id == april);
            return (meeting.Start, meeting.ChangeReason, await db.OutboxMessages.CountAsync(m => m.Kind == DeliberationFlow.Council.Notifications.Templates.MailKinds.MeetingChange));
        });
        var timers = await TimersAsync();
        Assert.NotEmpty(timers);

        var added = await secretary.PostAsJsonAsync("/api/committees/fpa/meetings", new ScheduleMeetingsRequest("2021-06-10T18:00", null, null, null, null, null, null, null));
        await Http.EnsureAsync(added, HttpStatusCode.OK);
        var scheduled = (await added.Content.ReadFromJsonAsync<ScheduledMeetings>())!;
        Assert.Empty(scheduled.Created);
        Assert.Equal(["2021-06-10"], scheduled.Skipped);

        foreach (var newStart in new[] { "2021-06-10T18:00", "2021-06-10T09:00" })
        {
            var refused = await secretary.PostAsJsonAsync($"/api/meetings/{april}/change", new ChangeMeetingRequest("move", newStart, "Raum belegt"));
            await Http.EnsureAsync(refused, HttpStatusCode.BadRequest);
            var errors = (await refused.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors;
            Assert.Equal(["newStart"], errors.Keys);
            Assert.Contains("meets on 10.06.2021 already (at 15:00)", Assert.Single(errors["newStart"]), StringComparison.Ordinal);
        }

        var unchanged = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal(("29.04.2021", (Guid?)april, "Planned"), (unchanged.Consultations[0].Date, unchanged.Consultations[0].MeetingId, unchanged.Consultations[0].Status));
        Assert.Equal(paper.Journal.Count, unchanged.Journal.Count);
        Assert.Equal((Berlin.At(2021, 4, 29, 15), (string?)null, 0), await AprilAsync());
        Assert.Equal(timers, await TimersAsync());

        var june = await test.App.WithScopeAsync(sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var start = Berlin.At(2021, 6, 10, 15);
            return db.Meetings.Where(m => m.Start == start && db.Meetings.Any(a => a.Id == april && a.OrganizationId == m.OrganizationId)).Select(m => m.Id).SingleAsync();
        });
        await Http.EnsureAsync(await secretary.PostAsJsonAsync($"/api/meetings/{june}/change", new ChangeMeetingRequest("cancel", null, "Beschlussunfähigkeit erwartet")), HttpStatusCode.OK);
        await Http.EnsureAsync(await secretary.PostAsJsonAsync($"/api/meetings/{april}/change", new ChangeMeetingRequest("move", "2021-06-10T18:00", "Raum belegt")), HttpStatusCode.OK);
        Assert.Equal("10.06.2021", (await test.GetPaperAsync("admin", paper.Id)).Consultations[0].Date);
    }

    /// <summary>
    /// Four FPA meetings moved onto one free day at the same moment (four secretaries, or one double-clicking): each
    /// move checks the day before it writes, and all four found it free, so the committee met four times on one day.
    /// Now exactly one moves there and the others get the 400 naming newStart; in three rounds, each onto another day.
    /// Meetings added on a day while meetings are moved there meet the same lock: the day ends with one meeting.
    /// </summary>
    [Fact]
    public async Task ConcurrentMovesOntoOneDay_MoveOneMeetingThere_TheOthersAreRefused()
    {
        // A cheap password hash keeps the concurrent requests close together (see ConcurrentOutcomeTests).
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1));
        var secretaries = Enumerable.Range(0, 4).Select(_ => test.ClientFor("sekretariat-fpa")).ToList();
        var added = await secretaries[0].PostAsJsonAsync("/api/committees/fpa/meetings",
            new ScheduleMeetingsRequest("2021-05-03T15:00", "FREQ=DAILY", "2021-05-08", null, null, null, null, null));
        await Http.EnsureAsync(added, HttpStatusCode.OK);
        var unmoved = (await added.Content.ReadFromJsonAsync<ScheduledMeetings>())!.Created.Select(m => m.Id).ToList();
        Assert.Equal(6, unmoved.Count);
        Task<int> MeetingsOnAsync(int day) => test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var (from, until) = (Berlin.At(2021, 5, day, 0), Berlin.At(2021, 5, day + 1, 0));
            return await db.Meetings.CountAsync(m => !m.Cancelled && m.Start >= from && m.Start < until
                && db.Meetings.Any(a => a.Id == unmoved[0] && a.OrganizationId == m.OrganizationId));
        });

        foreach (var day in new[] { 17, 18, 19 })
        {
            var moving = unmoved.Take(4).ToList();
            var answers = await Task.WhenAll(moving.Select((id, i) =>
                secretaries[i].PostAsJsonAsync($"/api/meetings/{id}/change", new ChangeMeetingRequest("move", $"2021-05-{day}T{15 + i}:00", "Raum belegt"))));
            var statuses = answers.Select(a => a.StatusCode).ToList();
            Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
            Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.Conflict }));
            foreach (var refused in answers.Where(a => a.StatusCode == HttpStatusCode.BadRequest))
            {
                var errors = (await refused.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors;
                Assert.Contains($"meets on {day}.05.2021 already", Assert.Single(errors["newStart"]), StringComparison.Ordinal);
            }

            Assert.Equal(1, await MeetingsOnAsync(day));
            unmoved.Remove(moving[statuses.IndexOf(HttpStatusCode.OK)]);
        }

        // Three moves and two additions onto the 20th: whichever comes first, the day has one meeting.
        var moves = unmoved.Take(3).Select((id, i) =>
            secretaries[i].PostAsJsonAsync($"/api/meetings/{id}/change", new ChangeMeetingRequest("move", $"2021-05-20T{15 + i}:00", "Raum belegt")));
        var additions = Enumerable.Range(0, 2).Select(i =>
            secretaries[3 - i].PostAsJsonAsync("/api/committees/fpa/meetings", new ScheduleMeetingsRequest($"2021-05-20T{9 + i:D2}:00", null, null, null, null, null, null, null)));
        var all = await Task.WhenAll([.. moves, .. additions]);
        Assert.All(all[..3], a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.Conflict }));
        Assert.All(all[3..], a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var created = 0;
        foreach (var addition in all[3..])
        {
            created += (await addition.Content.ReadFromJsonAsync<ScheduledMeetings>())!.Created.Count;
        }

        Assert.Equal(1, all[..3].Count(a => a.StatusCode == HttpStatusCode.OK) + created);
        Assert.Equal(1, await MeetingsOnAsync(20));
    }

    [Fact]
    public async Task Meeting_IsMarkedHeld_OnlyAfterItTookPlace()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-50004", "Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        var meetingId = paper.Consultations[0].MeetingId;
        var secretary = test.ClientFor("sekretariat-fpa");

        var early = await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/change", new ChangeMeetingRequest("held", null, null));
        await test.MoveClockToAsync(Berlin.At(2021, 4, 30, 9));
        var held = await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/change", new ChangeMeetingRequest("held", null, null));

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        await Http.EnsureAsync(held, HttpStatusCode.OK);
        Assert.Equal("Held", (await held.Content.ReadFromJsonAsync<MeetingChangeReport>())!.Meeting.State);
    }

    [Fact]
    public async Task Outcome_WithAVoteTally_IsKeptAndShown()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-50003", "Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));

        var negative = await test.RecordAsync("admin", paper.Consultations[0].Id, new RecordOutcomeRequest("Adopted", "mehrheitlich beschlossen", null, VotesFor: -1));
        var recorded = await test.RecordAsync("admin", paper.Consultations[0].Id, new RecordOutcomeRequest("Adopted", "mehrheitlich beschlossen", null, VotesFor: 3, VotesAgainst: 1, Abstentions: 1));

        await Http.EnsureAsync(negative, HttpStatusCode.BadRequest);
        await Http.EnsureAsync(recorded, HttpStatusCode.OK);
        var votes = (await recorded.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Consultation.Votes;
        Assert.Equal(new VoteTallyView(3, 1, 1, Unanimous: false), votes);
    }
}
