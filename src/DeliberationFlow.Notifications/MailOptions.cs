using System.ComponentModel.DataAnnotations;

namespace DeliberationFlow.Notifications;

/// <summary>How mail leaves the service (configuration section <c>Mail</c>).</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    [Required, EmailAddress]
    public string FromAddress { get; set; } = "sitzungsdienst@deliberationflow.local";

    public string FromName { get; set; } = "DeliberationFlow Sitzungsdienst";

    /// <summary>
    /// The service's address as recipients reach it (behind a proxy: the proxy's), under which mails link to papers,
    /// meetings and the portal. Timers and jobs write most mails, with no request to take a host from.
    /// </summary>
    public string PublicBaseUrl { get; set; } = DeliberationFlow.Council.Notifications.MailLinks.DefaultBaseUrl;

    /// <summary>The SMTP server. Without a host, mail is written as .eml files to <see cref="PickupDirectory"/>.</summary>
    public SmtpSettings Smtp { get; set; } = new();

    public string PickupDirectory { get; set; } = "data/mail-pickup";

    /// <summary>After this many failed attempts a message is marked failed and left for an admin.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How many messages one delivery job sends over one connection.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>How many SMTP connections one delivery job uses at once, each with its own batches.</summary>
    [Range(1, 32)]
    public int Connections { get; set; } = 4;
}

public sealed class SmtpSettings
{
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>None, Auto, StartTls, StartTlsWhenAvailable or SslOnConnect (MailKit's SecureSocketOptions).</summary>
    public string Security { get; set; } = "Auto";

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;
}
