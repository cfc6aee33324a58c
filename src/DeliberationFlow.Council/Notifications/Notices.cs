using DeliberationFlow.Council.Notifications.Templates;

namespace DeliberationFlow.Council.Notifications;

/// <summary>An outbox row from a rendered message.</summary>
public static class Notices
{
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
