using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace DeliberationFlow.Notifications;

/// <summary>
/// Sends a batch over one SMTP connection with MailKit. A message the server refuses fails alone; a lost
/// connection fails the rest of the batch, which the outbox retries later.
/// </summary>
public sealed class SmtpMailTransport(MailOptions options) : IMailTransport
{
    public async Task SendAsync(IReadOnlyList<MimeMessage> messages, Func<int, DeliveryResult, Task> report, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = options.Smtp.TimeoutSeconds * 1000 };
        var next = 0;
        try
        {
            await client.ConnectAsync(options.Smtp.Host!, options.Smtp.Port,
                Enum.Parse<SecureSocketOptions>(options.Smtp.Security, ignoreCase: true), cancellationToken);
            if (!string.IsNullOrEmpty(options.Smtp.UserName))
            {
                await client.AuthenticateAsync(options.Smtp.UserName, options.Smtp.Password ?? "", cancellationToken);
            }

            for (; next < messages.Count; next++)
            {
                DeliveryResult result;
                try
                {
                    await client.SendAsync(messages[next], cancellationToken);
                    result = DeliveryResult.Ok;
                }
                catch (SmtpCommandException ex) when (client.IsConnected)
                {
                    // The server refused this message (recipient, size…); the connection is still usable.
                    result = new DeliveryResult(false, $"{ex.ErrorCode}: {ex.Message}", (int)ex.StatusCode);
                }

                await report(next, result);
            }

            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or SmtpProtocolException
                                       or SmtpCommandException or AuthenticationException or ServiceNotConnectedException
                                       or SslHandshakeException or TimeoutException)
        {
            var status = ex is SmtpCommandException command ? (int?)command.StatusCode : null;
            for (; next < messages.Count; next++)
            {
                await report(next, new DeliveryResult(false, $"{ex.GetType().Name}: {ex.Message}", status));
            }
        }
    }
}
