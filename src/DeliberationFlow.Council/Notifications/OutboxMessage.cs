namespace DeliberationFlow.Council.Notifications;

/// <summary>
/// An e-mail to send, written in the same transaction as the step that caused it. Delivery jobs claim
/// rows, send them and record the delivery; nothing is sent for a step that rolled back.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; init; }
    public Guid BodyId { get; init; }

    /// <summary>What caused it, e.g. <c>invitation</c> or <c>outcome-notice</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Unique per intended delivery (cause + recipient), so a repeated cause never queues a second mail.</summary>
    public required string DeduplicationKey { get; init; }

    public required string RecipientAddress { get; init; }
    public string? RecipientName { get; init; }
    public required string Subject { get; init; }
    public required string TextBody { get; init; }

    /// <summary>The HTML alternative of <see cref="TextBody"/>, when the template has one.</summary>
    public string? HtmlBody { get; init; }

    /// <summary>A file sent along, e.g. <c>einladung.ics</c>; its content is text (iCalendar).</summary>
    public string? AttachmentName { get; init; }

    public string? AttachmentContentType { get; init; }
    public string? AttachmentContent { get; init; }

    /// <summary>The consultations a per-meeting message (digest) listed, comma-separated, so a later one lists only what is new.</summary>
    public string? Items { get; init; }

    /// <summary>The paper this message is about, for the delivery log of a paper.</summary>
    public Guid? PaperId { get; init; }

    public OutboxStatus Status { get; set; } = OutboxStatus.Pending;
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>A claim by a delivery job: other jobs leave the row alone until it expires.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>Which claim holds the lease: a batch is claimed in one statement, then read back by this token.</summary>
    public Guid? ClaimToken { get; set; }

    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }

    /// <summary>The SMTP status code of the last failure, when the server gave one.</summary>
    public int? SmtpStatusCode { get; set; }

    public string? MessageId { get; set; }
}

public enum OutboxStatus
{
    Pending,
    Sent,
    Failed,
}
