using System.ComponentModel.DataAnnotations;
using DeliberationFlow.Notifications;
using DeliberationFlow.Persistence;
using DeliberationFlow.Scheduling;

namespace DeliberationFlow.Server.Hosting;

/// <summary>Reads the configuration into the options of each part, checks them, and registers the parts.</summary>
public static class HostingExtensions
{
    /// <summary>
    /// The embedded default keeps everything under one data folder (<c>Storage:DataPath</c>): the SQLite file
    /// and the mail pickup folder.
    /// </summary>
    public static WebApplicationBuilder AddDeliberationStorage(this WebApplicationBuilder builder)
    {
        var dataPath = Path.GetFullPath(builder.Configuration["Storage:DataPath"] ?? "data", builder.Environment.ContentRootPath);
        var database = new DatabaseOptions
        {
            ConnectionString = builder.Configuration["Database:ConnectionString"] ?? "",
        };
        builder.Configuration.GetSection("Database").Bind(database);
        if (database.Provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(database.ConnectionString))
        {
            Directory.CreateDirectory(dataPath);
            database.ConnectionString = $"Data Source={Path.Combine(dataPath, "deliberationflow.db")}";
        }

        if (string.IsNullOrWhiteSpace(database.ConnectionString))
        {
            throw new InvalidOperationException(
                "Database:ConnectionString is empty. With Database:Provider=Postgres set it (or the environment variable Database__ConnectionString), e.g. Host=localhost;Database=deliberationflow;Username=…;Password=….");
        }

        // Mail settings are checked by MailOptionsValidator when the host starts, all problems at once.
        var mail = builder.Configuration.GetSection(MailOptions.Section).Get<MailOptions>() ?? new MailOptions();
        mail.PickupDirectory = Path.GetFullPath(mail.PickupDirectory, builder.Environment.ContentRootPath);
        var scheduling = Validate(builder.Configuration.GetSection(SchedulingOptions.Section).Get<SchedulingOptions>() ?? new SchedulingOptions(), SchedulingOptions.Section);

        builder.Services.AddDeliberationPersistence(database);
        builder.Services.AddDeliberationNotifications(mail);
        builder.Services.AddDeliberationScheduling(scheduling, database);

        var workflows = builder.Configuration["Workflows:Path"] ?? Path.Combine(AppContext.BaseDirectory, "workflows");
        builder.Services.AddCouncil(Path.GetFullPath(workflows, builder.Environment.ContentRootPath));
        return builder;
    }

    /// <summary>Every invalid setting of a section is reported at once, at start-up.</summary>
    private static T Validate<T>(T options, string section)
        where T : notnull
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new InvalidOperationException(
                $"Invalid configuration in section '{section}': " + string.Join("; ", results.Select(r => $"{string.Join(",", r.MemberNames)}: {r.ErrorMessage}")));
        }

        return options;
    }
}
