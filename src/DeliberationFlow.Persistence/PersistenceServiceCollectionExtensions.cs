using DeliberationFlow.Council.Common;
using DeliberationFlow.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

#pragma warning disable IDE0130 // Extension methods for the container live where callers look for them.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// The EF Core context on PostgreSQL (several nodes) or SQLite (embedded), with a readiness check. Contexts are
    /// pooled: a request rents one that is already built instead of constructing it (the benchmark measured 0.4 ms of
    /// CPU less per step); the pool resets the change tracker and the settings the constructor made on return.
    /// </summary>
    public static IServiceCollection AddDeliberationPersistence(this IServiceCollection services, DatabaseOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TimestampInterceptor>();
        services.TryAddSingleton<JournalBatchInterceptor>();
        switch (options.Provider)
        {
            case DatabaseProvider.Postgres:
                var postgres = WithGenericPlans(WithoutPoolReset(WithAutomaticPreparation(options.ConnectionString)));
                services.AddDbContextPool<PostgresDeliberationDbContext>((sp, b) => ConfigurePostgres(b, postgres)
                    .AddInterceptors(sp.GetRequiredService<TimestampInterceptor>(), sp.GetRequiredService<JournalBatchInterceptor>()));
                services.AddScoped<DeliberationDbContext>(sp => sp.GetRequiredService<PostgresDeliberationDbContext>());
                break;
            case DatabaseProvider.Sqlite:
                services.AddDbContextPool<SqliteDeliberationDbContext>((sp, b) => ConfigureSqlite(b, options.ConnectionString).AddInterceptors(sp.GetRequiredService<TimestampInterceptor>()));
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
            .UseSnakeCaseNamingConvention()
            .WithFailuresLoggedByTheirHandlers();

    /// <summary>
    /// EF Core logs every failed command and save as an error before it throws. Most failures here are expected and
    /// answered: a save that loses a race (two secretaries recording the same outcome, a notice's key taken at the same
    /// moment) becomes a 409 or a replay of the first answer, and is no fault of the service. A failure nobody answers
    /// still reaches the log as an error, once, where it is handled: the request's unhandled exception (500), the
    /// Hangfire job's failure, the timer drain's own message. EF Core's two events, with the SQL, go to Information
    /// (<c>Logging:LogLevel:Microsoft.EntityFrameworkCore=Information</c> shows them).
    /// </summary>
    private static DbContextOptionsBuilder WithFailuresLoggedByTheirHandlers(this DbContextOptionsBuilder builder) =>
        builder.ConfigureWarnings(warnings => warnings.Log(
            (CoreEventId.SaveChangesFailed, LogLevel.Information),
            (RelationalEventId.CommandError, LogLevel.Information)));

    /// <summary>
    /// A workflow step runs the same two dozen statements again and again; without preparation PostgreSQL parses and
    /// plans each of them every time, which the benchmark measured as about half of the database's CPU per step
    /// (5.7 → 3.1 ms). Npgsql prepares a statement once it has been seen twice on a physical connection and keeps it
    /// across pool returns. A connection string that sets its own Max Auto Prepare (0 turns it off) is left as it is.
    /// </summary>
    public static string WithAutomaticPreparation(string connectionString)
    {
        if (Names(connectionString, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            return connectionString;
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);

        builder.MaxAutoPrepare = 64;
        builder.AutoPrepareMinUsages = 2;
        return builder.ConnectionString;
    }

    /// <summary>
    /// A prepared statement is planned anew at each execution for as long as PostgreSQL estimates the plan made for
    /// the actual values cheaper than the general one. For the service's statements that is often so, and wrongly: a
    /// brand-new instance's id is in no statistics, so "its journal lines" look rarer than the average instance's, and the
    /// journal's statement with its arrays is estimated by their lengths. `pg_stat_statements` counted a plan for 76 % of
    /// the journal reads, half of the paper's consultation reads and every journal write, 0.1–0.2 ms each: the database
    /// spent 1.81 ms of CPU per request, 1.42 ms with generic plans (benchmark, sixteenth session). The service looks rows up
    /// by key, by foreign key and through indexes whose predicates are literals (the pending timers' and messages' scans),
    /// which a generic plan serves as well; `TimerLookupPlanTests` checks the timers' look-ups with such plans. Hangfire's
    /// storage keeps PostgreSQL's default. A connection string that names <c>plan_cache_mode</c> in its Options is left as it is.
    /// </summary>
    public static string WithGenericPlans(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Options?.Contains("plan_cache_mode", StringComparison.OrdinalIgnoreCase) == true)
        {
            return connectionString;
        }

        builder.Options = string.IsNullOrWhiteSpace(builder.Options)
            ? GenericPlans
            : $"{builder.Options} {GenericPlans}";
        return builder.ConnectionString;
    }

    private const string GenericPlans = "-c plan_cache_mode=force_generic_plan";

    /// <summary>
    /// Npgsql resets a pooled connection's session when it is taken again (RESET ALL, CLOSE ALL, UNLISTEN *, advisory
    /// unlocks, DISCARD SEQUENCES and TEMP: seven statements, each its own implicit transaction on the server). EF Core
    /// opens and closes its connection around every query and save outside a transaction, so a step paid for about
    /// three resets; PostgreSQL's statement statistics counted 23 691 resets for 7 568 requests. The service keeps no
    /// session state (no SET, temporary tables, LISTEN or session advisory locks; transactions are rolled back on close
    /// regardless), so the reset is skipped. A connection string that sets No Reset On Close itself is left as it is.
    /// </summary>
    public static string WithoutPoolReset(string connectionString)
    {
        return Names(connectionString, "No Reset On Close", "NoResetOnClose")
            ? connectionString
            : new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;
    }

    /// <summary>
    /// The connection string of Hangfire's storage: the service's, under an application name of its own. Npgsql keeps a
    /// pool per connection string, so Hangfire's workers and the job a step creates after its commit take their
    /// connections from a pool of their own, never queued behind the steps' (however small the pools are set, see
    /// deploy/README.md), and <c>pg_stat_activity</c> tells Hangfire's connections from the service's.
    /// </summary>
    public static string ForJobStorage(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        builder.ApplicationName = $"{(string.IsNullOrEmpty(builder.ApplicationName) ? "DeliberationFlow" : builder.ApplicationName)} (Hangfire)";
        return builder.ConnectionString;
    }

    /// <summary>Whether the operator's connection string sets one of these keywords itself (in any case).</summary>
    private static bool Names(string connectionString, params string[] keywords)
    {
        // The generic builder knows only the keys the string names (Npgsql's own knows every keyword).
        var named = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return keywords.Any(named.ContainsKey);
    }

    public static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString).UseSnakeCaseNamingConvention().WithFailuresLoggedByTheirHandlers().AddInterceptors(SqliteUnicodeCase.Instance);

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
