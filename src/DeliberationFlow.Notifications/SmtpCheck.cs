using System.Diagnostics;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace DeliberationFlow.Notifications;

/// <summary>The outcome of trying the configured SMTP server: connected (and signed in) or not, and what to do.</summary>
public sealed record SmtpCheckResult(bool Ok, string Summary, string? Remedy, string? ServerCapabilities, TimeSpan Took);

/// <summary>
/// Tries the configured SMTP server on demand the way delivery does (connect with the configured security, sign in
/// when a user is set) and sends nothing. Used by the operations page; the settings themselves are checked at start-up.
/// </summary>
public sealed class SmtpCheck(MailOptions options)
{
    public MailOptions Options => options;

    public bool UsesPickupDirectory => string.IsNullOrWhiteSpace(options.Smtp.Host);

    public async Task<SmtpCheckResult> RunAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        if (UsesPickupDirectory)
        {
            return new SmtpCheckResult(true, $"Kein SMTP-Server eingestellt: E-Mails werden als .eml-Dateien in {options.PickupDirectory} abgelegt.",
                "Für echten Versand Mail:Smtp:Host (und Port, Security, ggf. UserName/Password) setzen und den Dienst neu starten.", null, watch.Elapsed);
        }

        if (!Enum.TryParse<SecureSocketOptions>(options.Smtp.Security, ignoreCase: true, out var security))
        {
            return new SmtpCheckResult(false, $"Mail:Smtp:Security ist „{options.Smtp.Security}“.",
                "Einen dieser Werte setzen: None, Auto, StartTls, StartTlsWhenAvailable, SslOnConnect.", null, watch.Elapsed);
        }

        using var client = new SmtpClient { Timeout = Math.Min(options.Smtp.TimeoutSeconds, 15) * 1000 };
        try
        {
            await client.ConnectAsync(options.Smtp.Host!, options.Smtp.Port, security, cancellationToken);
            var tls = client.IsSecure ? "verschlüsselt (TLS)" : "unverschlüsselt";
            if (!string.IsNullOrEmpty(options.Smtp.UserName))
            {
                await client.AuthenticateAsync(options.Smtp.UserName, options.Smtp.Password ?? "", cancellationToken);
                tls += $", angemeldet als {options.Smtp.UserName}";
            }

            await client.NoOpAsync(cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return new SmtpCheckResult(true, $"Verbindung zu {options.Smtp.Host}:{options.Smtp.Port} steht ({tls}).", null,
                client.Capabilities == SmtpCapabilities.None ? null : client.Capabilities.ToString(), watch.Elapsed);
        }
        catch (AuthenticationException ex)
        {
            return Failed("Der Server lehnt die Anmeldung ab.", "Mail:Smtp:UserName und Mail:Smtp:Password prüfen.", ex, watch);
        }
        catch (SslHandshakeException ex)
        {
            return Failed("Die TLS-Verbindung kam nicht zustande.",
                "Mail:Smtp:Security zum Port passend wählen (465: SslOnConnect, 587: StartTls) und das Zertifikat des Servers prüfen.", ex, watch);
        }
        catch (SocketException ex)
        {
            return Failed($"{options.Smtp.Host}:{options.Smtp.Port} ist nicht erreichbar.",
                "Host und Port prüfen, und ob eine Firewall den Weg sperrt. Bis dahin bleiben E-Mails in der Warteschlange und werden erneut versucht.", ex, watch);
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or OperationCanceledException or SmtpCommandException or SmtpProtocolException
                                       or ServiceNotConnectedException or NotSupportedException)
        {
            return Failed("Das Gespräch mit dem SMTP-Server schlug fehl.", "Host, Port und Security prüfen; die Meldung des Servers steht unten.", ex, watch);
        }
    }

    private static SmtpCheckResult Failed(string summary, string remedy, Exception ex, Stopwatch watch) =>
        new(false, summary, remedy + $" ({ex.GetType().Name}: {ex.Message})", null, watch.Elapsed);
}
