using DeliberationFlow.Engine.Runtime;

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

    /// <summary>
    /// Cut to <see cref="MaxRecipientNameLength"/>: a name comes from the directory (an office's, a person's, a user's),
    /// whose columns hold it today, but a longer one must not fail the step that writes the message.
    /// </summary>
    public string? RecipientName
    {
        get;
        init => field = value is null ? null : Texts.Cut(value, MaxRecipientNameLength);
    }

    /// <summary>
    /// Cut to <see cref="MaxSubjectLength"/> with "…": a subject is rendered from a template (a Notify step's, up to 1000
    /// characters) with texts of the body (a paper's name, up to 1000); one longer than the column failed the whole step
    /// or timer on PostgreSQL, and the notice with it. A subject line that long is cut by every mail client anyway.
    /// </summary>
    public required string Subject
    {
        get;
        init => field = Texts.Cut(value, MaxSubjectLength);
    }
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

    /// <summary>The length of the column that stores <see cref="DeduplicationKey"/> (outbox_messages.deduplication_key).</summary>
    public const int MaxDeduplicationKeyLength = 300;

    /// <summary>The length of the column that stores <see cref="RecipientAddress"/>, as that of every address in the directory.</summary>
    public const int MaxRecipientAddressLength = 320;

    /// <summary>The length of the column that stores <see cref="RecipientName"/>.</summary>
    public const int MaxRecipientNameLength = 300;

    /// <summary>The length of the column that stores <see cref="Subject"/>.</summary>
    public const int MaxSubjectLength = 500;

    /// <summary>The length of the column that stores <see cref="LastError"/>.</summary>
    public const int MaxLastErrorLength = 2000;
}

public enum OutboxStatus
{
    Pending,
    Sent,
    Failed,
}
