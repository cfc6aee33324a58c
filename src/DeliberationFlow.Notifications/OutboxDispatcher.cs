using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace DeliberationFlow.Notifications;

/// <summary>
/// Delivers committed outbox rows. Each row is claimed with a lease by a conditional update, so several
/// delivery jobs on several nodes never send one message twice; the outcome of every attempt is written
/// back to the row, which is the delivery log. Up to <see cref="MailOptions.Connections"/> lanes send at once, each
/// over its own SMTP connection and database context, and each records a message before it sends its next one.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IMailTransport transport,
    MailOptions options,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger)
{
    /// <summary>
    /// How long a claim keeps other delivery jobs away: long enough for a whole batch to time out message by
    /// message, so a slow server never makes a second job send the same message while the first still tries.
    /// </summary>
    private TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(300, options.Smtp.TimeoutSeconds * (options.BatchSize + 2)));

    /// <summary>Sends everything that is due, batch by batch over parallel lanes; returns how many messages were accepted.</summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        var lanes = await Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Connections)).Select(async _ =>
        {
            await using var scope = scopes.CreateAsyncScope();
            return await DispatchLaneAsync(scope.ServiceProvider.GetRequiredService<DeliberationDbContext>(), cancellationToken);
        }));
        return lanes.Sum();
    }

    private async Task<int> DispatchLaneAsync(DeliberationDbContext db, CancellationToken cancellationToken)
    {
        var accepted = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var (batch, due) = await ClaimBatchAsync(db, cancellationToken);
            if (due == 0)
            {
                break;
            }

            if (batch.Count == 0)
            {
                // Another lane or node took these first; there may be more behind them.
                continue;
            }

            var reported = 0;
            await transport.SendAsync(batch.Select(Compose).ToList(), async (index, result) =>
            {
                reported++;
                accepted += await RecordAsync(db, batch[index], result, clock.GetUtcNow(), cancellationToken) ? 1 : 0;
            }, cancellationToken);
            logger.LogDebug("Sent a batch of {Count} outbox message(s): {Reported} reported, {Accepted} accepted so far", batch.Count, reported, accepted);
        }

        return accepted;
    }

    /// <summary>
    /// Claims up to a batch of due messages with one conditional update: a row is taken only if no live lease holds it,
    /// so of two jobs racing for it exactly one gets it; each reads back the rows that carry its own claim token.
    /// </summary>
    private async Task<(List<OutboxMessage> Claimed, int Due)> ClaimBatchAsync(DeliberationDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var candidates = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
            .OrderBy(m => m.NextAttemptAt)
            .Select(m => m.Id)
            .Take(options.BatchSize)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return ([], 0);
        }

        var token = Guid.NewGuid();
        var leaseUntil = now + Lease;
        // The due condition again: a job that read the same candidates may have tried one, failed and put it off
        // (lease released, next attempt later) before this update runs; without it this job would try it at once again.
        // By id, not also by status: with an index that leads with the status, PostgreSQL could plan the claim as a scan
        // of every pending message (when its statistics saw few), and lanes claiming the same rows through different
        // plans lock them in different orders. A message sent meanwhile may get a lease it never uses; it is not read back.
        try
        {
            await db.OutboxMessages
                .Where(m => candidates.Contains(m.Id) && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseUntil, leaseUntil).SetProperty(m => m.ClaimToken, token), cancellationToken);
        }
        catch (Exception ex) when (db.IsDeadlock(ex))
        {
            // Another lane or node claimed some of these rows at the same moment and PostgreSQL undid this claim whole:
            // nothing was taken, and the lane reads what is due again.
            logger.LogDebug(ex, "Claim of {Due} due outbox message(s) gave way in a deadlock; reading them again", candidates.Count);
            return ([], candidates.Count);
        }

        var claimed = (await db.OutboxMessages.AsNoTracking()
                .Where(m => candidates.Contains(m.Id) && m.ClaimToken == token)
                .OrderBy(m => m.NextAttemptAt)
                .ToListAsync(cancellationToken))
            .Where(m => m.Status == OutboxStatus.Pending)
            .ToList();
        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug("Claimed {Claimed} of {Due} due outbox message(s) until {LeaseUntil} with token {Token}: {Ids}",
                claimed.Count, candidates.Count, leaseUntil, token, string.Join(", ", claimed.Select(m => m.Id)));
        }

        return (claimed, candidates.Count);
    }

    private MimeMessage Compose(OutboxMessage message)
    {
        var mime = new MimeMessage
        {
            Subject = OneLine(message.Subject),
            Date = message.CreatedAt,

            // Stable per outbox row: should a retry follow a send whose answer was lost, receivers can drop the copy.
            MessageId = $"{message.Id:N}@deliberationflow",
            Body = Body(message),
        };
        mime.From.Add(new MailboxAddress(options.FromName, options.FromAddress));
        mime.To.Add(new MailboxAddress(OneLine(message.RecipientName ?? ""), message.RecipientAddress));
        mime.Headers.Add("X-DeliberationFlow-Kind", message.Kind);
        return mime;
    }

    /// <summary>Text and HTML as alternatives of one message; an attachment (the invitation's .ics) beside them.</summary>
    internal static MimeEntity Body(OutboxMessage message)
    {
        var builder = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody };
        if (message.AttachmentContent is { } content)
        {
            var attachment = builder.Attachments.Add(message.AttachmentName ?? "anhang.txt", System.Text.Encoding.UTF8.GetBytes(content),
                ContentType.Parse(message.AttachmentContentType ?? "application/octet-stream"));
            attachment.ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = message.AttachmentName };
        }

        return builder.ToMessageBody();
    }

    private async Task<bool> RecordAsync(DeliberationDbContext db, OutboxMessage message, DeliveryResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (result.Accepted)
        {
            await db.OutboxMessages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, OutboxStatus.Sent)
                .SetProperty(m => m.SentAt, now)
                .SetProperty(m => m.Attempts, message.Attempts + 1)
                .SetProperty(m => m.MessageId, $"{message.Id:N}@deliberationflow")
                .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
            return true;
        }

        var attempts = message.Attempts + 1;

        // A 5xx answer (bad address, rejected content) will not change on retry; 4xx and lost connections may.
        var permanent = result.SmtpStatusCode is >= 500 and < 600;
        var giveUp = permanent || attempts >= options.MaxAttempts;
        // An SMTP server's answer can be any length; the column holds MaxLastErrorLength.
        var error = result.Error is null ? null : DeliberationFlow.Engine.Runtime.Texts.Cut(result.Error, OutboxMessage.MaxLastErrorLength);
        logger.LogWarning("Delivery of outbox message {MessageId} to {Recipient} failed (attempt {Attempt}): {Error}",
            message.Id, message.RecipientAddress, attempts, result.Error);
        await db.OutboxMessages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, giveUp ? OutboxStatus.Failed : OutboxStatus.Pending)
            .SetProperty(m => m.Attempts, attempts)
            .SetProperty(m => m.LastError, error)
            .SetProperty(m => m.SmtpStatusCode, result.SmtpStatusCode)
            .SetProperty(m => m.NextAttemptAt, now + Backoff(attempts))
            .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        return false;
    }

    /// <summary>
    /// Header text on one line: titles and names come from users and templates, and a line break in them must never
    /// become a header of its own (Bcc: …).
    /// </summary>
    internal static string OneLine(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(part => new string(part.Where(c => !char.IsControl(c)).ToArray())));

    /// <summary>1, 2, 4 … minutes, at most six hours.</summary>
    internal static TimeSpan Backoff(int attempts) => TimeSpan.FromMinutes(Math.Min(360, Math.Pow(2, attempts - 1)));
}
