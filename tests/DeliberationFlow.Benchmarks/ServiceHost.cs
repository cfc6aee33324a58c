using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Timers;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using DeliberationFlow.Server.Api;
using DeliberationFlow.Server.Demo;
using DeliberationFlow.Server.Hosting;
using DeliberationFlow.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DeliberationFlow.Benchmarks;

/// <summary>
/// The service's composition, built the way Program.cs builds it (the same extension methods, migrations and
/// demo data), without the HTTP listener: the benchmark calls the use cases from one DI scope per request, as
/// the API endpoints do. Only the clock is the benchmark's, and no Hangfire server runs (timers stay rows; the
/// jobs the steps create are queued in PostgreSQL, as on an API-only node).
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServiceHost(WebApplication app, Caller admin, Guid bodyId)
    {
        _app = app;
        Admin = admin;
        BodyId = bodyId;
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>The admin of the City of Braunschweig, as the API would see the signed-in user "admin".</summary>
    public Caller Admin { get; }

    public Guid BodyId { get; }

    public static async Task<ServiceHost> StartAsync(string connectionString, SettableClock clock, string dataPath, bool withoutJobs)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = dataPath,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = nameof(DatabaseProvider.Postgres),
            ["Database:ConnectionString"] = connectionString,
            ["Database:MigrateOnStartup"] = "true",
            ["Storage:DataPath"] = dataPath,
            ["Mail:Smtp:Host"] = "",
            ["Mail:PickupDirectory"] = Path.Combine(dataPath, "mail-pickup"),
            ["Scheduling:RunServer"] = "false",
            ["DemoData:Enabled"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",

            // The migration run on the fresh database logs its probe of the missing history table as a failed command;
            // errors of the measured requests reach the benchmark as exceptions and are counted there.
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Critical",
            ["Logging:LogLevel:Hangfire"] = "Warning",
        });

        // Registered before the service's own parts, whose TryAddSingleton(TimeProvider.System) then keeps it.
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddDeliberationStorage();
        builder.AddDeliberationSecurity();
        builder.AddDeliberationApi();
        builder.Services.AddScoped<DemoData>();
        if (withoutJobs)
        {
            // Diagnostic only (--without-jobs): what a step costs without creating its Hangfire jobs after commit.
            builder.Services.AddScoped<ITimerScheduler, NoTimerScheduler>();
            builder.Services.AddScoped<IOutboxSignal, NoOutboxSignal>();
        }

        var app = builder.Build();
        await app.PrepareAsync();

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
        var body = await db.Bodies.AsNoTracking().SingleAsync(b => b.Key == DemoData.BraunschweigKey);
        var admin = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "admin" && u.BodyId == body.Id);

        // The claims the API would put on the signed-in admin, turned into a Caller the same way.
        var principal = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(CouncilClaims.For(admin), "Basic"));
        return new ServiceHost(app, principal.ToCaller(), body.Id);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed class NoTimerScheduler : ITimerScheduler
    {
        public Task ScheduleAsync(IReadOnlyCollection<WorkflowTimer> timers, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class NoOutboxSignal : IOutboxSignal
    {
        public void MessagesQueued()
        {
        }
    }
}
