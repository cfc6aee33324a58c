using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Notifications.Templates;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Notifications;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace DeliberationFlow.Tests.Integration;

/// <summary>Mail is never lost: an SMTP outage leaves the message queued with its error, and it goes out later, once.</summary>
[Collection(HostCollection.Name)]
public sealed class MailDeliveryTests
{
    [Fact]
    public async Task OutcomeNotice_DuringAnSmtpOutage_IsRetriedAndDeliveredOnce()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-20001", "Testvorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        test.Smtp.Dispose();

        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("admin", paper.Consultations[0].Id, new("Adopted", "beschlossen", null)), System.Net.HttpStatusCode.OK);
        var failed = await WaitForNoticeAsync(test, paper.Id, m => m.Attempts >= 1);
        Assert.Equal(OutboxStatus.Pending, failed.Status);
        Assert.NotNull(failed.LastError);
        Assert.Equal(test.Clock.GetUtcNow().AddMinutes(1), failed.NextAttemptAt);

        // The server is back; the reconciliation (every minute) finds the message due again.
        using var smtp = new TestSmtpServer(test.Smtp.Port);
        test.Clock.Advance(TimeSpan.FromMinutes(1));
        await test.ReconcileAsync();
        await test.ReconcileAsync();

        var delivered = await WaitForNoticeAsync(test, paper.Id, m => m.Status == OutboxStatus.Sent);
        Assert.Equal(2, delivered.Attempts);
        var received = await smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Beratungsergebnis 21-20001", StringComparison.Ordinal), 1);
        Assert.Single(received);
        Assert.Equal($"{delivered.Id:N}@deliberationflow", received[0].MessageId);
    }

    [Fact]
    public async Task Invitations_DueDuringAnSmtpOutage_AllArriveExactlyOnce_WhenTheServerIsBack()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var papers = new List<PaperDetails>();
        for (var i = 0; i < 17; i++)
        {
            papers.Add(await test.RegisterAsync("admin", new RegisterPaperRequest($"21-8{i:D4}", $"Mitteilung {i}", "Mitteilung", "fb10", null, true, null, null)));
        }

        Assert.All(papers, p => Assert.Equal(("rat", "18.05.2021"), (p.Consultations[0].Committee.Key, p.Consultations[0].Date)));
        test.Smtp.Dispose();

        // 17 papers on the Rat's agenda: the invitations of its 12 members, each listing all of them, fall due while the
        // SMTP server is down.
        await test.MoveClockToAsync(Berlin.At(2021, 5, 11, 14, 0, 1));
        await test.ReconcileAsync();
        await WaitUntilAsync(test, () => test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().OutboxMessages
            .CountAsync(m => m.Kind == "invitation" && m.Subject.Contains("21-8") && m.Attempts >= 1 && m.Status == OutboxStatus.Pending)), 12,
            () => test.App.WithScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<DeliberationDbContext>();
                var rows = await db.OutboxMessages.AsNoTracking().Where(m => m.Kind == "invitation" && m.Subject.Contains("21-8"))
                    .Select(m => new { m.Status, m.Attempts, Leased = m.LeaseUntil != null }).ToListAsync();
                var timers = await db.Timers.AsNoTracking().Where(t => t.Kind == "consultation.invitation").Select(t => new { t.Status, t.JobId }).ToListAsync();
                return $"outbox rows: {string.Join(", ", rows.GroupBy(r => r).Select(g => $"{g.Key} × {g.Count()}"))}; " +
                       $"invitation timers: {string.Join(", ", timers.GroupBy(t => t.Status).Select(g => $"{g.Key} × {g.Count()}"))}";
            }));

        using var smtp = new TestSmtpServer(test.Smtp.Port);
        test.Clock.Advance(TimeSpan.FromMinutes(1));
        await test.ReconcileAsync();
        var received = await smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Einladung: Rat der Stadt Braunschweig am 18.05.2021 – 21-8", StringComparison.Ordinal), 12, TimeSpan.FromSeconds(60));
        await test.ReconcileAsync();
        await test.WaitForMailOutAsync();

        var invitations = smtp.Messages.Where(m => (m.Subject ?? "").StartsWith("Einladung: Rat der Stadt Braunschweig am 18.05.2021 – 21-8", StringComparison.Ordinal)).ToList();
        Assert.Equal(12, received.Count);
        Assert.Equal(12, invitations.Count);
        Assert.Equal(12, invitations.Select(m => m.To.Mailboxes.Single().Address).Distinct().Count());
        Assert.All(invitations, m => Assert.All(papers, p => Assert.Contains(p.Reference, m.Subject, StringComparison.Ordinal)));

        var log = (await test.ClientFor("admin").GetFromJsonAsync<List<DeliveryView>>($"/api/papers/{papers[0].Id}/deliveries"))!;
        Assert.Equal(12, log.Count(d => d.Kind == "invitation"));
        Assert.All(log.Where(d => d.Kind == "invitation"), d => Assert.Equal(("Sent", 2), (d.Status, d.Attempts)));
        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("ratsmitglied").GetAsync($"/api/papers/{papers[0].Id}/deliveries")).StatusCode);
    }

    private static async Task WaitUntilAsync(TestApp test, Func<Task<int>> count, int expected, Func<Task<string>>? describe = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await count() < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var actual = await count();
        Assert.True(actual == expected, $"Expected {expected}, got {actual}. {(describe is null ? "" : await describe())}");
    }

    [Fact]
    public async Task LineBreaksInTitles_NeverBecomeHeaders_AndUmlautsArriveIntact()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));

        // The Antrag workflow's request for a Stellungnahme puts the paper's name into the subject.
        await test.RegisterAsync("admin", new RegisterPaperRequest(
            "21-90001", "Grünflächen\r\nBcc: evil@example.org", "Antrag", "fb10", null, true, null, null));
        var request = Assert.Single(await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Stellungnahme erbeten: 21-90001", StringComparison.Ordinal), 1));

        Assert.Equal("Stellungnahme erbeten: 21-90001 Grünflächen Bcc: evil@example.org", request.Subject);
        Assert.Empty(request.Bcc);
        Assert.Equal(["fb10@braunschweig.example"], request.To.Mailboxes.Select(m => m.Address));
        Assert.DoesNotContain(test.Smtp.Messages, m => m.To.Mailboxes.Concat(m.Cc.Mailboxes).Concat(m.Bcc.Mailboxes).Any(a => a.Address == "evil@example.org"));

        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-90002", "Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        var injected = await test.RecordAsync("admin", paper.Consultations[0].Id, new("Adopted", "beschlossen\r\nBcc: evil@example.org", null));
        await Http.EnsureAsync(injected, HttpStatusCode.BadRequest);
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("admin", paper.Consultations[0].Id, new("AdoptedAmended", "geändert beschlossen", "Änderung: Straße über Brücke")), HttpStatusCode.OK);
        var notice = Assert.Single(await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Beratungsergebnis 21-90002", StringComparison.Ordinal), 1));
        Assert.Equal("Beratungsergebnis 21-90002: Finanz- und Personalausschuss am 29.04.2021 – geändert beschlossen", notice.Subject);
        Assert.Contains("Beschlusstext: Änderung: Straße über Brücke", notice.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APapersLongestName_InASubject_IsCutToWhatTheOutboxHolds_AndTheStepsAndNoticesGoThrough()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        // A name as long as a paper's may be (1000 characters), in the subject of the Antrag workflow's Notify step and,
        // through a template of the body's own, of the outcome notice.
        const int subjectColumn = 500; // outbox_messages.subject
        var name = string.Concat(Enumerable.Repeat("Sanierung der Sporthalle ", 40));
        Assert.Equal(1000, name.Length);
        var shipped = (await admin.GetFromJsonAsync<MailTemplateView>("/api/mail-templates/outcome-notice/de"))!;
        await Http.EnsureAsync(await admin.PutAsJsonAsync("/api/mail-templates/outcome-notice/de",
            new SaveMailTemplateRequest("Beratungsergebnis {{ paper.reference }}: {{ paper.name }}", shipped.Text, shipped.Html)), HttpStatusCode.OK);

        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-90003", name, "Antrag", "fb10", null, true, null, null));
        var request = Assert.Single(await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Stellungnahme erbeten: 21-90003", StringComparison.Ordinal), 1));
        Assert.Equal(subjectColumn, request.Subject!.Length);
        Assert.Equal($"Stellungnahme erbeten: 21-90003 {name}"[..(subjectColumn - 1)] + "…", request.Subject);

        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("admin", paper.Consultations[0].Id, new("Adopted", "beschlossen", null)), HttpStatusCode.OK);
        Assert.Equal("Done", (await test.GetPaperAsync("admin", paper.Id)).Consultations[0].Status);
        var notice = Assert.Single(await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Beratungsergebnis 21-90003", StringComparison.Ordinal), 1));
        Assert.True(notice.Subject!.Length <= subjectColumn, $"{notice.Subject.Length} characters");
        Assert.EndsWith("…", notice.Subject, StringComparison.Ordinal);
        Assert.StartsWith($"Beratungsergebnis 21-90003: {name}"[..(notice.Subject.Length - 1)], notice.Subject, StringComparison.Ordinal);
    }

    /// <summary>
    /// A line of a text body that begins with "." arrives as written: SMTP sends it as ".." (RFC 5321 §4.5.2) and the
    /// receiving side takes the dot off again. The test server kept it, so a test saw "..5 Mio." where the mail said ".5 Mio.".
    /// </summary>
    [Fact]
    public async Task ALineBeginningWithADot_ArrivesAsTheSenderWroteIt()
    {
        using var smtp = new TestSmtpServer();
        const string text = "Haushaltsansatz:\n.5 Mio. EUR im Jahr 2021\n..und zwei Punkte\n.\nEnde der Aufstellung.\n";
        var message = new MimeMessage { Subject = "Punkte am Zeilenanfang", Body = new TextPart("plain") { Text = text } };
        message.From.Add(new MailboxAddress("Sitzungsdienst", "sitzungsdienst@braunschweig.example"));
        message.To.Add(new MailboxAddress("Fachbereich 20", "fb20@braunschweig.example"));
        var results = new List<DeliveryResult>();

        await new SmtpMailTransport(new MailOptions { Smtp = { Host = "127.0.0.1", Port = smtp.Port, Security = "None" } })
            .SendAsync([message], (_, result) => { results.Add(result); return Task.CompletedTask; }, TestContext.Current.CancellationToken);

        Assert.Equal([DeliveryResult.Ok], results);
        var received = Assert.Single(await smtp.WaitForAsync(m => m.Subject == "Punkte am Zeilenanfang", 1));
        Assert.Equal(text, received.TextBody?.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Backoff_GrowsToSixHoursAtMost()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), OutboxDispatcher.Backoff(1));
        Assert.Equal(TimeSpan.FromMinutes(8), OutboxDispatcher.Backoff(4));
        Assert.Equal(TimeSpan.FromHours(6), OutboxDispatcher.Backoff(20));
    }

    private static async Task<OutboxMessage> WaitForNoticeAsync(TestApp test, Guid paperId, Func<OutboxMessage, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var notice = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().OutboxMessages.AsNoTracking()
                .SingleAsync(m => m.PaperId == paperId && m.Kind == "outcome-notice"));
            if (condition(notice) || DateTime.UtcNow > deadline)
            {
                return notice;
            }

            await Task.Delay(100);
        }
    }
}
