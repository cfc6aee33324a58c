using DeliberationFlow.Council.Definitions;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using DeliberationFlow.Server.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DeliberationFlow.Server.Hosting;

public static class DatabaseStartup
{
    /// <summary>
    /// Applies migrations when configured to (the embedded mode and tests; EF Core takes a database lock, so
    /// nodes starting together do not race), checks the workflow definitions, and loads the demo data.
    /// </summary>
    public static async Task PrepareAsync(this WebApplication app)
    {
        // Reading the definitions here makes an invalid file stop the start, naming the file and JSON path.
        app.Services.GetRequiredService<IWorkflowDefinitionProvider>();

        // The mail settings are checked before anything touches the database (ValidateOnStart checks them again at start).
        _ = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DeliberationFlow.Notifications.MailOptions>>().Value;

        // So are the import's allowed networks: the import-oparl command never starts the host, so ValidateOnStart alone would miss it.
        _ = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DeliberationFlow.Council.OParl.OParlImportOptions>>().Value;

        await using var scope = app.Services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<DatabaseOptions>();
        var db = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            // Write-ahead logging: the request threads, the timer and outbox jobs and the reconciliation read while one of
            // them writes. In SQLite's default rollback journal a reader blocks the writer's commit, and a writer that
            // meets a reader upgrading its lock is refused at once ("database is locked") instead of waiting its turn.
            // The mode is kept in the file; the -wal and -shm files beside it belong to the database.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;");
        }

        if (options.MigrateOnStartup)
        {
            // EF Core finds out whether a database is new by reading its history table and logs the failure as an
            // error (dotnet/efcore#37328); made first, the table is there to read and a first start logs no false alarm.
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync();
            await db.Database.MigrateAsync();
        }

        if (app.Configuration.GetValue("DemoData:Enabled", true))
        {
            await scope.ServiceProvider.GetRequiredService<DemoData>().LoadAsync(CancellationToken.None);
        }

        // Versions of the shipped workflows that a body does not have yet become its own stored versions.
        var templates = scope.ServiceProvider.GetRequiredService<DefinitionTemplates>();
        foreach (var bodyId in await db.Bodies.Select(b => b.Id).ToListAsync())
        {
            await templates.ImportAsync(bodyId, CancellationToken.None);
        }
    }
}
