using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using DeliberationFlow.Benchmarks;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// The benchmark of issue 3, item 9: workflow steps through the service's own use cases against PostgreSQL,
// compared with a pgbench-like transaction on the same database; step cost at 10 k and 1 M stored instances;
// memory growth over the measured steps; mail sent from the outbox through MailKit to a local SMTP server (issue 5).
// Last line: RESULT steps_per_s=… baseline_tps=… ratio=… p99_ms=… scale_ratio_1m_10k=… rss_growth_pct=… mail_msgs_per_s=…
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

var total = Stopwatch.StartNew();
using var statements = new StatementCounter();
var statementsAtLastReport = 0L;
var (jittedAtLastReport, jitTimeAtLastReport) = (JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime());
void Say(string line) => Console.WriteLine(line);
string F(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
void Report(PhaseResult phase)
{
    var sent = statements.Count - statementsAtLastReport;
    statementsAtLastReport = statements.Count;
    // The JIT's work since the last report: methods still being compiled (tiered compilation moves hot methods to
    // optimised code in steps) mean the phase measured code that was not yet in its steady state.
    var jitted = JitInfo.GetCompiledMethodCount() - jittedAtLastReport;
    var jitTime = JitInfo.GetCompilationTime() - jitTimeAtLastReport;
    (jittedAtLastReport, jitTimeAtLastReport) = (JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime());
    Say($"  {phase.Name,-16} {phase.Succeeded,6}/{phase.Requests,-6} in {phase.Elapsed.TotalSeconds,6:F2} s = {phase.PerSecond,7:F1}/s; {phase.Latencies.Describe()}; " +
        $"{(double)sent / Math.Max(1, phase.Requests):F1} commands (round trips) per request; JIT {jitted} methods, {jitTime.TotalMilliseconds:F0} ms");
    foreach (var error in phase.Errors)
    {
        Say($"    error: {error}");
    }
}

// Fresh database of our own, dropped at the end, so every run starts alike.
var admin = new NpgsqlConnectionStringBuilder(options.Connection);
var databaseName = $"df_bench_{Guid.NewGuid():N}";
// The baseline, the bulk load and the benchmark's own statements have a connection per client and more, as pgbench
// would; the service has the pool deploy/README.md advises (--pool).
var connectionString = new NpgsqlConnectionStringBuilder(options.Connection)
{
    Database = databaseName,
    MaxPoolSize = Math.Max(100, (options.Clients * 2) + 20),
}.ConnectionString;
var serviceConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = options.Pool }.ConnectionString;
string serverVersion;
await using (var connection = new NpgsqlConnection(admin.ConnectionString))
{
    await connection.OpenAsync();
    serverVersion = connection.PostgreSqlVersion.ToString();
    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{databaseName}\"", connection);
    await create.ExecuteNonQueryAsync();
}

var dataPath = Directory.CreateTempSubdirectory("deliberationflow-bench-").FullName;
Say($"DeliberationFlow benchmark: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, " +
    $"PostgreSQL {serverVersion} at {admin.Host}:{admin.Port}, database {databaseName}");
Say($"papers {options.Papers} (+ up to {options.WarmupRounds} warm-up rounds of {options.WarmupPapers}), clients {options.Clients}, scale {options.ScaleMin:N0} → {options.ScaleMax:N0} stored instances, " +
    $"{options.ScaleSteps} steps each; workflow beschlussvorlage (FPA → VA → Rat); service pool {options.Pool} connections, baseline {options.Clients}");
Say($"load average at start: {LoadAverage()}");
if (options.WithoutJobs)
{
    Say("DIAGNOSTIC RUN (--without-jobs): no Hangfire jobs are created after commit; these figures are not the service's.");
}

var exitCode = 0;
try
{
    var clock = new SettableClock(WorkflowDriver.RegistrationTime);
    var started = Stopwatch.StartNew();
    await using var host = await ServiceHost.StartAsync(serviceConnectionString, clock, dataPath, options.WithoutJobs);
    Say($"service composition up (migrations, demo data of Stadt Braunschweig) in {started.Elapsed.TotalSeconds:F1} s");
    // Issue 6: the studio opens and edits a 100-activity workflow on the server in under 1 s (Elsa Studio needed 44–65 s).
    using (var scope = host.Services.CreateScope())
    {
        var registry = scope.ServiceProvider.GetRequiredService<DeliberationFlow.Engine.Activities.IActivityRegistry>();
        var document = DeliberationFlow.Tests.Studio.LargeWorkflow.Document();
        var cold = DeliberationFlow.Tests.Studio.LargeWorkflow.Session(registry, document);
        var warm = DeliberationFlow.Tests.Studio.LargeWorkflow.Session(registry, document);
        Say($"studio designer, 100-activity workflow (open + check, then layout, 100 moves, edits, undo/redo, check, write): " +
            $"first {cold.Opened.TotalMilliseconds:F1} / {cold.Total.TotalMilliseconds:F1} ms, again {warm.Opened.TotalMilliseconds:F1} / {warm.Total.TotalMilliseconds:F1} ms " +
            $"(target < 1000 ms; problems {warm.ProblemsAtEnd})");
    }

    var driver = new WorkflowDriver(host, clock, options.Clients);

    // Warm-up: the same workflow, unmeasured, so JIT, EF Core's query cache and the connection pools are warm. In rounds
    // until the JIT is nearly done: under load on two cores, tiered compilation takes a minute or more to bring the hot
    // methods to their optimised, profile-guided code (after one round of 1500 papers the main phase still compiled
    // ~500 methods per 2000 requests, at 3.05 ms of CPU per request; after four, 16-235 methods, at 2.33 ms). A service
    // that has run for a while is in that second state.
    var warmupRounds = 0;
    for (var round = 1; options.WarmupPapers > 0 && round <= options.WarmupRounds; round++)
    {
        Say($"warm-up, round {round}:");
        var jittedBefore = JitInfo.GetCompiledMethodCount();
        await driver.RunWorkflowAsync($"WARM{round}", new PaperSlots(options.WarmupPapers), Report);
        warmupRounds = round;
        if (JitInfo.GetCompiledMethodCount() - jittedBefore < BenchmarkOptions.WarmupJitQuiet)
        {
            break;
        }
    }

    Say($"warm-up: {warmupRounds} round(s) of {options.WarmupPapers} papers");

    // Planner statistics as autovacuum keeps them on a running service. The database was created minutes ago, and a
    // prepared statement planned while its tables were nearly empty can keep that plan until autovacuum's next round:
    // in one run the step's main query took 2.0 ms on average instead of 0.15 ms, and the figures moved by a quarter.
    await using (var connection = new NpgsqlConnection(connectionString))
    {
        await connection.OpenAsync();
        await using var analyze = new NpgsqlCommand("ANALYZE", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    var mainSlots = new PaperSlots(options.Papers);

    var rssBefore = ProcessMemory.ResidentAfterCollection();
    var heapBefore = GC.GetTotalMemory(forceFullCollection: false);
    Say($"RSS after warm-up: {ProcessMemory.Mb(rssBefore)} (managed heap {ProcessMemory.Mb(heapBefore)})");

    // Main phase: N papers, three recorded outcomes each.
    Say($"main phase ({options.Papers} papers):");
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var allocatedBefore = GC.GetTotalAllocatedBytes();
    var databaseCpuBefore = PostgresCpu.Of(databaseName);
    using var allocations = options.AllocationTypes > 0 ? new AllocationSampler() : null;
    var (_, stepPhases) = await driver.RunWorkflowAsync("MAIN", mainSlots, phase =>
    {
        Report(phase);
        foreach (var line in allocations?.Drain(options.AllocationTypes, phase.Requests) ?? [])
        {
            Say($"    {line}");
        }

        Say($"    RSS after this phase (after a full GC): {ProcessMemory.Mb(ProcessMemory.ResidentAfterCollection())}");
    });
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
    var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
    var databaseCpu = PostgresCpu.Of(databaseName) - databaseCpuBefore;
    var steps = stepPhases.Sum(p => p.Succeeded);
    var requests = stepPhases.Sum(p => p.Requests);
    var stepTime = TimeSpan.FromTicks(stepPhases.Sum(p => p.Elapsed.Ticks));
    var stepLatencies = Latencies.Combine(stepPhases.Select(p => p.Latencies));
    var stepsPerSecond = steps / stepTime.TotalSeconds;
    var rssAfter = ProcessMemory.ResidentAfterCollection();
    var heapAfter = GC.GetTotalMemory(forceFullCollection: false);
    var rssGrowth = 100.0 * (rssAfter - rssBefore) / rssBefore;
    Say($"  steps: {steps} of {requests} requests advanced the workflow in {stepTime.TotalSeconds:F2} s = {F(stepsPerSecond)} steps/s; {stepLatencies.Describe()}");
    Say($"  CPU of this process in the main phase (registrations and steps): {cpu.TotalSeconds:F1} s = {cpu.TotalMilliseconds / (steps + options.Papers):F2} ms per request; " +
        $"PostgreSQL backends {databaseCpu.TotalSeconds:F1} s = {databaseCpu.TotalMilliseconds / (steps + options.Papers):F2} ms per request; " +
        $"allocated {allocated / 1024.0 / (steps + options.Papers):F0} KB per request");
    Say($"  RSS after {steps} steps: {ProcessMemory.Mb(rssAfter)} (managed heap {ProcessMemory.Mb(heapAfter)}): growth {F(rssGrowth)} %");
    if (steps < requests)
    {
        exitCode = 1;
    }

    // Baseline: pgbench's TPC-B-like transaction by as many clients, as long as the steps took (at least 10 s).
    Say($"baseline (TPC-B-like transaction, scale {options.BaselineScale}, {options.Clients} clients):");
    var loadBaseline = Stopwatch.StartNew();
    await TpcbBaseline.CreateAsync(connectionString, options.BaselineScale);
    Say($"  tables loaded in {loadBaseline.Elapsed.TotalSeconds:F1} s");
    await TpcbBaseline.RunAsync(connectionString, options.BaselineScale, options.Clients, TimeSpan.FromSeconds(2));
    var baselineDuration = TimeSpan.FromSeconds(Math.Clamp(stepTime.TotalSeconds, 10, 60));
    var baselineCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var baselineDatabaseCpuBefore = PostgresCpu.Of(databaseName);
    var (transactions, baselineTime, baselineLatencies) =
        await TpcbBaseline.RunAsync(connectionString, options.BaselineScale, options.Clients, baselineDuration);
    var baselineCpu = Process.GetCurrentProcess().TotalProcessorTime - baselineCpuBefore;
    var baselineDatabaseCpu = PostgresCpu.Of(databaseName) - baselineDatabaseCpuBefore;
    var baselineTps = transactions / baselineTime.TotalSeconds;
    var ratio = stepsPerSecond / baselineTps;
    Say($"  {transactions} transactions in {baselineTime.TotalSeconds:F2} s = {F(baselineTps)} tps; {baselineLatencies.Describe()}");
    Say($"  CPU per transaction: this process {baselineCpu.TotalMilliseconds / transactions:F3} ms, PostgreSQL backends {baselineDatabaseCpu.TotalMilliseconds / transactions:F3} ms");
    Say($"  ratio steps/s : baseline tps = {F(ratio)}");

    // Mail after the workflow and the baseline, so that nothing unrelated runs in this process before the steps are
    // measured (run first, one back-to-back pair gave 322 against 371 steps/s; see docs/performance.md). The
    // workflow's notices waiting in the outbox are drained first, unmeasured, so the measured batch meets an outbox of
    // its own.
    double mailPerSecond = 0;
    if (options.MailMessages > 0)
    {
        Say($"mail ({options.MailMessages} outbox messages → OutboxDispatcher → MailKit → SMTP server in this process):");
        var mail = await MailBenchmark.RunAsync(host, clock, options.MailMessages, Say);
        mailPerSecond = mail.PerSecond;
        Say($"  {mail.Messages} sent ({mail.Received} received) in {mail.Elapsed.TotalSeconds:F2} s  over {mail.Connections} parallel connections (batches of 50) = {F(mailPerSecond)} messages/s (target >= 300)");
        if (mail.Messages < options.MailMessages || mail.Received < options.MailMessages)
        {
            exitCode = 1;
        }
    }
    else
    {
        Say("mail section skipped (--mail-messages 0); mail_msgs_per_s is reported as 0.00");
    }

    // Scale: the cost of a step (mean latency at the same concurrency) among 10 k and among 1 M stored instances.
    double scaleRatio = 0;
    if (options.ScaleMax > 0)
    {
        var costs = new List<double>();
        foreach (var stored in new[] { options.ScaleMin, options.ScaleMax }.Distinct())
        {
            Say($"scale phase at {stored:N0} stored instances:");
            var load = Stopwatch.StartNew();
            // Room for an unmeasured round of the same steps first and the measured one after it.
            var fill = stored - 2 * options.ScaleSteps;
            var added = await BulkLoader.FillToAsync(connectionString, host.BodyId, fill, Say);
            Say($"  {added:N0} finished instances loaded by SQL in {load.Elapsed.TotalSeconds:F1} s");
            statementsAtLastReport = statements.Count; // the bulk load's statements are not the next phase's

            // The sections before (mail, baseline) and a database that just grew leave the JIT recompiling and the
            // step's statements replanned; without this round, runs measured up to 0.8 s of JIT inside a 1.8 s sample.
            var settle = new Guid[options.ScaleSteps];
            Report(await driver.RegisterAsync($"S{stored}warm", settle));
            Report(await driver.RecordAsync($"S{stored}warm", 0, settle, new Guid[options.ScaleSteps]));
            var consultations = new Guid[options.ScaleSteps];
            var registration = await driver.RegisterAsync($"S{stored}", consultations);
            Report(registration);
            var count = await BulkLoader.CountInstancesAsync(connectionString);
            var phase = await driver.RecordAsync($"S{stored}", 0, consultations, new Guid[options.ScaleSteps]);
            Report(phase);
            Say($"  {count:N0} stored instances: step cost {F(phase.Latencies.Mean)} ms mean");
            costs.Add(phase.Latencies.Mean);
            if (phase.Succeeded < phase.Requests)
            {
                exitCode = 1;
            }
        }

        scaleRatio = costs[^1] / costs[0];
        Say($"  scale ratio (step cost at {options.ScaleMax:N0} / at {options.ScaleMin:N0}) = {F(scaleRatio)}");
    }
    else
    {
        Say("scale phase skipped (--scale-max 0); scale_ratio_1m_10k is reported as 0.00");
    }

    Say($"load average at end: {LoadAverage()}");
    Say($"total {total.Elapsed.TotalSeconds:F0} s; targets: ratio >= 0.5, p99 <= 20 ms, scale ratio <= 1.2, RSS growth <= 10 % " +
        $"(measured over {steps} steps)");
    Say($"RESULT steps_per_s={F(stepsPerSecond)} baseline_tps={F(baselineTps)} ratio={F(ratio)} p99_ms={F(stepLatencies.Percentile(99))} " +
        $"scale_ratio_1m_10k={F(scaleRatio)} rss_growth_pct={F(rssGrowth)} mail_msgs_per_s={F(mailPerSecond)}");
}
finally
{
    NpgsqlConnection.ClearAllPools();
    if (options.KeepDatabase)
    {
        Say($"database {databaseName} kept");
    }
    else
    {
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    try
    {
        Directory.Delete(dataPath, recursive: true);
    }
    catch (IOException)
    {
        // The temp folder is the operating system's to clean.
    }
}

return exitCode;

static string LoadAverage()
{
    try
    {
        return File.ReadAllText("/proc/loadavg").Trim();
    }
    catch (IOException)
    {
        return "unknown";
    }
}
