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
    public async Task<IReadOnlyList<DeliveryResult>> SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken)
    {
        var results = new DeliveryResult[messages.Count];
        using var client = new SmtpClient { Timeout = options.Smtp.TimeoutSeconds * 1000 };
        var sent = 0;
        try
        {
            await client.ConnectAsync(options.Smtp.Host!, options.Smtp.Port,
                Enum.Parse<SecureSocketOptions>(options.Smtp.Security, ignoreCase: true), cancellationToken);
            if (!string.IsNullOrEmpty(options.Smtp.UserName))
            {
                await client.AuthenticateAsync(options.Smtp.UserName, options.Smtp.Password ?? "", cancellationToken);
            }

            for (; sent < messages.Count; sent++)
            {
                try
                {
                    await client.SendAsync(messages[sent], cancellationToken);
                    results[sent] = DeliveryResult.Ok;
                }
                catch (SmtpCommandException ex)
                {
                    // The server refused this message (recipient, size…); the connection is still usable.
                    results[sent] = new DeliveryResult(false, $"{ex.ErrorCode}: {ex.Message}", (int)ex.StatusCode);
                    if (!client.IsConnected)
                    {
                        sent++;
                        throw;
                    }
                }
            }

            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or SmtpProtocolException
                                       or SmtpCommandException or AuthenticationException or ServiceNotConnectedException
                                       or SslHandshakeException or TimeoutException)
        {
            var status = ex is SmtpCommandException command ? (int?)command.StatusCode : null;
            for (var i = sent; i < messages.Count; i++)
            {
                results[i] ??= new DeliveryResult(false, $"{ex.GetType().Name}: {ex.Message}", status);
            }
        }

        return results;
    }
}
