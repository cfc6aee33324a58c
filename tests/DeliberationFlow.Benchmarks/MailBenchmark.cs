using System.Diagnostics;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Notifications.Templates;
using DeliberationFlow.Notifications;
using DeliberationFlow.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeliberationFlow.Benchmarks;

/// <summary>
/// Mail throughput (issue 5): outbox rows as the service writes them (a rendered invitation in text and HTML with its
/// .ics), sent by the real <see cref="OutboxDispatcher"/> through MailKit (<see cref="SmtpMailTransport"/>, one connection
/// per batch, <see cref="MailOptions.Connections"/> connections at once, as a delivery job does) to an SMTP server in this process. Measured from the first claim to the last row recorded as sent.
/// </summary>
public static class MailBenchmark
{
    public sealed record Result(int Messages, int Received, TimeSpan Elapsed, int Connections)
    {
        public double PerSecond => Messages / Elapsed.TotalSeconds;
    }

    public static async Task<Result> RunAsync(ServiceHost host, SettableClock clock, int count, Action<string> say)
    {
        using var server = new LocalSmtpServer();
        var options = new MailOptions
        {
            Smtp = new SmtpSettings { Host = "127.0.0.1", Port = server.Port, Security = "None" },
        };
        var transport = new SmtpMailTransport(options);

        // Whatever waits in the outbox (the demo data's, the workflow's notices) goes first, unmeasured, and warms MailKit up.
        var drained = await DispatchAsync(host, transport, options, clock);
        say($"  drained {drained} message(s) already waiting in the outbox first (unmeasured)");

        // Diagnostic: the outbox's own cost (claims, composition, delivery records) with a transport that accepts at once.
        await QueueAsync(host, clock, count);
        var outboxOnly = Stopwatch.StartNew();
        var recorded = await DispatchAsync(host, new AcceptingTransport(), options, clock);
        say($"  diagnostic: outbox alone (no SMTP) {recorded} messages in {outboxOnly.Elapsed.TotalSeconds:F2} s = {recorded / outboxOnly.Elapsed.TotalSeconds:F1}/s");

        await QueueAsync(host, clock, count);
        var before = server.Received;
        var watch = Stopwatch.StartNew();
        var sent = await DispatchAsync(host, transport, options, clock);
        watch.Stop();
        var received = server.Received - before;
        if (sent != count || received != count)
        {
            say($"  error: {count} queued, {sent} recorded as sent, {received} received by the SMTP server");
        }

        return new Result(sent, received, watch.Elapsed, options.Connections);
    }

    private static async Task<int> DispatchAsync(ServiceHost host, IMailTransport transport, MailOptions options, SettableClock clock)
    {
        var dispatcher = new OutboxDispatcher(host.Services.GetRequiredService<IServiceScopeFactory>(), transport, options, clock,
            NullLogger<OutboxDispatcher>.Instance);
        return await dispatcher.DispatchAsync(CancellationToken.None);
    }

    /// <summary>Rows as the invitation timer writes them: the shipped template rendered per member, with the meeting's .ics.</summary>
    private static async Task QueueAsync(ServiceHost host, SettableClock clock, int count)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
        var body = await db.Bodies.AsNoTracking().SingleAsync(b => b.Id == host.BodyId);
        var committee = await db.Organizations.AsNoTracking().FirstAsync(o => o.BodyId == body.Id && o.Key == "fpa");
        var meeting = await db.Meetings.AsNoTracking().Where(m => m.OrganizationId == committee.Id).OrderBy(m => m.Start).FirstAsync();
        var calendar = MeetingCalendar.Invitation(meeting, committee, body, ["Ö 1 21-15513 – Sanierung der Grundschule Lehndorf"], MailIdentity.Default);
        var template = DefaultMailTemplates.Get(MailKinds.Invitation, MailLanguages.German);
        var now = clock.GetUtcNow();
        var run = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < count; i++)
        {
            var model = MailKinds.Find(MailKinds.Invitation)!.Sample();
            model["recipient"] = MailModels.Recipient($"Ratsmitglied {i}", $"mitglied{i}@rat.example", "Mitglied", false, true);
            model["meeting"] = MailModels.Meeting(meeting, body, MailLanguages.German, MailLinks.Default);
            model["committee"] = MailModels.Committee(committee);
            var mail = await MailRenderer.RenderAsync(template, MailLanguages.German, model);
            db.OutboxMessages.Add(Notices.Create(MailKinds.Invitation, $"benchmark:{run}:{i}", body.Id, $"mitglied{i}@rat.example", $"Ratsmitglied {i}",
                mail, null, now, calendar));
        }

        await db.SaveChangesAsync();
    }

    private sealed class AcceptingTransport : IMailTransport
    {
        public async Task SendAsync(IReadOnlyList<MimeKit.MimeMessage> messages, Func<int, DeliveryResult, Task> report, CancellationToken cancellationToken)
        {
            for (var i = 0; i < messages.Count; i++)
            {
                // Written out as for the wire, so composition costs what it costs.
                await messages[i].WriteToAsync(Stream.Null, cancellationToken);
                await report(i, DeliveryResult.Ok);
            }
        }
    }
}
