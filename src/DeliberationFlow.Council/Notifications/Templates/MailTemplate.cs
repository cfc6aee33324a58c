namespace DeliberationFlow.Council.Notifications.Templates;

/// <summary>
/// A body's own wording of one kind of message in one language, replacing the shipped default. Stored only after it
/// parsed and named no unknown field.
/// </summary>
public sealed class MailTemplate
{
    public Guid Id { get; init; }
    public Guid BodyId { get; init; }
    public required string Kind { get; init; }
    public required string Language { get; init; }
    public required string Subject { get; set; }
    public required string Text { get; set; }
    public required string Html { get; set; }
    public DateTimeOffset Modified { get; set; }
    public string? ModifiedBy { get; set; }
}
