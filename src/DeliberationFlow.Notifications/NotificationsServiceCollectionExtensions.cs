using DeliberationFlow.Notifications;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Extension methods for the container live where callers look for them.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>The outbox dispatcher with MailKit over SMTP when a host is set, else the pickup folder.</summary>
    public static IServiceCollection AddDeliberationNotifications(this IServiceCollection services, MailOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(new DeliberationFlow.Council.Notifications.MailIdentity(options.FromAddress, options.FromName));

        // Built from the validated options: a bad address stops the start with the validator's words, not this constructor's.
        services.TryAddSingleton(sp => new DeliberationFlow.Council.Notifications.MailLinks(sp.GetRequiredService<IOptions<MailOptions>>().Value.PublicBaseUrl));

        // Checked when the host starts: a bad setting stops start-up with every problem named.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MailOptions>, MailOptionsValidator>());
        services.AddOptions<MailOptions>()
            .Configure(o =>
            {
                o.FromAddress = options.FromAddress;
                o.FromName = options.FromName;
                o.PublicBaseUrl = options.PublicBaseUrl;
                o.Smtp = options.Smtp;
                o.PickupDirectory = options.PickupDirectory;
                o.MaxAttempts = options.MaxAttempts;
                o.BatchSize = options.BatchSize;
                o.Connections = options.Connections;
            })
            .ValidateOnStart();
        if (string.IsNullOrWhiteSpace(options.Smtp.Host))
        {
            services.TryAddSingleton<IMailTransport, PickupDirectoryMailTransport>();
        }
        else
        {
            services.TryAddSingleton<IMailTransport, SmtpMailTransport>();
        }

        services.TryAddScoped<OutboxDispatcher>();

        // Ready includes the SMTP server (Degraded, not Unhealthy, when it does not answer: mail waits in the outbox).
        services.TryAddSingleton<SmtpCheck>();
        services.TryAddSingleton<SmtpReadyHealthCheck>();
        services.AddHealthChecks().AddCheck<SmtpReadyHealthCheck>("smtp", tags: ["ready"]);
        return services;
    }
}
