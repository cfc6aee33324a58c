using System.Net;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DeliberationFlow.Tests.Integration;

/// <summary>The schema a deployment applies is the schema the code expects.</summary>
[Collection(HostCollection.Name)]
public sealed class DeploymentTests
{
    [Fact]
    public void Migrations_CoverTheModel_ForBothProviders()
    {
        using var postgres = new PostgresDeliberationDbContext(
            PersistenceServiceCollectionExtensions.ConfigurePostgres(new DbContextOptionsBuilder<PostgresDeliberationDbContext>(), "Host=localhost").Options);
        using var sqlite = new SqliteDeliberationDbContext(
            PersistenceServiceCollectionExtensions.ConfigureSqlite(new DbContextOptionsBuilder<SqliteDeliberationDbContext>(), "Data Source=:memory:").Options);

        Assert.False(postgres.Database.HasPendingModelChanges(), "The PostgreSQL model has changes without a migration: add one.");
        Assert.False(sqlite.Database.HasPendingModelChanges(), "The SQLite model has changes without a migration: add one.");
    }

    [Fact]
    public async Task DeployScript_IsCurrent_AndAppliedByHandGivesAReadyService()
    {
        var script = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "deploy", "postgres", "migrate.sql"));
        using (var context = new PostgresDeliberationDbContext(
                   PersistenceServiceCollectionExtensions.ConfigurePostgres(new DbContextOptionsBuilder<PostgresDeliberationDbContext>(), "Host=localhost").Options))
        {
            var expected = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
            Assert.True(Normalise(expected) == Normalise(script), "deploy/postgres/migrate.sql is out of date; regenerate it (see deploy/README.md).");
        }

        var connectionString = await PostgresServer.CreateDatabaseAsync();
        try
        {
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(script.TrimStart('\uFEFF'), connection);
                await command.ExecuteNonQueryAsync();
            }

            var dataPath = DeliberationFlowApp.NewDataPath();
            using var smtp = new TestSmtpServer();
            await using var app = new DeliberationFlowApp(DatabaseProvider.Postgres, connectionString, Berlin.Clock(2021, 4, 1, 9), smtp.Port, dataPath);
            var ready = await app.WithWebHostBuilder(b => b.UseSetting("Database:MigrateOnStartup", "false")).CreateClient().GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    private static string Normalise(string sql) => sql.TrimStart('\uFEFF').ReplaceLineEndings("\n").Trim();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DeliberationFlow.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Run the tests from inside the repository.");
    }
}
