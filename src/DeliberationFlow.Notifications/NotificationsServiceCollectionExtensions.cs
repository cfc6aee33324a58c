using DeliberationFlow.Notifications;
using Microsoft.Extensions.DependencyInjection.Extensions;

#pragma warning disable IDE0130 // Extension methods for the container live where callers look for them.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>The outbox dispatcher with MailKit over SMTP when a host is set, else the pickup folder.</summary>
    public static IServiceCollection AddDeliberationNotifications(this IServiceCollection services, MailOptions options)
    {
        services.AddSingleton(options);
        if (string.IsNullOrWhiteSpace(options.Smtp.Host))
        {
            services.TryAddSingleton<IMailTransport, PickupDirectoryMailTransport>();
        }
        else
        {
            services.TryAddSingleton<IMailTransport, SmtpMailTransport>();
        }

        services.TryAddScoped<OutboxDispatcher>();
        return services;
    }
}
