using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Notifications.Templates;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Council.Persons;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace DeliberationFlow.Tests.Integration;

/// <summary>What councillors and offices receive: invitations with agenda and calendar entry, their own preferences, followed papers.</summary>
[Collection(HostCollection.Name)]
public sealed class NotificationTests
{
    private const string Jana = "jana.beispiel@rat.braunschweig.example";

    [Fact]
    public async Task Invitation_CarriesTheAgendaAsTextAndHtml_AndAnIcsThatKeepsItsUidWhenTheMeetingMoves()
    {
        // Behind a proxy, under a path of its own: the links a timer writes come from the configured address.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            settings: new Dictionary<string, string> { ["Mail:PublicBaseUrl"] = "https://ratsinfo.braunschweig.example/rat" });
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-60001", "Grünflächen an der Oker", "Beschlussvorlage", "fb10", null, true, null, null));
        var meetingId = paper.Consultations[0].MeetingId!.Value;

        await test.MoveClockToAsync(Berlin.At(2021, 4, 22, 15, 0, 1));
        await test.ReconcileAsync();
        var invitations = await test.Smtp.WaitForAsync(m => m.Subject == "Einladung: Finanz- und Personalausschuss am 29.04.2021 – 21-60001", 5);
        Assert.Equal(5, invitations.Count);
        var invitation = invitations.Single(m => m.To.Mailboxes.Single().Address == Jana);

        Assert.Contains("Ö 1  21-60001 – Grünflächen an der Oker (Beschlussvorlage, Vorberatung)", invitation.TextBody, StringComparison.Ordinal);
        Assert.Contains("<td>Grünflächen an der Oker</td>", invitation.HtmlBody, StringComparison.Ordinal);

        // From the invitation to the meeting's page and to each item's paper.
        var meetingPage = $"https://ratsinfo.braunschweig.example/rat/meetings/{meetingId}/minutes";
        var paperPage = $"https://ratsinfo.braunschweig.example/rat/papers/{paper.Id}";
        Assert.Contains($"Tagesordnung online: {meetingPage}", invitation.TextBody, StringComparison.Ordinal);
        Assert.Contains($"(Beschlussvorlage, Vorberatung)\n        {paperPage}\n", invitation.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{meetingPage}\">", invitation.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"<td><a href=\"{paperPage}\">21-60001</a></td>", invitation.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(invitation.BodyParts, p => p.ContentType.MimeType == "text/plain");
        Assert.Contains(invitation.BodyParts, p => p.ContentType.MimeType == "text/html");
        var calendar = ParseIcs(invitation);
        Assert.Equal("REQUEST", calendar.Method);
        var entry = Assert.Single(calendar.Events);
        Assert.Equal($"meeting-{meetingId:N}@deliberationflow", entry.Uid);
        Assert.Equal("Europe/Berlin", entry.DtStart!.TzId);
        Assert.Equal(new DateTime(2021, 4, 29, 15, 0, 0), entry.DtStart.Value);
        Assert.Contains("Finanz- und Personalausschuss", entry.Summary, StringComparison.Ordinal);
        Assert.Contains("Ö 1 21-60001 – Grünflächen an der Oker", entry.Description, StringComparison.Ordinal);

        // Moved after the invitation: the members' notice carries the same UID with a higher sequence and the new time.
        await test.MoveClockToAsync(Berlin.At(2021, 4, 23, 10));
        await Http.EnsureAsync(await test.ClientFor("sekretariat-fpa").PostAsJsonAsync($"/api/meetings/{meetingId}/change",
            new ChangeMeetingRequest("move", "2021-05-06T15:00", "Raum belegt")), HttpStatusCode.OK);
        var notice = (await test.Smtp.WaitForAsync(m => m.Subject == "Sitzung verlegt: Finanz- und Personalausschuss am 29.04.2021", 5))
            .Single(m => m.To.Mailboxes.Single().Address == Jana);
        var moved = Assert.Single(ParseIcs(notice).Events);
        Assert.Equal(entry.Uid, moved.Uid);
        Assert.True(moved.Sequence > entry.Sequence);
        Assert.Equal(new DateTime(2021, 5, 6, 15, 0, 0), moved.DtStart!.Value);
        Assert.Contains("wird verlegt auf 06.05.2021 15:00 Uhr", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Die Sitzung in DeliberationFlow: {meetingPage}", notice.TextBody, StringComparison.Ordinal);
    }

    /// <summary>
    /// The change notice's calendar entry replaces the invitation's (same UID, higher SEQUENCE), so it must list the
    /// agenda as the invitation did: all items, the non-public ones included, for those the invitation goes to (the
    /// members on the meeting's day); only the public part for a member whose seat ends before the new date.
    /// </summary>
    [Fact]
    public async Task AMovedMeetingsCalendarUpdate_ListsTheAgendaAsTheInvitationDid_NonPublicItemsOnlyForTheMembersOfTheNewDay()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var open = await test.RegisterAsync("admin", new RegisterPaperRequest("21-60101", "Radweg am Ring", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.RegisterAsync("admin", new RegisterPaperRequest("21-60102", "Grundstücksverkauf", "Beschlussvorlage", "fb10", null, false, null, null));
        var meetingId = open.Consultations[0].MeetingId!.Value;

        await test.MoveClockToAsync(Berlin.At(2021, 4, 22, 15, 0, 1));
        await test.ReconcileAsync();
        var invitations = await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Einladung: Finanz- und Personalausschuss am 29.04.2021", StringComparison.Ordinal), 5);
        var invited = Assert.Single(ParseIcs(invitations.First(m => m.To.Mailboxes.Single().Address != Jana)).Events);
        Assert.Equal("Ö 1 21-60101 – Radweg am Ring\nN 1 21-60102 – Grundstücksverkauf", invited.Description);

        // Jana's seat ends on 01.05.: she is told of the move (she sat on the old date), but is not invited to the new one.
        var admin = test.ClientFor("admin");
        var directory = (await admin.GetFromJsonAsync<PersonDirectory>("/api/persons"))!;
        var seat = directory.Persons.Single(p => p.Name == "Jana Beispiel").Memberships.Single(m => m.CommitteeKey == "fpa" && m.EndDate is null);
        await Http.EnsureAsync(await admin.PostAsJsonAsync($"/api/memberships/{seat.Id}/end", new EndMembershipRequest(new DateOnly(2021, 5, 1))), HttpStatusCode.OK);

        await test.MoveClockToAsync(Berlin.At(2021, 4, 23, 10));
        await Http.EnsureAsync(await test.ClientFor("sekretariat-fpa").PostAsJsonAsync($"/api/meetings/{meetingId}/change",
            new ChangeMeetingRequest("move", "2021-05-06T15:00", "Raum belegt")), HttpStatusCode.OK);
        var notices = await test.Smtp.WaitForAsync(m => m.Subject == "Sitzung verlegt: Finanz- und Personalausschuss am 29.04.2021", 5);
        Assert.Equal(5, notices.Count);
        foreach (var notice in notices)
        {
            var moved = Assert.Single(ParseIcs(notice).Events);
            Assert.Equal((invited.Uid, new DateTime(2021, 5, 6, 15, 0, 0)), (moved.Uid, moved.DtStart!.Value));
            Assert.True(moved.Sequence > invited.Sequence);
            Assert.Equal(
                notice.To.Mailboxes.Single().Address == Jana ? "Ö 1 21-60101 – Radweg am Ring" : invited.Description,
                moved.Description);
        }
    }

    /// <summary>
    /// The reminder for 29.04. 15:00 has gone out (the day before) when, on the morning of the meeting, it moves to 17:00
    /// the same day. The members hear of the move, and are reminded once more for the new start: that reminder names
    /// 17:00 and says "heute" — it goes out on the meeting's day, not the day before as the committee's one reminder day
    /// would have it say ("morgen").
    /// </summary>
    [Fact]
    public async Task AMeetingMovedToAnotherTimeOfItsDay_AfterItsReminder_IsRemindedOnceMore_WithTheNewTimeAndToday()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-60211", "Sporthalle Süd", "Beschlussvorlage", "fb10", null, true, null, null));
        const string subject = "Erinnerung: Finanz- und Personalausschuss am 29.04.2021 – 21-60211";

        await test.MoveClockToAsync(Berlin.At(2021, 4, 28, 15, 0, 1));
        await test.ReconcileAsync();
        var first = await test.Smtp.WaitForAsync(m => m.Subject == subject, 5);
        Assert.All(first, m => Assert.Contains("morgen, Donnerstag, 29.04.2021, 15:00 Uhr", m.TextBody, StringComparison.Ordinal));

        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 8));
        await Http.EnsureAsync(await test.ClientFor("sekretariat-fpa").PostAsJsonAsync($"/api/meetings/{paper.Consultations[0].MeetingId}/change",
            new ChangeMeetingRequest("move", "2021-04-29T17:00", "Raum erst ab 17 Uhr frei")), HttpStatusCode.OK);
        await test.ReconcileAsync();
        var moved = await test.Smtp.WaitForAsync(m => m.Subject == "Sitzung verlegt: Finanz- und Personalausschuss am 29.04.2021", 5);
        Assert.All(moved, m => Assert.Contains("am 29.04.2021 15:00 Uhr wird verlegt auf 29.04.2021 17:00 Uhr", m.TextBody, StringComparison.Ordinal));
        var again = await test.Smtp.WaitForAsync(m => m.Subject == subject && !(m.TextBody ?? "").Contains("15:00", StringComparison.Ordinal), 5);
        Assert.All(again, m => Assert.Contains("heute, Donnerstag, 29.04.2021, 17:00 Uhr", m.TextBody, StringComparison.Ordinal));

        // Once per member for each start, however often the timers fire.
        await test.ReconcileAsync();
        await test.WaitForMailOutAsync();
        Assert.Equal(10, test.Smtp.Messages.Count(m => m.Subject == subject));
        Assert.Equal(5, test.Smtp.Messages.Where(m => m.Subject == subject).Select(m => m.To.Mailboxes.Single().Address).Distinct().Count());
    }

    /// <summary>
    /// A body's own reminder wording has the days left in words, as the shipped one words them: <c>daysBeforeText</c> is
    /// among the fields, the preview fills it in, and the reminder says "morgen" the day before and "heute" when a move
    /// to a later hour of the meeting's day reminds the members once more. A template that words only
    /// <c>daysBefore == 1</c> itself (as saved before) still saves and renders: the number stays.
    /// </summary>
    [Fact]
    public async Task ABodysOwnReminder_WordsTheDaysLeft_WithTheReadyMadeText_TodayOnTheMeetingsDay()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var shipped = (await admin.GetFromJsonAsync<MailTemplateView>("/api/mail-templates/reminder/de"))!;
        Assert.Contains("daysBeforeText", shipped.Fields);
        var older = new SaveMailTemplateRequest("Alt {{ meeting.date }}", "Die Sitzung ist {% if daysBefore == 1 %}morgen{% else %}in {{ daysBefore }} Tagen{% endif %}.", "<p>alt</p>");
        await Http.EnsureAsync(await admin.PutAsJsonAsync("/api/mail-templates/reminder/en", older), HttpStatusCode.OK);
        var own = new SaveMailTemplateRequest(
            "Sitzung {{ daysBeforeText }}: {{ committee.shortName }} {{ meeting.time }} – {{ references }}",
            "Liebe/r {{ recipient.name }}, {{ daysBeforeText }} um {{ meeting.time }} Uhr tagt der {{ committee.shortName }}.",
            "<p>{{ daysBeforeText }}</p>");
        var preview = await admin.PostAsJsonAsync("/api/mail-templates/reminder/de/preview", own);
        await Http.EnsureAsync(preview, HttpStatusCode.OK);
        Assert.Equal("Sitzung morgen: FPA 15:00 – 21-15513, 21-15600", (await preview.Content.ReadFromJsonAsync<RenderedMail>())!.Subject);
        await Http.EnsureAsync(await admin.PutAsJsonAsync("/api/mail-templates/reminder/de", own), HttpStatusCode.OK);
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-60212", "Sporthalle Nord", "Beschlussvorlage", "fb10", null, true, null, null));

        await test.MoveClockToAsync(Berlin.At(2021, 4, 28, 15, 0, 1));
        await test.ReconcileAsync();
        var dayBefore = await test.Smtp.WaitForAsync(m => m.Subject == "Sitzung morgen: FPA 15:00 – 21-60212", 5);
        Assert.All(dayBefore, m => Assert.Contains("morgen um 15:00 Uhr tagt der FPA.", m.TextBody, StringComparison.Ordinal));

        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 8));
        await Http.EnsureAsync(await test.ClientFor("sekretariat-fpa").PostAsJsonAsync($"/api/meetings/{paper.Consultations[0].MeetingId}/change",
            new ChangeMeetingRequest("move", "2021-04-29T17:00", "Raum erst ab 17 Uhr frei")), HttpStatusCode.OK);
        await test.ReconcileAsync();
        var sameDay = await test.Smtp.WaitForAsync(m => m.Subject == "Sitzung heute: FPA 17:00 – 21-60212", 5);
        Assert.All(sameDay, m => Assert.Contains("heute um 17:00 Uhr tagt der FPA.", m.TextBody, StringComparison.Ordinal));
        Assert.All(sameDay, m => Assert.Contains("<p>heute</p>", m.HtmlBody, StringComparison.Ordinal));
        Assert.Equal("Alt 29.04.2021", (await (await admin.PostAsJsonAsync("/api/mail-templates/reminder/en/preview", new SaveMailTemplateRequest(null, null, null)))
            .Content.ReadFromJsonAsync<RenderedMail>())!.Subject);
    }

    /// <summary>
    /// The reminder for 29.04. has gone out when the meeting moves to 06.05.: every member is reminded again for the new
    /// date — those who read digests and Jana, who chose one message per item — and never twice for the same date.
    /// </summary>
    [Fact]
    public async Task AMeetingMovedAfterItsReminder_IsRemindedAgainForTheNewDate_OnceForDigestAndSingleReaders()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await Http.EnsureAsync(await test.ClientFor("ratsmitglied").PutAsJsonAsync("/api/me/notification-preferences",
            new SavePreferencesRequest(null, false, [])), HttpStatusCode.OK);
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-60201", "Sporthalle Nord", "Beschlussvorlage", "fb10", null, true, null, null));
        var meetingId = paper.Consultations[0].MeetingId!.Value;
        static bool Reminder(MimeMessage m, string date) =>
            (m.Subject ?? "").StartsWith($"Erinnerung: Finanz- und Personalausschuss am {date}", StringComparison.Ordinal);

        await test.MoveClockToAsync(Berlin.At(2021, 4, 28, 15, 0, 1));
        await test.ReconcileAsync();
        var first = await test.Smtp.WaitForAsync(m => Reminder(m, "29.04.2021"), 5);
        Assert.Contains(first, m => m.To.Mailboxes.Single().Address == Jana);

        await Http.EnsureAsync(await test.ClientFor("sekretariat-fpa").PostAsJsonAsync($"/api/meetings/{meetingId}/change",
            new ChangeMeetingRequest("move", "2021-05-06T15:00", "Raum belegt")), HttpStatusCode.OK);
        await test.MoveClockToAsync(Berlin.At(2021, 5, 5, 15, 0, 1));
        await test.ReconcileAsync();
        var second = await test.Smtp.WaitForAsync(m => Reminder(m, "06.05.2021"), 5);
        Assert.Equal(5, second.Select(m => m.To.Mailboxes.Single().Address).Distinct().Count());
        Assert.All(second, m => Assert.Equal("Erinnerung: Finanz- und Personalausschuss am 06.05.2021 – 21-60201", m.Subject));

        // Fired again (a reconciliation), nothing more: one reminder per member and date; and no second invitation.
        await test.ReconcileAsync();
        await test.WaitForMailOutAsync();
        Assert.Equal(5, test.Smtp.Messages.Count(m => Reminder(m, "29.04.2021")));
        Assert.Equal(5, test.Smtp.Messages.Count(m => Reminder(m, "06.05.2021")));
        Assert.Equal(5, test.Smtp.Messages.Count(m => (m.Subject ?? "").StartsWith("Einladung:", StringComparison.Ordinal)));
    }

    /// <summary>
    /// An admin sets what members who never chose get: one message per item instead of the digest. The four FPA members
    /// without a choice then get one invitation per paper; Jana, who chose the digest herself, keeps one for the meeting.
    /// Only admins change it, it takes a value, and the change is in the audit log.
    /// </summary>
    [Fact]
    public async Task TheBodysDigestDefault_ReachesMembersWhoNeverChose_WhileAnOwnChoiceWins()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var jana = test.ClientFor("ratsmitglied");
        Assert.True((await admin.GetFromJsonAsync<BodyNotificationSettingsView>("/api/notification-settings"))!.DigestDefault);
        Assert.Equal(HttpStatusCode.Forbidden, (await jana.PutAsJsonAsync("/api/notification-settings", new SaveBodyNotificationSettingsRequest(false))).StatusCode);
        var empty = await admin.PutAsJsonAsync("/api/notification-settings", new SaveBodyNotificationSettingsRequest(null));
        await Http.EnsureAsync(empty, HttpStatusCode.BadRequest);
        Assert.Equal(["digestDefault"], (await empty.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
        Assert.True((await admin.GetFromJsonAsync<BodyNotificationSettingsView>("/api/notification-settings"))!.DigestDefault);

        // Jana chooses the digest, as the default is now; a later language change leaves her choice as it is.
        await Http.EnsureAsync(await jana.PutAsJsonAsync("/api/me/notification-preferences", new SavePreferencesRequest(null, true, null)), HttpStatusCode.OK);
        await Http.EnsureAsync(await jana.PutAsJsonAsync("/api/me/notification-preferences", new SavePreferencesRequest("de", null, null)), HttpStatusCode.OK);
        var changed = await admin.PutAsJsonAsync("/api/notification-settings", new SaveBodyNotificationSettingsRequest(false));
        await Http.EnsureAsync(changed, HttpStatusCode.OK);
        Assert.False((await changed.Content.ReadFromJsonAsync<BodyNotificationSettingsView>())!.DigestDefault);
        Assert.Contains((await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=body"))!.Entries,
            e => e.Message.Contains("eine Nachricht je Tagesordnungspunkt", StringComparison.Ordinal));
        var own = (await jana.GetFromJsonAsync<PreferencesView>("/api/me/notification-preferences"))!;
        Assert.Equal((true, false), (own.Digest, own.DigestFromBody));
        var unchosen = (await admin.GetFromJsonAsync<PreferencesView>("/api/me/notification-preferences"))!;
        Assert.Equal((false, true), (unchosen.Digest, unchosen.DigestFromBody));

        await test.RegisterAsync("admin", new RegisterPaperRequest("21-61011", "Haushalt", "Beschlussvorlage", "fb20", null, true, null, null));
        await test.RegisterAsync("admin", new RegisterPaperRequest("21-61012", "Stellenplan", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.MoveClockToAsync(Berlin.At(2021, 4, 22, 15, 0, 1));
        await test.ReconcileAsync();
        const string invitation = "Einladung: Finanz- und Personalausschuss am 29.04.2021 – ";
        var singles = await test.Smtp.WaitForAsync(m => m.Subject is invitation + "21-61011" or invitation + "21-61012", 8);
        Assert.Equal(4, singles.Select(m => m.To.Mailboxes.Single().Address).Distinct().Count());
        Assert.DoesNotContain(singles, m => m.To.Mailboxes.Single().Address == Jana);
        var digest = Assert.Single(await test.Smtp.WaitForAsync(m => m.Subject == invitation + "21-61011, 21-61012", 1));
        Assert.Equal(Jana, digest.To.Mailboxes.Single().Address);
        await test.WaitForMailOutAsync();
        Assert.Equal(9, test.Smtp.Messages.Count(m => (m.Subject ?? "").StartsWith(invitation, StringComparison.Ordinal)));
    }

    /// <summary>
    /// Jana once chose the digest; the body's default is one message per item. A null digest leaves her choice as it is,
    /// so she returns to the default with <c>delivery: "bodyDefault"</c>: she then gets one invitation per paper like
    /// every member who never chose, and follows the default when the admin changes it again. Both changes of hers are in
    /// the Änderungsprotokoll; a delivery that is none, or one given twice, is refused naming it and changes nothing.
    /// </summary>
    [Fact]
    public async Task AMemberWhoChose_ReturnsToTheBodysDefault_AndFollowsItFromThenOn()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var jana = test.ClientFor("ratsmitglied");
        const string preferences = "/api/me/notification-preferences";
        await Http.EnsureAsync(await admin.PutAsJsonAsync("/api/notification-settings", new SaveBodyNotificationSettingsRequest(false)), HttpStatusCode.OK);
        await Http.EnsureAsync(await jana.PutAsJsonAsync(preferences, new SavePreferencesRequest(null, true, null)), HttpStatusCode.OK);
        var chosen = (await jana.GetFromJsonAsync<PreferencesView>(preferences))!;
        Assert.Equal((true, false, false), (chosen.Digest, chosen.DigestFromBody, chosen.DigestDefault));

        foreach (var (wrong, problem) in new (object Request, string Message)[]
        {
            (new { delivery = "sometimes" }, "'sometimes' is no delivery"),
            (new { delivery = Deliveries.BodyDefault, digest = false }, "not both"),
        })
        {
            var refused = await jana.PutAsJsonAsync(preferences, wrong);
            await Http.EnsureAsync(refused, HttpStatusCode.BadRequest);
            var errors = (await refused.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors;
            Assert.Equal(["delivery"], errors.Keys);
            Assert.Contains(problem, errors["delivery"].Single(), StringComparison.Ordinal);
        }

        var unchanged = (await jana.GetFromJsonAsync<PreferencesView>(preferences))!;
        Assert.Equal((true, false), (unchanged.Digest, unchanged.DigestFromBody));

        var returned = await jana.PutAsJsonAsync(preferences, new SavePreferencesRequest(null, null, null, Deliveries.BodyDefault));
        await Http.EnsureAsync(returned, HttpStatusCode.OK);
        var following = (await returned.Content.ReadFromJsonAsync<PreferencesView>())!;
        Assert.Equal((false, true), (following.Digest, following.DigestFromBody));
        var stored = (await jana.GetFromJsonAsync<PreferencesView>(preferences))!;
        Assert.Equal((false, true), (stored.Digest, stored.DigestFromBody));
        var janasEntries = (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=account&q=ratsmitglied"))!.Entries
            .Where(e => e.Subject == "ratsmitglied").Select(e => e.Message).ToList();
        Assert.Contains("Zustellung selbst gewählt: eine Sammelnachricht je Sitzung.", janasEntries);
        Assert.Contains("Zustellung folgt wieder der Voreinstellung der Körperschaft (derzeit eine Nachricht je Tagesordnungspunkt).", janasEntries);

        // Saved again as she follows it (the portal sends the delivery each time): nothing changes, nothing more on record.
        await Http.EnsureAsync(await jana.PutAsJsonAsync(preferences, new SavePreferencesRequest("de", null, null, Deliveries.BodyDefault)), HttpStatusCode.OK);
        Assert.Equal(2, (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=account&q=ratsmitglied"))!.Entries.Count(e => e.Subject == "ratsmitglied"));

        await test.RegisterAsync("admin", new RegisterPaperRequest("21-61021", "Haushalt", "Beschlussvorlage", "fb20", null, true, null, null));
        await test.RegisterAsync("admin", new RegisterPaperRequest("21-61022", "Stellenplan", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.MoveClockToAsync(Berlin.At(2021, 4, 22, 15, 0, 1));
        await test.ReconcileAsync();
        const string invitation = "Einladung: Finanz- und Personalausschuss am 29.04.2021 – ";
        var singles = await test.Smtp.WaitForAsync(m => m.Subject is invitation + "21-61021" or invitation + "21-61022", 10);
        Assert.Equal(5, singles.Select(m => m.To.Mailboxes.Single().Address).Distinct().Count());
        Assert.Equal(2, singles.Count(m => m.To.Mailboxes.Single().Address == Jana));
        await test.WaitForMailOutAsync();
        Assert.DoesNotContain(test.Smtp.Messages, m => m.Subject == invitation + "21-61021, 21-61022");

        // She follows the default, so the admin's next change reaches her too.
        await Http.EnsureAsync(await admin.PutAsJsonAsync("/api/notification-settings", new SaveBodyNotificationSettingsRequest(true)), HttpStatusCode.OK);
        var now = (await jana.GetFromJsonAsync<PreferencesView>(preferences))!;
        Assert.Equal((true, true, true), (now.Digest, now.DigestFromBody, now.DigestDefault));
    }

    [Fact]
    public async Task ByDefault_OneInvitationPerMeeting_AndASupplementForLateItems_WhileAMemberMayChooseEnglishSingleMessagesAndNoReminder()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var jana = test.ClientFor("ratsmitglied");
        var defaults = (await jana.GetFromJsonAsync<PreferencesView>("/api/me/notification-preferences"))!;
        Assert.Equal(("de", true), (defaults.Language, defaults.Digest));
        var mandatory = await jana.PutAsJsonAsync("/api/me/notification-preferences", new SavePreferencesRequest(null, null, ["invitation"]));
        await Http.EnsureAsync(mandatory, HttpStatusCode.BadRequest);
        Assert.Contains("mandatory", await mandatory.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var saved = await jana.PutAsJsonAsync("/api/me/notification-preferences", new SavePreferencesRequest("en", false, ["reminder"]));
        await Http.EnsureAsync(saved, HttpStatusCode.OK);
        var preferences = (await jana.GetFromJsonAsync<PreferencesView>("/api/me/notification-preferences"))!;
        Assert.Equal(("en", false), (preferences.Language, preferences.Digest));
        Assert.Equal(["reminder"], preferences.OptOut);

        var haushalt = await test.RegisterAsync("admin", new RegisterPaperRequest("21-61001", "Haushalt", "Beschlussvorlage", "fb20", null, true, null, null));
        var stellenplan = await test.RegisterAsync("admin", new RegisterPaperRequest("21-61002", "Stellenplan", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.MoveClockToAsync(Berlin.At(2021, 4, 22, 15, 0, 1));
        await test.ReconcileAsync();

        // Everyone else: one invitation for the meeting with its agenda, in German (§ 59 NKomVG: the invitation states it).
        var others = await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Einladung: Finanz- und Personalausschuss am 29.04.2021 – ", StringComparison.Ordinal), 4);
        Assert.Equal(4, others.Select(m => m.To.Mailboxes.Single().Address).Distinct().Count());
        Assert.DoesNotContain(others, m => m.To.Mailboxes.Single().Address == Jana);
        Assert.All(others, m => Assert.Equal("Einladung: Finanz- und Personalausschuss am 29.04.2021 – 21-61001, 21-61002", m.Subject));
        Assert.All(others, m => Assert.Contains("21-61002 – Stellenplan", m.TextBody, StringComparison.Ordinal));

        // Jana: one message per item, in English.
        await test.WaitForMailOutAsync();
        var singles = test.Smtp.Messages.Where(m => m.To.Mailboxes.Single().Address == Jana).ToList();
        Assert.Equal(
            ["Invitation: Finanz- und Personalausschuss on 29/04/2021 – 21-61001", "Invitation: Finanz- und Personalausschuss on 29/04/2021 – 21-61002"],
            singles.Select(m => m.Subject).Order(StringComparer.Ordinal));
        Assert.All(singles, m => Assert.Contains("Dear Jana Beispiel", m.TextBody, StringComparison.Ordinal));

        // Each invitation went out under one paper's timer; the delivery log of each paper it lists shows it, once.
        foreach (var paper in new[] { haushalt, stellenplan })
        {
            var log = (await test.ClientFor("admin").GetFromJsonAsync<List<DeliveryView>>($"/api/papers/{paper.Id}/deliveries"))!;
            var invitations = log.Where(d => d.Kind == "invitation").ToList();
            Assert.Equal(5, invitations.Count);
            Assert.Equal(4, invitations.Count(d => d.Subject == "Einladung: Finanz- und Personalausschuss am 29.04.2021 – 21-61001, 21-61002" && d.Status == "Sent"));
            Assert.Single(invitations, d => d.Recipient == Jana && d.Subject.EndsWith(paper.Reference, StringComparison.Ordinal));
        }

        // An urgent paper comes after the invitation: the others get a supplement listing only what is new, Jana its own invitation.
        await test.MoveClockToAsync(Berlin.At(2021, 4, 23, 9));
        var late = await test.RegisterAsync("admin", new RegisterPaperRequest("21-61003", "Eilige Vorlage", "Beschlussvorlage", "fb10", null, true, null, null, Urgent: true));
        Assert.Equal("29.04.2021", late.Consultations[0].Date);
        await test.MoveClockToAsync(Berlin.At(2021, 4, 28, 15, 0, 1));
        await test.ReconcileAsync();
        var supplements = await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Nachtrag zur Einladung", StringComparison.Ordinal), 4);
        Assert.All(supplements, m => Assert.Equal("Nachtrag zur Einladung: Finanz- und Personalausschuss am 29.04.2021 – 21-61003", m.Subject));
        Assert.Single(await test.Smtp.WaitForAsync(m => m.To.Mailboxes.Single().Address == Jana && (m.Subject ?? "").EndsWith("21-61003", StringComparison.Ordinal), 1));

        // The reminders (one day before) reach the others, one each with all three items; Jana turned them off.
        await test.WaitForMailOutAsync();
        var reminders = await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Erinnerung: Finanz- und Personalausschuss", StringComparison.Ordinal), 4);
        Assert.All(reminders, m => Assert.Equal("Erinnerung: Finanz- und Personalausschuss am 29.04.2021 – 21-61001, 21-61002, 21-61003", m.Subject));
        Assert.DoesNotContain(test.Smtp.Messages, m => m.To.Mailboxes.Single().Address == Jana && (m.Subject ?? "").StartsWith("Reminder", StringComparison.Ordinal));
    }

    /// <summary>
    /// A meeting moved to a few minutes from now fires every item's invitation at once; the first timer's digest lists
    /// all items. Each paper's delivery log shows that digest — also on SQLite, which keeps Guids as upper-case text
    /// while a digest's item list is written lower-case — and each paper's journal names who was invited.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task ADigestSentUnderOnePapersTimer_ShowsInTheDeliveryLogAndJournalOfEveryPaperItNames(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var papers = new[]
        {
            await test.RegisterAsync("admin", new RegisterPaperRequest("21-66001", "Schulhof", "Beschlussvorlage", "fb10", null, true, null, null)),
            await test.RegisterAsync("admin", new RegisterPaperRequest("21-66002", "Spielplatz", "Beschlussvorlage", "fb10", null, true, null, null)),
        };
        var meetingId = papers[0].Consultations[0].MeetingId!.Value;
        Assert.Equal(meetingId, papers[1].Consultations[0].MeetingId);

        // The VA's secretary follows the FPA: she gets its public agenda, one message for both items.
        await Http.EnsureAsync(await test.ClientFor("sekretariat-va").PutAsync("/api/committees/fpa/follow", null), HttpStatusCode.OK);
        await test.MoveClockToAsync(Berlin.At(2021, 4, 20, 9));
        await Http.EnsureAsync(await test.ClientFor("sekretariat-fpa").PostAsJsonAsync($"/api/meetings/{meetingId}/change",
            new ChangeMeetingRequest("move", "2021-04-20T09:10", "Eilsitzung")), HttpStatusCode.OK);
        await test.ReconcileAsync();
        const string subject = "Einladung: Finanz- und Personalausschuss am 20.04.2021 – 21-66001, 21-66002";
        var invited = (await test.Smtp.WaitForAsync(m => m.Subject == subject, 5)).Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(5, invited.Distinct().Count());

        // That mail is the first timer's. The other paper's timer fires in another lane of the same job and may commit
        // later: its journal line, and any message it might wrongly add, exist only once it has fired.
        await test.WaitForDueTimersAsync();
        await test.ReconcileAsync();
        await test.WaitForMailOutAsync();
        Assert.Equal(5, test.Smtp.Messages.Count(m => (m.Subject ?? "").StartsWith("Einladung:", StringComparison.Ordinal)));
        Assert.Equal(["sekretariat-va@braunschweig.example"], test.Smtp.Messages.Where(m => (m.Subject ?? "").StartsWith("Tagesordnung:", StringComparison.Ordinal))
            .Select(m => m.To.Mailboxes.Single().Address));

        var lines = new Dictionary<string, string>();
        foreach (var paper in papers)
        {
            var log = (await test.ClientFor("admin").GetFromJsonAsync<List<DeliveryView>>($"/api/papers/{paper.Id}/deliveries"))!;
            Assert.Equal(invited, log.Where(d => d.Kind == "invitation" && d.Subject == subject).Select(d => d.Recipient).Order(StringComparer.Ordinal));

            // Both timers fired (one line each); each journal names everyone invited, not "Einladung an ." on the second.
            var journal = (await test.GetPaperAsync("admin", paper.Id)).Journal;
            var line = Assert.Single(journal, j => j.Kind == "NotificationQueued" && j.Message.StartsWith("Einladung an ", StringComparison.Ordinal)).Message;
            Assert.All(invited, address => Assert.Contains(address, line, StringComparison.Ordinal));
            Assert.Contains(journal, j => j.Kind == "NotificationQueued" && j.Message.Contains("Tagesordnung an Folgende des Gremiums: sekretariat-va@braunschweig.example", StringComparison.Ordinal));
            lines[paper.Reference] = line;
        }

        // The paper whose timer fired second says that the invitation listing it went out under the other paper's timer.
        var second = Assert.Single(lines, l => l.Value.Contains(" — mit der Einladung zur Sitzung, die schon unter ", StringComparison.Ordinal));
        var first = lines.Keys.Single(r => r != second.Key);
        Assert.Contains($" — mit der Einladung zur Sitzung, die schon unter {first} vorgemerkt war.", second.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Followers_HearOutcomesAndDeferrals_AndNonPublicOnesOnlyFromTheirOwnCommittees()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var closed = await test.RegisterAsync("admin", new RegisterPaperRequest("21-62001", "Grundstücksverkauf", "Beschlussvorlage", "fb10", null, false, null, null));
        var open = await test.RegisterAsync("admin", new RegisterPaperRequest("21-62002", "Radweg", "Beschlussvorlage", "fb61", null, true, null, null));
        var jana = test.ClientFor("ratsmitglied");
        await Http.EnsureAsync(await jana.PutAsync($"/api/papers/{closed.Id}/follow", null), HttpStatusCode.OK);
        await Http.EnsureAsync(await jana.PutAsync($"/api/papers/{open.Id}/follow", null), HttpStatusCode.OK);
        await Http.EnsureAsync(await test.ClientFor("sekretariat-plua").PutAsync($"/api/papers/{closed.Id}/follow", null), HttpStatusCode.NotFound);
        Assert.Equal(["21-62001", "21-62002"], (await jana.GetFromJsonAsync<List<FollowedPaper>>("/api/me/followed-papers"))!.Select(f => f.Reference));

        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18));
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", closed.Consultations[0].Id, new("Adopted", "beschlossen", null)), HttpStatusCode.OK);
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", open.Consultations[0].Id, new("Deferred", "vertagt", null)), HttpStatusCode.OK);
        var fpa = await test.Smtp.WaitForAsync(m => m.To.Mailboxes.Single().Address == Jana, 2);
        Assert.Equal(
            ["Beratungsergebnis 21-62001: Finanz- und Personalausschuss am 29.04.2021 – beschlossen", "Vertagt 21-62002: Finanz- und Personalausschuss am 29.04.2021 – vertagt"],
            fpa.Select(m => m.Subject).Order(StringComparer.Ordinal));
        var office = Assert.Single(await test.Smtp.WaitForAsync(m => m.Subject == "Vertagt 21-62002: Finanz- und Personalausschuss am 29.04.2021 – vertagt" && m.To.Mailboxes.Single().Address == "fb61@braunschweig.example", 1));

        // Each notice links its paper's page, under the embedded default address, by id (the page checks who may see it).
        Assert.Contains($"Die Vorlage in DeliberationFlow: http://localhost:5000/papers/{open.Id}", office.TextBody, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"http://localhost:5000/papers/{open.Id}\">", office.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"http://localhost:5000/papers/{closed.Id}", fpa.Single(m => m.Subject!.StartsWith("Beratungsergebnis 21-62001", StringComparison.Ordinal)).TextBody, StringComparison.Ordinal);

        // The Verwaltungsausschuss sits without Jana: its outcome on the non-public paper reaches the lead office only.
        await test.MoveClockToAsync(Berlin.At(2021, 5, 4, 18));
        var va = (await test.GetPaperAsync("admin", closed.Id)).Consultations.Single(c => c.Committee.Key == "va");
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-va", va.Id, new("Adopted", "beschlossen", null)), HttpStatusCode.OK);
        Assert.Single(await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Beratungsergebnis 21-62001: Verwaltungsausschuss", StringComparison.Ordinal), 1));
        await test.WaitForMailOutAsync();
        Assert.DoesNotContain(test.Smtp.Messages, m => m.To.Mailboxes.Single().Address == Jana && (m.Subject ?? "").Contains("Verwaltungsausschuss", StringComparison.Ordinal));

        await Http.EnsureAsync(await jana.DeleteAsync($"/api/papers/{open.Id}/follow"), HttpStatusCode.NoContent);
        Assert.Equal(["21-62001"], (await jana.GetFromJsonAsync<List<FollowedPaper>>("/api/me/followed-papers"))!.Select(f => f.Reference));
    }

    /// <summary>
    /// The list of templates and each template describe an English template in English: no English entry carries the
    /// German description of its kind, and the German entries keep theirs.
    /// </summary>
    [Fact]
    public async Task EnglishTemplates_AreDescribedInEnglish_NotWithTheGermanDescription()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var list = (await admin.GetFromJsonAsync<List<MailTemplateSummary>>("/api/mail-templates"))!;
        Assert.Equal(MailKinds.All.Count, list.Count(t => t.Language == MailLanguages.English));
        foreach (var kind in MailKinds.All)
        {
            var german = list.Single(t => t.Kind == kind.Name && t.Language == MailLanguages.German).Description;
            var english = list.Single(t => t.Kind == kind.Name && t.Language == MailLanguages.English).Description;
            Assert.Equal(kind.Description, german);
            Assert.NotEqual(german, english);
            Assert.DoesNotMatch("[äöüÄÖÜß]", english);
            Assert.Equal(english, (await admin.GetFromJsonAsync<MailTemplateView>($"/api/mail-templates/{kind.Name}/en"))!.Description);
        }

        Assert.Equal("Reminder of the meeting (days before set per committee)",
            list.Single(t => t.Kind == MailKinds.Reminder && t.Language == MailLanguages.English).Description);
    }

    [Fact]
    public async Task MailTemplates_AreCheckedWhereTheyAreWrong_PreviewedWithSampleData_AndUsedOnceSaved()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("sekretariat-fpa").GetAsync("/api/mail-templates")).StatusCode);
        var list = (await admin.GetFromJsonAsync<List<MailTemplateSummary>>("/api/mail-templates"))!;
        Assert.Equal(MailKinds.All.Count * 2, list.Count);
        Assert.All(list, t => Assert.False(t.Customized));
        var shipped = (await admin.GetFromJsonAsync<MailTemplateView>("/api/mail-templates/invitation/de"))!;
        Assert.Contains("items[].reference", shipped.Fields);
        Assert.Superset(new HashSet<string> { "items[].link", "meeting.link", "meeting.workspaceLink", "links.portal", "links.home" }, shipped.Fields.ToHashSet());

        var unknown = await admin.PutAsJsonAsync("/api/mail-templates/invitation/de", new SaveMailTemplateRequest("Ladung {{ committee.name }}", "Hallo\n{{ meeting.dat }}", shipped.Html));
        await Http.EnsureAsync(unknown, HttpStatusCode.BadRequest);
        var problem = await unknown.Content.ReadAsStringAsync();
        Assert.Contains("line 2, column 4: Unknown field 'meeting.dat'.", problem, StringComparison.Ordinal);
        var broken = await admin.PutAsJsonAsync("/api/mail-templates/invitation/de", new SaveMailTemplateRequest("Ladung {% if %}", shipped.Text, shipped.Html));
        await Http.EnsureAsync(broken, HttpStatusCode.BadRequest);
        Assert.Contains("\"subject\"", await broken.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var preview = await admin.PostAsJsonAsync("/api/mail-templates/invitation/de/preview", new SaveMailTemplateRequest(null, null, null));
        await Http.EnsureAsync(preview, HttpStatusCode.OK);
        Assert.Equal("Einladung: Finanz- und Personalausschuss am 29.04.2021 – 21-15513, 21-15600", (await preview.Content.ReadFromJsonAsync<RenderedMail>())!.Subject);

        var own = new SaveMailTemplateRequest(
            "Ladung {{ committee.shortName }} {{ meeting.date }} – {{ references }}",
            "Liebe/r {{ recipient.name }},\n{% for item in items %}{{ item.number }}: {{ item.name }} {{ item.link }}\n{% endfor %}",
            "<p>Liebe/r {{ recipient.name }}</p>");
        await Http.EnsureAsync(await admin.PutAsJsonAsync("/api/mail-templates/invitation/de", own), HttpStatusCode.OK);
        await test.RegisterAsync("admin", new RegisterPaperRequest("21-63001", "Neue Schulmensa", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.MoveClockToAsync(Berlin.At(2021, 4, 22, 15, 0, 1));
        await test.ReconcileAsync();
        var received = await test.Smtp.WaitForAsync(m => m.Subject == "Ladung FPA 29.04.2021 – 21-63001", 5);
        Assert.Equal(5, received.Count);
        Assert.Contains("Ö 1: Neue Schulmensa http://localhost:5000/papers/", received[0].TextBody, StringComparison.Ordinal);

        await Http.EnsureAsync(await admin.DeleteAsync("/api/mail-templates/invitation/de"), HttpStatusCode.OK);
        Assert.False((await admin.GetFromJsonAsync<MailTemplateView>("/api/mail-templates/invitation/de"))!.Customized);
    }

    /// <summary>
    /// A template that parses and names only known fields can still fail when rendered (a division by zero). It is
    /// refused when saved or previewed, naming the part; one stored before that check does not stop the message: the
    /// shipped wording goes out instead (the invitation's step must not fail for the wording).
    /// </summary>
    [Fact]
    public async Task ATemplateThatFailsWhenRendered_IsRefused_AndOneStoredAnywayFallsBackToTheShippedWording()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var failing = new SaveMailTemplateRequest("Ladung {{ committee.name }}", "Hallo {{ 1 | divided_by: 0 }}", "<p>x</p>");

        var saved = await admin.PutAsJsonAsync("/api/mail-templates/invitation/de", failing);
        await Http.EnsureAsync(saved, HttpStatusCode.BadRequest);
        Assert.Equal(["text"], (await saved.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
        var preview = await admin.PostAsJsonAsync("/api/mail-templates/invitation/de/preview", failing);
        await Http.EnsureAsync(preview, HttpStatusCode.BadRequest);
        Assert.False((await admin.GetFromJsonAsync<MailTemplateView>("/api/mail-templates/invitation/de"))!.Customized);

        // Stored as an earlier version of the service would have let it be (or by hand in SQL).
        await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var body = await db.Bodies.SingleAsync(b => b.Key == "braunschweig");
            db.MailTemplates.Add(new MailTemplate
            {
                Id = Guid.CreateVersion7(), BodyId = body.Id, Kind = MailKinds.Invitation, Language = MailLanguages.German,
                Subject = failing.Subject!, Text = failing.Text!, Html = failing.Html!, Modified = test.Clock.GetUtcNow(), ModifiedBy = "sql",
            });
            body.MailTemplatesRevision++;
            await db.SaveChangesAsync();
        });
        await Http.EnsureAsync(await admin.PostAsJsonAsync("/api/mail-templates/invitation/de/preview", new SaveMailTemplateRequest(null, null, null)), HttpStatusCode.BadRequest);
        await test.RegisterAsync("admin", new RegisterPaperRequest("21-63002", "Neue Turnhalle", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.MoveClockToAsync(Berlin.At(2021, 4, 22, 15, 0, 1));
        await test.ReconcileAsync();

        var received = await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Einladung: Finanz- und Personalausschuss am 29.04.2021", StringComparison.Ordinal), 5);
        Assert.Equal(5, received.Count);
        Assert.Contains("Neue Turnhalle", received[0].TextBody, StringComparison.Ordinal);
    }

    /// <summary>
    /// Each node keeps the templates it has read; an admin's change on one node holds on every other from the next
    /// message on, and so does going back to the shipped wording.
    /// </summary>
    [Fact]
    public async Task AChangedTemplate_HoldsOnEveryNode_FromTheNextMessageOn()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var other = new DeliberationFlowApp(DatabaseProvider.Postgres, test.ConnectionString, test.Clock, test.Smtp.Port, test.DataPath);
        _ = other.Server;
        var papers = new List<PaperDetails>();
        for (var i = 0; i < 3; i++)
        {
            papers.Add(await test.RegisterAsync("admin", new RegisterPaperRequest($"21-6400{i}", $"Vorlage {i}", "Beschlussvorlage", "fb10", null, true, null, null)));
        }

        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        async Task<string> OutcomeOnTheOtherNodeAsync(PaperDetails paper)
        {
            var message = new HttpRequestMessage(HttpMethod.Post, $"/api/consultations/{paper.Consultations[0].Id}/outcome")
            {
                Content = JsonContent.Create(new RecordOutcomeRequest("Adopted", "einstimmig beschlossen", null)),
            };
            await Http.EnsureAsync(await other.ClientFor("sekretariat-fpa").SendAsync(message), HttpStatusCode.OK);

            // The notice as the step rendered and queued it (its delivery, by either node, is another test's matter).
            return await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().OutboxMessages.AsNoTracking()
                .Where(m => m.PaperId == paper.Id && m.RecipientAddress == "fb10@braunschweig.example").Select(m => m.Subject).SingleAsync());
        }

        // The other node reads the shipped wording for its first notice and keeps it.
        Assert.Equal("Beratungsergebnis 21-64000: Finanz- und Personalausschuss am 29.04.2021 – einstimmig beschlossen", await OutcomeOnTheOtherNodeAsync(papers[0]));

        var admin = test.ClientFor("admin");
        var shipped = (await admin.GetFromJsonAsync<MailTemplateView>("/api/mail-templates/outcome-notice/de"))!;
        await Http.EnsureAsync(await admin.PutAsJsonAsync("/api/mail-templates/outcome-notice/de",
            new SaveMailTemplateRequest("Ergebnis zu {{ paper.reference }} im {{ committee.name }}", shipped.Text, shipped.Html)), HttpStatusCode.OK);
        Assert.Equal("Ergebnis zu 21-64001 im Finanz- und Personalausschuss", await OutcomeOnTheOtherNodeAsync(papers[1]));

        await Http.EnsureAsync(await admin.DeleteAsync("/api/mail-templates/outcome-notice/de"), HttpStatusCode.OK);
        Assert.Equal("Beratungsergebnis 21-64002: Finanz- und Personalausschuss am 29.04.2021 – einstimmig beschlossen", await OutcomeOnTheOtherNodeAsync(papers[2]));
    }

    [Fact]
    public async Task CalendarFeed_ListsTheCouncillorsMeetings_UnderASignedUrl_ThatCanBeRevoked()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var jana = test.ClientFor("ratsmitglied");
        var link = (await jana.GetFromJsonAsync<CalendarFeedLink>("/api/me/calendar"))!;
        var again = (await jana.GetFromJsonAsync<CalendarFeedLink>("/api/me/calendar"))!;

        using var anonymous = test.App.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(again.Path)).StatusCode);
        var response = await anonymous.GetAsync(link.Path);
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);
        var feed = Ical.Net.Calendar.Load(await response.Content.ReadAsStringAsync())!;
        Assert.Contains(feed.Events, e => e.Summary!.StartsWith("Finanz- und Personalausschuss", StringComparison.Ordinal) && e.DtStart!.Value == new DateTime(2021, 4, 29, 15, 0, 0));
        Assert.Contains(feed.Events, e => e.Summary!.StartsWith("Rat der Stadt Braunschweig", StringComparison.Ordinal));
        Assert.DoesNotContain(feed.Events, e => e.Summary!.StartsWith("Verwaltungsausschuss", StringComparison.Ordinal));

        var tampered = link.Path.Replace(".ics", "x.ics", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(tampered)).StatusCode);

        var renewed = await jana.PostAsync("/api/me/calendar/revoke", null);
        await Http.EnsureAsync(renewed, HttpStatusCode.OK);
        var newLink = (await renewed.Content.ReadFromJsonAsync<CalendarFeedLink>())!;
        Assert.NotEqual(link.Path, newLink.Path);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(link.Path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(newLink.Path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/me/calendar")).StatusCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task AStepOverdueAfterItsMeeting_IsReportedOnce_ToTheSecretariesAndTheLeadOffice(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        await test.RegisterAsync("admin", new RegisterPaperRequest("21-64001", "Liegengebliebene Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));

        // Beside the demo's secretaries (sekretariat-fpa is the FPA's; sekretariat-va and sekretariat-plua look after
        // other committees): one who keeps the VA and the FPA, whose report it is; the FPA's former one, deactivated; and
        // one without an address. Only the first is written to.
        var admin = test.ClientFor("admin");
        await Http.EnsureAsync(await admin.PostAsJsonAsync("/api/users",
            new CreateUserRequest("kasse", "Sitzungsdienst Kasse", "kasse@braunschweig.example", "Secretary", ["va", "fpa"], null, "Sitzungsdienst-2021!")), HttpStatusCode.Created);
        var former = await admin.PostAsJsonAsync("/api/users",
            new CreateUserRequest("ehemals-fpa", "Ehemals FPA", "ehemals-fpa@braunschweig.example", "Secretary", ["fpa"], null, "Sitzungsdienst-2021!"));
        await Http.EnsureAsync(former, HttpStatusCode.Created);
        await Http.EnsureAsync(await admin.PostAsync($"/api/users/{(await former.Content.ReadFromJsonAsync<UserView>())!.Id}/deactivate", null), HttpStatusCode.OK);
        await Http.EnsureAsync(await admin.PostAsJsonAsync("/api/users",
            new CreateUserRequest("ohne-adresse", "Ohne Adresse", null, "Secretary", ["fpa"], null, "Sitzungsdienst-2021!")), HttpStatusCode.Created);

        // A step no workflow waits for, as an import of another system's history leaves them (planned, never recorded).
        var imported = await test.RegisterAsync("admin", new RegisterPaperRequest("21-64002", "Aus dem Altsystem", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Consultations
            .Where(c => c.PaperId == imported.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.ActivityId, (string?)null)));

        // 14 days after the FPA meeting of 29.04. nothing has been recorded.
        await test.MoveClockToAsync(Berlin.At(2021, 5, 12, 18));
        await test.ReconcileAsync();
        await test.WaitForMailOutAsync();
        Assert.DoesNotContain(test.Smtp.Messages, m => (m.Subject ?? "").StartsWith("Überfällig: 21-64001", StringComparison.Ordinal));

        await test.MoveClockToAsync(Berlin.At(2021, 5, 13, 16));
        await test.ReconcileAsync();
        await test.ReconcileAsync();
        await test.WaitForMailOutAsync();
        var escalations = test.Smtp.Messages.Where(m => (m.Subject ?? "").StartsWith("Überfällig: 21-64001", StringComparison.Ordinal)).ToList();
        Assert.Equal(["fb10@braunschweig.example", "kasse@braunschweig.example", "sekretariat-fpa@braunschweig.example"],
            escalations.Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
        Assert.All(escalations, m => Assert.Equal("Überfällig: 21-64001 im Finanz- und Personalausschuss (Sitzung 29.04.2021)", m.Subject));
        Assert.Contains("liegt 14 Tage zurück", escalations[0].TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(test.Smtp.Messages, m => (m.Subject ?? "").StartsWith("Überfällig: 21-64002", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReminderDays_AreSetPerCommittee_ByAdmins()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var settings = new SaveCommitteeNotificationSettingsRequest(3, 21);
        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("sekretariat-fpa").PutAsJsonAsync("/api/committees/fpa/notification-settings", settings)).StatusCode);
        var invalid = await test.ClientFor("admin").PutAsJsonAsync("/api/committees/fpa/notification-settings", new SaveCommitteeNotificationSettingsRequest(0, null));
        await Http.EnsureAsync(invalid, HttpStatusCode.BadRequest);
        Assert.Contains("reminderDaysBefore", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Http.EnsureAsync(await test.ClientFor("admin").PutAsJsonAsync("/api/committees/fpa/notification-settings", settings), HttpStatusCode.OK);
        Assert.Equal(new CommitteeNotificationSettingsView("fpa", 3, 21),
            await test.ClientFor("sekretariat-fpa").GetFromJsonAsync<CommitteeNotificationSettingsView>("/api/committees/fpa/notification-settings"));

        await test.RegisterAsync("admin", new RegisterPaperRequest("21-65001", "Früh erinnert", "Beschlussvorlage", "fb10", null, true, null, null));
        // Before the reminder three days ahead (26.04. 15:00), and outside its scheduling horizon.
        await test.MoveClockToAsync(Berlin.At(2021, 4, 26, 8, 0));
        await test.ReconcileAsync();
        await test.WaitForMailOutAsync();
        Assert.DoesNotContain(test.Smtp.Messages, m => (m.Subject ?? "").StartsWith("Erinnerung: Finanz- und Personalausschuss am 29.04.2021 – 21-65001", StringComparison.Ordinal));
        await test.MoveClockToAsync(Berlin.At(2021, 4, 26, 15, 0, 1));
        await test.ReconcileAsync();
        var reminders = await test.Smtp.WaitForAsync(m => m.Subject == "Erinnerung: Finanz- und Personalausschuss am 29.04.2021 – 21-65001", 5);
        Assert.Equal(5, reminders.Count);
        Assert.Contains("in 3 Tagen, Donnerstag, 29.04.2021, 15:00 Uhr", reminders[0].TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void BadMailSettings_StopStartUp_NamingEveryProblem()
    {
        var dataPath = DeliberationFlowApp.NewDataPath();
        using var app = new DeliberationFlowApp(DatabaseProvider.Sqlite, DeliberationFlowApp.SqliteConnectionString(dataPath), Berlin.Clock(2021, 4, 1, 9), 25, dataPath)
            .WithWebHostBuilder(b => b
                .UseSetting("Mail:Smtp:Port", "70000")
                .UseSetting("Mail:Smtp:Security", "Tls13Please")
                .UseSetting("Mail:Smtp:UserName", "sitzungsdienst")
                .UseSetting("Mail:FromAddress", "kein Absender")
                .UseSetting("Mail:PublicBaseUrl", "ratsinfo.braunschweig.example"));

        var failure = Assert.ThrowsAny<Exception>(() => app.Server);
        var message = failure is Microsoft.Extensions.Options.OptionsValidationException ? failure.Message : failure.ToString();
        Assert.Contains("Mail:Smtp:Port 70000 is out of range (1–65535).", message, StringComparison.Ordinal);
        Assert.Contains("Mail:Smtp:Security 'Tls13Please' is unknown", message, StringComparison.Ordinal);
        Assert.Contains("Mail:Smtp:UserName and Mail:Smtp:Password go together", message, StringComparison.Ordinal);
        Assert.Contains("Mail:FromAddress 'kein Absender' is not an e-mail address", message, StringComparison.Ordinal);
        Assert.Contains("Mail:PublicBaseUrl 'ratsinfo.braunschweig.example' is not an absolute http or https URL", message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dataPath, "test.db")), "start-up stopped before the database was touched");
    }

    private static Ical.Net.Calendar ParseIcs(MimeMessage message)
    {
        var part = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("einladung.ics", part.FileName);
        Assert.Equal("text/calendar", part.ContentType.MimeType);
        using var content = new MemoryStream();
        part.Content!.DecodeTo(content);
        return Ical.Net.Calendar.Load(System.Text.Encoding.UTF8.GetString(content.ToArray()))!;
    }
}
