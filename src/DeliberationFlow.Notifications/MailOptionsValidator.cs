using System.Net.Mail;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace DeliberationFlow.Notifications;

/// <summary>
/// Checks the mail settings at start-up and reports every mistake at once, each with its configuration key, so a
/// service that could not send mail never starts quietly.
/// </summary>
public sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.FromAddress) || !MailAddress.TryCreate(options.FromAddress, out var from) || from.Address != options.FromAddress.Trim())
        {
            failures.Add($"Mail:FromAddress '{options.FromAddress}' is not an e-mail address (e.g. sitzungsdienst@stadt.example).");
        }

        if (options.FromName.Any(char.IsControl))
        {
            failures.Add("Mail:FromName must be one line of text.");
        }

        if (DeliberationFlow.Council.Notifications.MailLinks.Problem(options.PublicBaseUrl) is { } publicBaseUrl)
        {
            failures.Add($"Mail:PublicBaseUrl {publicBaseUrl}");
        }

        if (options.MaxAttempts is < 1 or > 50)
        {
            failures.Add($"Mail:MaxAttempts {options.MaxAttempts} is out of range (1–50).");
        }

        if (options.BatchSize is < 1 or > 1000)
        {
            failures.Add($"Mail:BatchSize {options.BatchSize} is out of range (1–1000).");
        }

        if (options.Connections is < 1 or > 32)
        {
            failures.Add($"Mail:Connections {options.Connections} is out of range (1–32).");
        }

        var smtp = options.Smtp;
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            if (string.IsNullOrWhiteSpace(options.PickupDirectory))
            {
                failures.Add("Mail:PickupDirectory is empty; without Mail:Smtp:Host mail is written there.");
            }
        }
        else
        {
            if (Uri.CheckHostName(smtp.Host.Trim()) == UriHostNameType.Unknown)
            {
                failures.Add($"Mail:Smtp:Host '{smtp.Host}' is not a host name or IP address.");
            }

            if (smtp.Port is < 1 or > 65535)
            {
                failures.Add($"Mail:Smtp:Port {smtp.Port} is out of range (1–65535).");
            }

            if (!Enum.TryParse<SecureSocketOptions>(smtp.Security, ignoreCase: true, out _) || int.TryParse(smtp.Security, out _))
            {
                failures.Add($"Mail:Smtp:Security '{smtp.Security}' is unknown; use None, Auto, StartTls, StartTlsWhenAvailable or SslOnConnect.");
            }

            if (string.IsNullOrEmpty(smtp.UserName) != string.IsNullOrEmpty(smtp.Password))
            {
                failures.Add("Mail:Smtp:UserName and Mail:Smtp:Password go together: set both for a server that needs a login, or neither.");
            }

            if (smtp.TimeoutSeconds is < 1 or > 600)
            {
                failures.Add($"Mail:Smtp:TimeoutSeconds {smtp.TimeoutSeconds} is out of range (1–600).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
