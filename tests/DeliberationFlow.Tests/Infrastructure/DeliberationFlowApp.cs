using System.Net.Http.Headers;
using System.Text;
using DeliberationFlow.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DeliberationFlow.Tests.Infrastructure;

/// <summary>
/// The real service in the test process: real database (PostgreSQL or SQLite), real Hangfire server,
/// MailKit delivering to a real SMTP server. Only the clock is fake.
/// </summary>
public sealed class DeliberationFlowApp(
    DatabaseProvider provider,
    string connectionString,
    FakeTimeProvider clock,
    int smtpPort,
    string dataPath,
    Action<IServiceCollection>? configureServices = null,
    IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<Program>
{
    public FakeTimeProvider Clock { get; } = clock;

    public static string NewDataPath() => Directory.CreateTempSubdirectory("deliberationflow-test-").FullName;

    public static string SqliteConnectionString(string dataPath) => $"Data Source={Path.Combine(dataPath, "test.db")}";

    public HttpClient ClientFor(string userName, string password = "demo")
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{userName}:{password}")));
        return client;
    }

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public async Task WithScopeAsync(Func<IServiceProvider, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", provider.ToString());
        builder.UseSetting("Database:ConnectionString", connectionString);
        builder.UseSetting("Storage:DataPath", dataPath);
        builder.UseSetting("Mail:Smtp:Host", "127.0.0.1");
        builder.UseSetting("Mail:Smtp:Port", smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Mail:Smtp:Security", "None");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Hundreds of test servers start in one run; their banners would bury the test report in CI's output.
        builder.UseSetting("Hosting:StartupBanner", "false");

        // The API imports OParl files only from its import folders: here the repository's fixtures and the folders
        // tests prepare.
        builder.UseSetting("OParl:ImportFolders:0", OParl.OParlFiles.Fixtures);
        builder.UseSetting("OParl:ImportFolders:1", OParl.OParlFiles.ScratchRoot);

        // A test's own settings, as an operator would give them (e.g. an API-only node).
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            configureServices?.Invoke(services);
        });
    }
}
