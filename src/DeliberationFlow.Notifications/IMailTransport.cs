using MimeKit;

namespace DeliberationFlow.Notifications;

/// <summary>Hands a batch of messages to the world (an SMTP server or a pickup folder).</summary>
public interface IMailTransport
{
    /// <summary>Sends each message and reports, per message in the same order, whether it was accepted.</summary>
    Task<IReadOnlyList<DeliveryResult>> SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken);
}

public sealed record DeliveryResult(bool Accepted, string? Error = null, int? SmtpStatusCode = null)
{
    public static readonly DeliveryResult Ok = new(true);
}
