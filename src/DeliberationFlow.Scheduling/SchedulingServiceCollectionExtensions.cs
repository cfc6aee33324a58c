using DeliberationFlow.Council.Timers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Scheduling;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Logging;

#pragma warning disable IDE0130 // Extension methods for the container live where callers look for them.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Hangfire on PostgreSQL (schema <c>hangfire</c>) when the database is PostgreSQL; in the embedded mode an
    /// in-memory Hangfire storage, which loses its jobs on restart — harmless, because the timers are rows and
    /// the start-up reconciliation re-creates their jobs.
    /// </summary>
    public static IServiceCollection AddDeliberationScheduling(this IServiceCollection services, SchedulingOptions options, DatabaseOptions database)
    {
        services.AddSingleton(options);
        // The storage is this host's own object rather than Hangfire's static JobStorage.Current, so several
        // hosts in one process (integration tests) never share or swap storages. It is created inside
        // Hangfire's configuration callback, after Hangfire has taken this host's logger factory.
        services.AddSingleton<JobStorage>(_ =>
        {
            if (database.Provider != DatabaseProvider.Postgres)
            {
                return new InMemoryStorage();
            }

            // The connection settings of the service's own database access: every job creation and every worker's poll
            // otherwise paid a DISCARD ALL (which also drops the prepared statements) when it took a pooled connection.
            // Hangfire.PostgreSql keeps no session state with these options (table locks, no LISTEN without long polling).
            var storageOptions = PostgresStorageOptions(options);
            var connectionString = PersistenceServiceCollectionExtensions.WithoutPoolReset(
                PersistenceServiceCollectionExtensions.WithAutomaticPreparation(PersistenceServiceCollectionExtensions.ForJobStorage(database.ConnectionString)));
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions);
        });
        // Likewise the activator: Hangfire.NetCore would register its static JobActivator.Current, which is the
        // activator of whichever host configured Hangfire last, so one host's server could run its jobs in another
        // host's container (seen as a test host's mail drained by, and its invitation timers fired in, another).
        services.AddSingleton<JobActivator>(provider => new Hangfire.AspNetCore.AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((provider, configuration) => configuration
            .UseLogProvider(new HostLogProvider(provider.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(provider.GetRequiredService<JobStorage>()));

        if (options.RunServer)
        {
            services.AddHangfireServer(server =>
            {
                server.SchedulePollingInterval = options.PollInterval;
                server.WorkerCount = options.WorkerCount;
            });
            services.AddHostedService<SchedulingStartup>();
        }

        services.AddScoped<HangfireTimerScheduler>();
        services.AddScoped<ITimerScheduler>(sp => sp.GetRequiredService<HangfireTimerScheduler>());
        services.AddScoped<IOutboxSignal, HangfireOutboxSignal>();
        services.AddScoped<TimerJob>();
        services.AddScoped<OutboxJob>();
        services.AddSingleton<OutboxDrainCoordinator>();
        services.AddSingleton<TimerDrainCoordinator>();
        services.AddScoped<TimerReconciler>();
        services.AddScoped<Reconciliation>();
        services.AddScoped<PaperTextJob>();
        return services;
    }

    private static PostgreSqlStorageOptions PostgresStorageOptions(SchedulingOptions options) => new()
    {
        SchemaName = "hangfire",
        QueuePollInterval = options.PollInterval,
        InvisibilityTimeout = options.InvisibilityTimeout,
        UseSlidingInvisibilityTimeout = true,
        PrepareSchemaIfNecessary = true,
    };
}
