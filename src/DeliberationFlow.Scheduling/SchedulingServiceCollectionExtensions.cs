using DeliberationFlow.Council.Timers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Scheduling;
using Hangfire;
using Hangfire.PostgreSql;

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
        services.AddHangfire(configuration =>
        {
            configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (database.Provider == DatabaseProvider.Postgres)
            {
                configuration.UsePostgreSqlStorage(
                    storage => storage.UseNpgsqlConnection(database.ConnectionString),
                    new PostgreSqlStorageOptions
                    {
                        SchemaName = "hangfire",
                        QueuePollInterval = options.PollInterval,
                        PrepareSchemaIfNecessary = true,
                    });
            }
            else
            {
                configuration.UseInMemoryStorage();
            }
        });

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
        services.AddScoped<TimerReconciler>();
        return services;
    }
}
