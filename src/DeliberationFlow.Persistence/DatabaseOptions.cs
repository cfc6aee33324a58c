namespace DeliberationFlow.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Where the data lives (configuration section <c>Database</c>).</summary>
public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    public required string ConnectionString { get; set; }

    /// <summary>
    /// Apply pending migrations when the host starts. Right for the embedded mode and for tests; a multi-node
    /// PostgreSQL deployment applies <c>deploy/postgres/migrate.sql</c> once instead and sets this to false.
    /// </summary>
    public bool MigrateOnStartup { get; set; } = true;
}
