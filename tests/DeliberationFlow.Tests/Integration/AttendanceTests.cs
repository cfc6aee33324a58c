using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using DeliberationFlow.Tests.OParl;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Integration;

/// <summary>Anwesenheit: the secretary records who attended; the quorum (§ 65 NKomVG), the minutes and OParl's participants follow.</summary>
[Collection(HostCollection.Name)]
public sealed class AttendanceTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Secretary_RecordsAttendance_TheQuorumMinutesAndOParlFollow(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17501", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        var meetingId = paper.Consultations[0].MeetingId!.Value;
        var url = $"/api/meetings/{meetingId}/attendance";
        var fpa = test.ClientFor("sekretariat-fpa");

        // The FPA's five members on the meeting's day; nothing recorded yet, and nothing can be before the meeting begins.
        var before = (await fpa.GetFromJsonAsync<AttendanceView>(url))!;
        Assert.Equal(["Aylin Demir", "Jana Beispiel", "Klaus Hartmann", "Petra Vogel", "Sabine Krüger"], before.Members.Select(m => m.Name).Order(StringComparer.Ordinal));
        Assert.Equal((5, 0, (bool?)null), (before.VotingSeats, before.VotingPresent, before.QuorumReached));
        Assert.All(before.Members, m => Assert.Null(m.Status));
        var id = before.Members.ToDictionary(m => m.Name, m => m.PersonId);
        Assert.Equal(HttpStatusCode.Conflict, (await fpa.PutAsJsonAsync(url, Request((id["Klaus Hartmann"], "Present")))).StatusCode);

        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        var two = await RecordAsync(fpa, url, Request(
            (id["Klaus Hartmann"], "Present"), (id["Jana Beispiel"], "Present"), (id["Aylin Demir"], "Excused"), (id["Sabine Krüger"], "Absent")));
        Assert.Equal((2, false), (two.VotingPresent, two.QuorumReached));
        Assert.Equal(("sekretariat-fpa", Berlin.At(2021, 4, 29, 18, 0)), (two.RecordedBy, two.RecordedAt));

        // A later entry adds to what was recorded: three of five seats make the quorum.
        var three = await RecordAsync(fpa, url, Request((id["Petra Vogel"], "Present")));
        Assert.Equal((3, true), (three.VotingPresent, three.QuorumReached));
        Assert.Equal("Excused", three.Members.Single(m => m.Name == "Aylin Demir").Status);

        var minutes = (await test.ClientFor("ratsmitglied").GetFromJsonAsync<MinutesView>($"/api/meetings/{meetingId}/minutes"))!;
        Assert.Equal(three.Members, minutes.Attendance.Members);
        Assert.Equal((3, 5, (bool?)true), (minutes.Attendance.VotingPresent, minutes.Attendance.VotingSeats, minutes.Attendance.QuorumReached));

        var client = test.App.CreateClient();
        var meeting = await OParlInterfaceTests.GetAsync(client, $"http://localhost/oparl/meeting/{meetingId}");
        Assert.Equal(
            new[] { id["Klaus Hartmann"], id["Jana Beispiel"], id["Petra Vogel"] }.Order().Select(p => $"http://localhost/oparl/person/{p}"),
            meeting["participant"]!.AsArray().Select(p => (string)p!));
    }

    [Fact]
    public async Task AMeetingWhoseAgendaIsAllNonPublic_ServesNoParticipantsInOParl()
    {
        // The demo's FPA meeting of 11.03.2021 has one item, N 1: the non-public paper 21-15490.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var meetingId = await test.App.WithScopeAsync(sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            return db.Consultations.Where(c => db.Papers.Any(p => p.Id == c.PaperId && p.Reference == "21-15490")).Select(c => c.MeetingId!.Value).SingleAsync();
        });
        var url = $"/api/meetings/{meetingId}/attendance";
        var fpa = test.ClientFor("sekretariat-fpa");
        var members = (await fpa.GetFromJsonAsync<AttendanceView>(url))!.Members;

        var recorded = await RecordAsync(fpa, url, Request([.. members.Select(m => (m.PersonId, "Present"))]));

        Assert.Equal(5, recorded.VotingPresent);
        var meeting = await OParlInterfaceTests.GetAsync(test.App.CreateClient(), $"http://localhost/oparl/meeting/{meetingId}");
        Assert.Null(meeting["participant"]);
        Assert.Null(meeting["agendaItem"]);
        Assert.All(members, m => Assert.DoesNotContain(m.PersonId.ToString(), meeting.ToJsonString(), StringComparison.Ordinal));
    }

    /// <summary>
    /// A person with two seats in the FPA, as an OParl import may bring them: a deputy seat without vote (read first) and
    /// a full seat. One invitation, not as a deputy; once in the attendance, with the full seat's vote, and six voting seats.
    /// </summary>
    [Fact]
    public async Task APersonWithADeputyAndAFullSeat_IsInvitedOnce_AndListedOnceWithTheFullSeat()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        const string address = "tom.zweisitz@rat.braunschweig.example";
        var personId = await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var fpa = await db.Organizations.SingleAsync(o => o.Key == "fpa");
            var now = Berlin.At(2021, 4, 1, 9);
            var person = new DeliberationFlow.Council.Model.Person
            {
                Id = Guid.CreateVersion7(now), BodyId = fpa.BodyId, Name = "Tom Zweisitz", GivenName = "Tom", FamilyName = "Zweisitz", Email = address,
                Created = now, Modified = now,
            };
            db.Persons.Add(person);
            // Saved one after the other, so the deputy seat is the one the database gives first.
            foreach (var (role, votingRight, start) in new[] { ("Stellvertreter", false, new DateOnly(2016, 11, 1)), ("Mitglied", true, new DateOnly(2021, 1, 1)) })
            {
                db.Memberships.Add(new DeliberationFlow.Council.Model.Membership
                {
                    Id = Guid.CreateVersion7(now), BodyId = fpa.BodyId, PersonId = person.Id, OrganizationId = fpa.Id, Role = role, VotingRight = votingRight,
                    StartDate = start, Created = now, Modified = now,
                });
                await db.SaveChangesAsync();
            }

            return person.Id;
        });
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17531", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));

        await test.MoveClockToAsync(Berlin.At(2021, 4, 22, 15, 0, 1));
        await test.ReconcileAsync();
        await test.Smtp.WaitForAsync(m => m.Subject == "Einladung: Finanz- und Personalausschuss am 29.04.2021 – 21-17531", 6);
        await test.WaitForMailOutAsync();
        var invitation = Assert.Single(test.Smtp.Messages, m => (m.Subject ?? "").StartsWith("Einladung:", StringComparison.Ordinal) && m.To.Mailboxes.Single().Address == address);
        Assert.DoesNotContain("stellvertretendes Mitglied", invitation.TextBody, StringComparison.Ordinal);

        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        var attendance = (await test.ClientFor("sekretariat-fpa").GetFromJsonAsync<AttendanceView>($"/api/meetings/{paper.Consultations[0].MeetingId}/attendance"))!;
        var tom = Assert.Single(attendance.Members, m => m.PersonId == personId);
        Assert.Equal(("Mitglied", true, false), (tom.Role, tom.VotingRight, tom.Deputy));
        Assert.Equal(6, attendance.VotingSeats);
    }

    [Fact]
    public async Task BadAttendance_IsRefusedWithEveryEntry_AndOthersMayNotRecord()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17502", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        var url = $"/api/meetings/{paper.Consultations[0].MeetingId}/attendance";
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        var members = (await test.ClientFor("admin").GetFromJsonAsync<AttendanceView>(url))!.Members;
        var hartmann = members.Single(m => m.Name == "Klaus Hartmann").PersonId;

        var bad = await test.ClientFor("admin").PutAsJsonAsync(url, Request((Guid.NewGuid(), "Present"), (hartmann, "da"), (hartmann, "Absent")));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors;
        Assert.Equal(["entries[0].personId", "entries[1].status", "entries[2].personId"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("not a member of the committee", errors["entries[0].personId"][0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await test.ClientFor("admin").PutAsJsonAsync(url, new RecordAttendanceRequest([]))).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("sekretariat-va").PutAsJsonAsync(url, Request((hartmann, "Present")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("ratsmitglied").PutAsJsonAsync(url, Request((hartmann, "Present")))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await test.ClientFor("admin-wf").GetAsync(url)).StatusCode);
        Assert.Null((await test.ClientFor("admin").GetFromJsonAsync<AttendanceView>(url))!.QuorumReached);
    }

    [Fact]
    public async Task AnEmptyEntry_IsRefusedAtItsPlace_AndRecordsNothing()
    {
        // A list built by a client that leaves a gap (a member deselected) sends null in its place; that was a 500.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17503", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        var url = $"/api/meetings/{paper.Consultations[0].MeetingId}/attendance";
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        var fpa = test.ClientFor("sekretariat-fpa");
        var hartmann = (await fpa.GetFromJsonAsync<AttendanceView>(url))!.Members.Single(m => m.Name == "Klaus Hartmann").PersonId;

        var bad = await fpa.PutAsync(url, JsonContent.Create(new { entries = new object?[] { new AttendanceEntry(hartmann, "Present"), null } }));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors;
        Assert.Equal(["entries[1]"], errors.Keys);
        Assert.Contains("personId", errors["entries[1]"][0], StringComparison.Ordinal);
        var after = (await fpa.GetFromJsonAsync<AttendanceView>(url))!;
        Assert.Null(after.RecordedAt);
        Assert.All(after.Members, m => Assert.Null(m.Status));
    }

    [Fact]
    public async Task AnInquorateMeeting_DecidesNothing_ButItsPapersCanBeDeferred()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var first = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17511", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        var second = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17512", "Neubau Feuerwache", "Beschlussvorlage", "fb10", null, true, null, null));
        var url = $"/api/meetings/{first.Consultations[0].MeetingId}/attendance";
        var fpa = test.ClientFor("sekretariat-fpa");
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        var id = (await fpa.GetFromJsonAsync<AttendanceView>(url))!.Members.ToDictionary(m => m.Name, m => m.PersonId);

        // While the recording is under way (two members without a status) nothing is refused for it.
        await RecordAsync(fpa, url, Request((id["Klaus Hartmann"], "Present"), (id["Jana Beispiel"], "Present"), (id["Aylin Demir"], "Excused")));
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", first.Consultations[0].Id, new("Adopted", "beschlossen", null)), HttpStatusCode.OK);

        // Everyone recorded, two of five voting seats taken: no decision, but the paper can go to the next meeting.
        await RecordAsync(fpa, url, Request((id["Sabine Krüger"], "Absent"), (id["Petra Vogel"], "Excused")));
        var refused = await test.RecordAsync("sekretariat-fpa", second.Consultations[0].Id, new("Adopted", "beschlossen", null));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadAsStringAsync();
        Assert.Contains("no quorum (2 of 5 voting seats taken", problem, StringComparison.Ordinal);
        Assert.Equal("Planned", (await test.GetPaperAsync("admin", second.Id)).Consultations[0].Status);
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", second.Consultations[0].Id, new("Deferred", "vertagt", null)), HttpStatusCode.OK);
        var deferred = await test.GetPaperAsync("admin", second.Id);
        Assert.Equal(["Deferred", "Planned"], deferred.Consultations.Select(c => c.Status));
    }

    [Fact]
    public async Task ATallyOfMoreVotesThanVotingMembersPresent_IsRefused_WhenRecordedAndWhenCorrected()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var first = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17521", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        var second = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17522", "Neubau Feuerwache", "Beschlussvorlage", "fb10", null, true, null, null));
        var url = $"/api/meetings/{first.Consultations[0].MeetingId}/attendance";
        var fpa = test.ClientFor("sekretariat-fpa");
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        var id = (await fpa.GetFromJsonAsync<AttendanceView>(url))!.Members.ToDictionary(m => m.Name, m => m.PersonId);

        // While the recording is under way (two members without a status) the tally is not held against it.
        await RecordAsync(fpa, url, Request((id["Klaus Hartmann"], "Present"), (id["Jana Beispiel"], "Present"), (id["Petra Vogel"], "Present")));
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", first.Consultations[0].Id, new("Adopted", "beschlossen", null, VotesFor: 4, VotesAgainst: 1)), HttpStatusCode.OK);

        // Everyone recorded, three of five voting members present: four votes and an abstention cannot have been cast.
        await RecordAsync(fpa, url, Request((id["Sabine Krüger"], "Absent"), (id["Aylin Demir"], "Excused")));
        var refused = await test.RecordAsync("sekretariat-fpa", second.Consultations[0].Id, new("Adopted", "beschlossen", null, VotesFor: 4, Abstentions: 1));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = (await refused.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.Equal(
            "The tally counts 5 votes (4 for, 0 against, 1 abstention), but the attendance recorded for the meeting has 3 voting members present. " +
            "Correct the tally, or record who else attended.",
            Assert.Single(problem.Errors["votesFor"]));
        Assert.Equal("Planned", (await test.GetPaperAsync("admin", second.Id)).Consultations[0].Status);

        var adopted = await test.RecordAsync("sekretariat-fpa", second.Consultations[0].Id, new("Adopted", "beschlossen", null, VotesFor: 2, Abstentions: 1));
        await Http.EnsureAsync(adopted, HttpStatusCode.OK);

        // A correction of the tally is held against the same attendance; the tally recorded stays.
        var correction = await fpa.PostAsJsonAsync($"/api/consultations/{second.Consultations[0].Id}/outcome/correction",
            new CorrectOutcomeRequest("Zählfehler", VotesAgainst: 2));
        Assert.Equal(HttpStatusCode.BadRequest, correction.StatusCode);
        var corrected = (await correction.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.StartsWith("The tally counts 5 votes (2 for, 2 against, 1 abstention)", Assert.Single(corrected.Errors["votesAgainst"]), StringComparison.Ordinal);
        var tally = (await test.GetPaperAsync("admin", second.Id)).Consultations[0].Votes!;
        Assert.Equal((2, 0, 1), (tally.For, tally.Against, tally.Abstentions));
        await Http.EnsureAsync(await fpa.PostAsJsonAsync($"/api/consultations/{second.Consultations[0].Id}/outcome/correction",
            new CorrectOutcomeRequest("Zählfehler", VotesAgainst: 1, Abstentions: 0)), HttpStatusCode.OK);
    }

    private static RecordAttendanceRequest Request(params (Guid PersonId, string Status)[] entries) =>
        new([.. entries.Select(e => new AttendanceEntry(e.PersonId, e.Status))]);

    private static async Task<AttendanceView> RecordAsync(HttpClient client, string url, RecordAttendanceRequest request)
    {
        var response = await client.PutAsJsonAsync(url, request);
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<AttendanceView>())!;
    }
}
