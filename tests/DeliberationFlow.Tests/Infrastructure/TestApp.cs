using System.Net.Http.Json;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using DeliberationFlow.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DeliberationFlow.Tests.Infrastructure;

/// <summary>One service instance on its own fresh database, with its own SMTP server; disposed after the test.</summary>
public sealed class TestApp : IAsyncDisposable
{
    private readonly Action<IServiceCollection>? _configureServices;
    private readonly IReadOnlyDictionary<string, string>? _settings;
    private readonly bool _browser;

    private TestApp(DatabaseProvider provider, string connectionString, string dataPath, FakeTimeProvider clock, TestSmtpServer smtp,
        Action<IServiceCollection>? configureServices, bool browser = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        _configureServices = configureServices;
        _settings = settings;
        _browser = browser;
        Provider = provider;
        ConnectionString = connectionString;
        DataPath = dataPath;
        Smtp = smtp;
        App = new DeliberationFlowApp(provider, connectionString, clock, smtp.Port, dataPath, configureServices, settings);
        smtp.DescribeDelivery = DescribeDeliveryAsync;
    }

    /// <summary>The service on a real Kestrel port (a browser cannot reach the in-memory test server); set by <see cref="StartForBrowserAsync"/>.</summary>
    public string BaseUrl { get; private set; } = "";

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    public string DataPath { get; }
    public TestSmtpServer Smtp { get; }
    public DeliberationFlowApp App { get; private set; }
    public FakeTimeProvider Clock => App.Clock;

    /// <summary>
    /// The settings of an API-only node, one without a Hangfire server: timers get their jobs and mail is queued, but
    /// nothing on this node runs them unless the test does.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ApiOnly = new Dictionary<string, string> { ["Scheduling:RunServer"] = "false" };

    /// <summary>
    /// A node whose every-minute reconciliation (it follows the wall clock, not the test's) runs only at its start and
    /// next at New Year, for tests that reconcile when they say so.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ReconcileOnlyAtStart =
        new Dictionary<string, string> { ["Scheduling:ReconciliationCron"] = "0 0 1 1 *" };

    /// <param name="configureServices">Test-only services or options, applied after the service's own (e.g. an extra timer handler).</param>
    /// <param name="settings">Configuration as an operator would set it (e.g. <c>Scheduling:RunServer</c>).</param>
    public static async Task<TestApp> StartAsync(
        DatabaseProvider provider, FakeTimeProvider clock, Action<IServiceCollection>? configureServices = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dataPath = DeliberationFlowApp.NewDataPath();
        var connectionString = provider == DatabaseProvider.Postgres
            ? await PostgresServer.CreateDatabaseAsync()
            : DeliberationFlowApp.SqliteConnectionString(dataPath);
        var app = new TestApp(provider, connectionString, dataPath, clock, new TestSmtpServer(), configureServices, settings: settings);
        _ = app.App.Server; // starts the host: migrations, demo data, Hangfire server
        return app;
    }

    /// <summary>As <see cref="StartAsync"/>, but served by Kestrel on a free loopback port, for the browser tests.</summary>
    public static Task<TestApp> StartForBrowserAsync(DatabaseProvider provider, FakeTimeProvider clock) => StartOnLoopbackAsync(provider, clock);

    /// <summary>
    /// As <see cref="StartAsync"/>, but served by Kestrel on a free loopback port: for a browser, or for a client that
    /// connects over the network as it would in production (the OParl import reading the service's own OParl).
    /// </summary>
    public static async Task<TestApp> StartOnLoopbackAsync(DatabaseProvider provider, FakeTimeProvider clock, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dataPath = DeliberationFlowApp.NewDataPath();
        var connectionString = provider == DatabaseProvider.Postgres
            ? await PostgresServer.CreateDatabaseAsync()
            : DeliberationFlowApp.SqliteConnectionString(dataPath);
        var app = new TestApp(provider, connectionString, dataPath, clock, new TestSmtpServer(), null, browser: true, settings);
        app.StartKestrel();
        return app;
    }

    private void StartKestrel()
    {
        App.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        App.StartServer();
        BaseUrl = App.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

        // Clients of the factory address Kestrel by its real address, so that URLs the service builds from the request
        // (OParl ids and links) lead back to it.
        App.ClientOptions.BaseAddress = new Uri(BaseUrl + "/");
    }

    /// <summary>Stops the host and starts a new one on the same database, as a restart of the service would.</summary>
    public async Task RestartAsync(Action<DeliberationFlowApp>? whileStopped = null)
    {
        var clock = App.Clock;
        await App.DisposeAsync();
        whileStopped?.Invoke(App);
        App = new DeliberationFlowApp(Provider, ConnectionString, clock, Smtp.Port, DataPath, _configureServices, _settings);
        if (_browser)
        {
            StartKestrel();
        }
        else
        {
            _ = App.Server;
        }
    }

    public HttpClient ClientFor(string userName) => App.ClientFor(userName);

    /// <summary>What the every-minute reconciliation job does; tests call it after moving the fake clock.</summary>
    public Task ReconcileAsync() =>
        App.WithScopeAsync(sp => sp.GetRequiredService<Reconciliation>().RunAsync(CancellationToken.None));

    /// <summary>Waits until Hangfire has no job scheduled, enqueued or running any more, and asserts that it came to that.</summary>
    public async Task WaitUntilHangfireIsIdleAsync()
    {
        var monitoring = App.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long Busy() => monitoring.ScheduledCount() + monitoring.EnqueuedCount("default") + monitoring.ProcessingCount();

        // The answer is the count that ended the wait: counting again for the assertion could see a job enqueued in
        // between (the every-minute reconciliation), and fail a wait that had come to idle.
        var busy = Busy();
        while (busy > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            busy = Busy();
        }

        Assert.Equal(0, busy);
    }

    /// <summary>Waits until every message that is due has been delivered (or has failed and waits for its retry).</summary>
    public async Task WaitForMailOutAsync()
    {
        var started = DateTime.UtcNow;
        var deadline = started.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var now = Clock.GetUtcNow();
            var busy = await App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().OutboxMessages
                .AnyAsync(m => m.Status == global::DeliberationFlow.Council.Notifications.OutboxStatus.Pending && (m.LeaseUntil != null || m.NextAttemptAt <= now)));
            if (!busy)
            {
                return;
            }

            await Task.Delay(50);
        }

        // Say which messages are stuck and how, so a failure here can be told apart from a slow machine.
        Assert.Fail($"Mail was still being delivered after 30 s (waited {started:HH:mm:ss.fff}–{DateTime.UtcNow:HH:mm:ss.fff} UTC): {await DescribeDeliveryAsync()}");
    }

    /// <summary>
    /// Waits until every timer due by the test's clock has fired or been skipped. A timer leaves "pending" in the transaction
    /// that holds its handler's effects (outbox rows, journal lines; see FireTimer), so once none is left they are all
    /// committed. Mail that arrived shows only that some timer fired: a meeting's timers fire in parallel lanes, and one may
    /// commit after another's mail is out (or, should it fail, with the retry of its own job).
    /// </summary>
    public async Task WaitForDueTimersAsync()
    {
        var started = DateTime.UtcNow;
        var deadline = started.AddSeconds(30);
        while (true)
        {
            var now = Clock.GetUtcNow();
            var pending = await App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Timers.AsNoTracking()
                .Where(t => t.Status == TimerStatus.Pending && t.DueAt <= now).ToListAsync());
            if (pending.Count == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Due timers were still pending after 30 s (waited {started:HH:mm:ss.fff}–{DateTime.UtcNow:HH:mm:ss.fff} UTC, clock {now:O}): " +
                            string.Join(", ", pending.Select(t => $"[{t.Kind} {t.Key} due {t.DueAt:O}, job {t.JobId}]")) + $". {HangfireState()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Every outbox row and, on PostgreSQL, every Hangfire job with its states and queue entry, for a failure message.</summary>
    private async Task<string> DescribeDeliveryAsync()
    {
        try
        {
            var rows = await App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().OutboxMessages.AsNoTracking()
                .OrderBy(m => m.CreatedAt)
                .Select(m => $"[{m.Subject} to {m.RecipientAddress}: {m.Status}, attempts {m.Attempts}, created {m.CreatedAt:O}, next {m.NextAttemptAt:O}, lease {m.LeaseUntil:O}, error {m.LastError}]")
                .ToListAsync());
            var text = $"Clock {Clock.GetUtcNow():O}. Outbox: {string.Join(" ", rows)}. {HangfireState()}";
            if (Provider != DatabaseProvider.Postgres)
            {
                return text;
            }

            await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("""
                select j.id, j.statename, j.createdat, left(j.invocationdata::text, 120),
                       (select string_agg(s.name || ' ' || s.createdat::text || coalesce(' ' || s.reason, ''), ' > ' order by s.id) from hangfire.state s where s.jobid = j.id),
                       (select string_agg(coalesce(q.fetchedat::text, 'not fetched'), ', ') from hangfire.jobqueue q where q.jobid = j.id)
                from hangfire.job j order by j.id
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            var jobs = new List<string>();
            while (await reader.ReadAsync())
            {
                jobs.Add($"[job {reader.GetInt64(0)} {reader.GetValue(1)} created {reader.GetValue(2)}: {reader.GetValue(3)}; states {reader.GetValue(4)}; queue {reader.GetValue(5)}]");
            }

            return $"{text} Jobs (database time {DateTime.UtcNow:O} UTC here): {string.Join(" ", jobs)}";
        }
        catch (Exception ex)
        {
            return $"(delivery state unreadable: {ex.Message})";
        }
    }

    /// <summary>What Hangfire's storage says about the jobs that deliver mail, for a failure message.</summary>
    private string HangfireState()
    {
        var monitoring = App.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        var statistics = monitoring.GetStatistics();
        var queueList = monitoring.Queues();
        var queues = string.Join(", ", queueList.Select(q => $"{q.Name}: {q.Length} enqueued, first {string.Join("/", q.FirstJobs.Select(j => $"{j.Value?.Job?.Type.Name}.{j.Value?.Job?.Method.Name} {j.Value?.State}"))}"));
        var failed = string.Join(", ", monitoring.FailedJobs(0, 5).Select(j => $"{j.Value.Job?.Type.Name}: {j.Value.ExceptionMessage}"));
        var processing = string.Join(", ", monitoring.ProcessingJobs(0, 5).Select(j => $"{j.Value.Job?.Type.Name} since {j.Value.StartedAt:O} on {j.Value.ServerId}"));
        string Created(string id) => $"{monitoring.JobDetails(id)?.CreatedAt:HH:mm:ss.fff}";
        var fetched = string.Join(", ", queueList.SelectMany(q => monitoring.FetchedJobs(q.Name, 0, 5))
            .Select(j => $"{j.Value.Job?.Type.Name} ({j.Value.State}) created {Created(j.Key)}, fetched {j.Value.FetchedAt:HH:mm:ss.fff}"));
        return $"Hangfire: servers {statistics.Servers}, enqueued {statistics.Enqueued}, processing {statistics.Processing} [{processing}], " +
               $"scheduled {statistics.Scheduled}, succeeded {statistics.Succeeded}, failed {statistics.Failed} [{failed}]; queues {queues}; fetched [{fetched}]; " +
               $"succeeded jobs: {string.Join(", ", monitoring.SucceededJobs(0, 10).Select(j => $"{j.Value.Job?.Type.Name} created {Created(j.Key)}, done {j.Value.SucceededAt:HH:mm:ss.fff}"))}";
    }

    /// <summary>Moves the clock on, once the mail of what happened so far is out (as in real life, where days pass in between).</summary>
    public async Task MoveClockToAsync(DateTimeOffset instant)
    {
        await WaitForMailOutAsync();
        Clock.SetUtcNow(instant);
    }

    public async Task<PaperDetails> RegisterAsync(string userName, RegisterPaperRequest request)
    {
        var response = await ClientFor(userName).PostAsJsonAsync("/api/papers", request);
        await Http.EnsureAsync(response, System.Net.HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<PaperDetails>())!;
    }

    public async Task<PaperDetails> GetPaperAsync(string userName, Guid id)
    {
        var response = await ClientFor(userName).GetAsync($"/api/papers/{id}");
        await Http.EnsureAsync(response, System.Net.HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<PaperDetails>())!;
    }

    public async Task<PaperDetails> GetPaperByReferenceAsync(string reference, string userName = "admin")
    {
        var response = await ClientFor(userName).GetAsync($"/api/papers/by-reference/{reference}");
        await Http.EnsureAsync(response, System.Net.HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<PaperDetails>())!;
    }

    public Task<HttpResponseMessage> RecordAsync(string userName, Guid consultationId, RecordOutcomeRequest request, string? idempotencyKey = null)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, $"/api/consultations/{consultationId}/outcome") { Content = JsonContent.Create(request) };
        if (idempotencyKey is not null)
        {
            message.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return ClientFor(userName).SendAsync(message);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Smtp.Dispose();
        if (Provider == DatabaseProvider.Postgres)
        {
            await PostgresServer.DropDatabaseAsync(ConnectionString);
        }

        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing connection; the temp folder is cleaned by the OS.
        }
    }
}

public static class Http
{
    /// <summary>Asserts the status, showing the problem details the service sent when it differs.</summary>
    public static async Task EnsureAsync(HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            Assert.Fail($"Expected {(int)expected} but got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
