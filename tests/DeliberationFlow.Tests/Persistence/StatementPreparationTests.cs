using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace DeliberationFlow.Tests.Persistence;

/// <summary>
/// The service prepares its repeated statements on PostgreSQL (the benchmark showed parsing and planning to be half
/// the database's CPU of a step), keeps their generic plans and skips the pool's session reset, unless the operator's
/// connection string decides otherwise.
/// </summary>
public sealed class StatementPreparationTests
{
    [Fact]
    public void A_connection_string_without_a_setting_gets_automatic_preparation()
    {
        var prepared = new NpgsqlConnectionStringBuilder(
            PersistenceServiceCollectionExtensions.WithAutomaticPreparation("Host=db;Database=council;Username=df"));

        Assert.Equal(64, prepared.MaxAutoPrepare);
        Assert.Equal(2, prepared.AutoPrepareMinUsages);
        Assert.Equal("db", prepared.Host);
        Assert.Equal("council", prepared.Database);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;maxautoprepare=10", 10)]
    public void The_operators_own_setting_stays(string connectionString, int expected)
    {
        var kept = new NpgsqlConnectionStringBuilder(PersistenceServiceCollectionExtensions.WithAutomaticPreparation(connectionString));

        Assert.Equal(expected, kept.MaxAutoPrepare);
    }

    [Fact]
    public void Pooled_connections_are_handed_out_again_without_a_session_reset()
    {
        var tuned = new NpgsqlConnectionStringBuilder(
            PersistenceServiceCollectionExtensions.WithoutPoolReset("Host=db;Database=council;Username=df"));

        Assert.True(tuned.NoResetOnClose);
        Assert.Equal("council", tuned.Database);
    }

    [Fact]
    public void An_operator_who_wants_the_pool_reset_keeps_it()
    {
        var kept = new NpgsqlConnectionStringBuilder(PersistenceServiceCollectionExtensions.WithoutPoolReset("Host=db;No Reset On Close=false"));

        Assert.False(kept.NoResetOnClose);
    }

    [Theory]
    [InlineData("Host=db;Database=council", "-c plan_cache_mode=force_generic_plan")]
    [InlineData("Host=db;Options=-c search_path=council", "-c search_path=council -c plan_cache_mode=force_generic_plan")]
    [InlineData("Host=db;Options=-c plan_cache_mode=auto", "-c plan_cache_mode=auto")]
    public void Prepared_statements_keep_their_generic_plan_unless_the_operator_chose_otherwise(string connectionString, string options)
    {
        var tuned = new NpgsqlConnectionStringBuilder(PersistenceServiceCollectionExtensions.WithGenericPlans(connectionString));

        Assert.Equal(options, tuned.Options);
        Assert.Equal("db", tuned.Host);
    }

    [Fact]
    public async Task Repeated_statements_of_the_service_are_prepared_on_the_server()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await TestApp.StartAsync(DatabaseProvider.Postgres, new FakeTimeProvider(new DateTimeOffset(2021, 4, 1, 7, 0, 0, TimeSpan.Zero)));
        using var scope = app.App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
        await db.Database.OpenConnectionAsync(ct); // one physical connection, whose session the check below looks into

        for (var i = 0; i < 3; i++)
        {
            _ = await db.Papers.AsNoTracking().CountAsync(p => p.Reference != "x" + i, ct);
        }

        // pg_prepared_statements lists what this session has prepared: EF Core's paper count is among them.
        var prepared = await db.Database.SqlQueryRaw<string>("SELECT statement AS \"Value\" FROM pg_prepared_statements").ToListAsync(ct);
        Assert.Contains(prepared, s => s.Contains("council.papers", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Host=db;Database=council;Username=df", "DeliberationFlow (Hangfire)")]
    [InlineData("Host=db;Database=council;Application Name=Ratsinfo Nord", "Ratsinfo Nord (Hangfire)")]
    public void Hangfire_has_a_pool_of_its_own_under_its_own_name(string connectionString, string expected)
    {
        static string Tuned(string cs) => PersistenceServiceCollectionExtensions.WithoutPoolReset(PersistenceServiceCollectionExtensions.WithAutomaticPreparation(cs));
        var jobs = Tuned(PersistenceServiceCollectionExtensions.ForJobStorage(connectionString));

        // Npgsql keeps one pool per connection string.
        Assert.NotEqual(Tuned(connectionString), jobs);
        var builder = new NpgsqlConnectionStringBuilder(jobs);
        Assert.Equal(expected, builder.ApplicationName);
        Assert.Equal("council", builder.Database);
        Assert.Equal(64, builder.MaxAutoPrepare);
    }

    [Fact]
    public async Task An_operator_tells_Hangfires_connections_from_the_services()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await TestApp.StartAsync(DatabaseProvider.Postgres, new FakeTimeProvider(new DateTimeOffset(2021, 4, 1, 7, 0, 0, TimeSpan.Zero)));
        await app.WaitUntilHangfireIsIdleAsync(); // its server has polled and run the start-up reconciliation by now

        using var scope = app.App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
        var names = await db.Database.SqlQueryRaw<string>(
            "SELECT coalesce(application_name, '') AS \"Value\" FROM pg_stat_activity WHERE datname = current_database()").ToListAsync(ct);
        Assert.Contains("DeliberationFlow (Hangfire)", names);
        Assert.Contains(names, name => !name.EndsWith("(Hangfire)", StringComparison.Ordinal));
    }
}
