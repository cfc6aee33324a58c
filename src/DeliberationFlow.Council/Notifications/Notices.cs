using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Notifications.Templates;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Notifications;

/// <summary>An outbox row from a rendered message.</summary>
public static class Notices
{
    /// <summary>
    /// Takes the meeting's row until the transaction ends. Several timers of one meeting fire together; taken before the
    /// messages already sent are looked up (<see cref="SentUnderAsync"/>), they see each other's, so a per-meeting message
    /// is written once.
    /// </summary>
    public static Task TakeMeetingAsync(ICouncilDb db, Guid meetingId, CancellationToken cancellationToken) =>
        db.Meetings.Where(m => m.Id == meetingId).ExecuteUpdateAsync(s => s.SetProperty(m => m.Modified, m => m.Modified), cancellationToken);

    /// <summary>
    /// What the messages of one recipient and meeting carried so far: the first under <paramref name="key"/>, each
    /// supplement (Nachtrag) under <c>key:…</c>; their items (consultation ids), each with the paper of the message that
    /// carried it (the paper whose timer queued it, for the journals of the others), and how many messages there were.
    /// </summary>
    public static async Task<(IReadOnlyDictionary<Guid, Guid?> Items, int Messages)> SentUnderAsync(ICouncilDb db, string key, CancellationToken cancellationToken)
    {
        var earlier = await db.OutboxMessages.Where(m => m.DeduplicationKey == key || m.DeduplicationKey.StartsWith(key + ":"))
            .Select(m => new { m.Items, m.PaperId }).ToListAsync(cancellationToken);
        var items = new Dictionary<Guid, Guid?>();
        foreach (var message in earlier)
        {
            foreach (var item in (message.Items ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                items.TryAdd(Guid.Parse(item), message.PaperId);
            }
        }

        return (items, earlier.Count);
    }

    public static OutboxMessage Create(
        string kind, string deduplicationKey, Guid bodyId, string address, string? name, RenderedMail mail, Guid? paperId, DateTimeOffset now,
        string? calendar = null, string? items = null) => new()
    {
        Id = Guid.CreateVersion7(now),
        BodyId = bodyId,
        Kind = kind,
        DeduplicationKey = deduplicationKey,
        RecipientAddress = address,
        RecipientName = name,
        Subject = mail.Subject,
        TextBody = mail.Text,
        HtmlBody = mail.Html,
        AttachmentName = calendar is null ? null : MeetingCalendar.FileName,
        AttachmentContentType = calendar is null ? null : MeetingCalendar.ContentType,
        AttachmentContent = calendar,
        Items = items,
        PaperId = paperId,
        CreatedAt = now,
        NextAttemptAt = now,
    };
}
