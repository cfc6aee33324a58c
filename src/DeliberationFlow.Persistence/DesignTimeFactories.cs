using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DeliberationFlow.Persistence;

// Used by `dotnet ef migrations add` only; the connection strings are never opened.
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresDeliberationDbContext>
{
    public PostgresDeliberationDbContext CreateDbContext(string[] args) =>
        new(PersistenceServiceCollectionExtensions.ConfigurePostgres(
            new DbContextOptionsBuilder<PostgresDeliberationDbContext>(), "Host=localhost;Database=deliberationflow").Options);
}

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteDeliberationDbContext>
{
    public SqliteDeliberationDbContext CreateDbContext(string[] args) =>
        new(PersistenceServiceCollectionExtensions.ConfigureSqlite(
            new DbContextOptionsBuilder<SqliteDeliberationDbContext>(), "Data Source=deliberationflow.db").Options);
}
