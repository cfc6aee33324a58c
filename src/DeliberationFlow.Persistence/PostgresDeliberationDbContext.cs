using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DeliberationFlow.Persistence;

public sealed class PostgresDeliberationDbContext(DbContextOptions<PostgresDeliberationDbContext> options) : DeliberationDbContext(options)
{
    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
