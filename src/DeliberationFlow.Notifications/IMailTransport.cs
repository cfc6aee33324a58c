using MimeKit;

namespace DeliberationFlow.Notifications;

/// <summary>Hands a batch of messages to the world (an SMTP server or a pickup folder).</summary>
public interface IMailTransport
{
    /// <summary>
    /// Sends each message and reports each one's result (by its index in the batch) as soon as it is known,
    /// so a message the server accepted is recorded as sent before the next one goes out.
    /// </summary>
    Task SendAsync(IReadOnlyList<MimeMessage> messages, Func<int, DeliveryResult, Task> report, CancellationToken cancellationToken);
}

public sealed record DeliveryResult(bool Accepted, string? Error = null, int? SmtpStatusCode = null)
{
    public static readonly DeliveryResult Ok = new(true);
}
