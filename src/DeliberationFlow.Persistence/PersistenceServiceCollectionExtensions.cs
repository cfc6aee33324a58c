using DeliberationFlow.Council.Common;
using DeliberationFlow.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

#pragma warning disable IDE0130 // Extension methods for the container live where callers look for them.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>The EF Core context on PostgreSQL (several nodes) or SQLite (embedded), with a readiness check.</summary>
    public static IServiceCollection AddDeliberationPersistence(this IServiceCollection services, DatabaseOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TimestampInterceptor>();
        switch (options.Provider)
        {
            case DatabaseProvider.Postgres:
                services.AddDbContext<PostgresDeliberationDbContext>((sp, b) => ConfigurePostgres(b, options.ConnectionString).AddInterceptors(sp.GetRequiredService<TimestampInterceptor>()));
                services.AddScoped<DeliberationDbContext>(sp => sp.GetRequiredService<PostgresDeliberationDbContext>());
                break;
            case DatabaseProvider.Sqlite:
                services.AddDbContext<SqliteDeliberationDbContext>((sp, b) => ConfigureSqlite(b, options.ConnectionString).AddInterceptors(sp.GetRequiredService<TimestampInterceptor>()));
                services.AddScoped<DeliberationDbContext>(sp => sp.GetRequiredService<SqliteDeliberationDbContext>());
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider '{options.Provider}'; use Postgres or Sqlite.");
        }

        services.AddScoped<ICouncilDb>(sp => sp.GetRequiredService<DeliberationDbContext>());
        services.AddSingleton(options);
        services.AddHealthChecks().AddCheck<DatabaseReadyHealthCheck>("database", tags: ["ready"]);
        return services;
    }

    public static DbContextOptionsBuilder ConfigurePostgres(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", DeliberationDbContext.EngineSchema))
            .UseSnakeCaseNamingConvention();

    public static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString).UseSnakeCaseNamingConvention();

    public static DbContextOptionsBuilder<T> ConfigurePostgres<T>(DbContextOptionsBuilder<T> builder, string connectionString)
        where T : DbContext
    {
        ConfigurePostgres((DbContextOptionsBuilder)builder, connectionString);
        return builder;
    }

    public static DbContextOptionsBuilder<T> ConfigureSqlite<T>(DbContextOptionsBuilder<T> builder, string connectionString)
        where T : DbContext
    {
        ConfigureSqlite((DbContextOptionsBuilder)builder, connectionString);
        return builder;
    }
}
