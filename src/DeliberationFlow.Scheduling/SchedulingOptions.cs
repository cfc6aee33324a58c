using System.ComponentModel.DataAnnotations;

namespace DeliberationFlow.Scheduling;

/// <summary>How timers become Hangfire jobs (configuration section <c>Scheduling</c>).</summary>
public sealed class SchedulingOptions
{
    public const string Section = "Scheduling";

    /// <summary>
    /// Jobs are created only for timers due within this horizon; the reconciliation brings later ones in
    /// as they come near. Hangfire.PostgreSql spends about 25 transactions per job, so months of future
    /// invitations are kept as rows, not as jobs.
    /// </summary>
    public TimeSpan Horizon { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How often the reconciliation looks for timers without a live job and for undelivered mail (cron).</summary>
    public string ReconciliationCron { get; set; } = "* * * * *";

    /// <summary>Hangfire worker threads in this process.</summary>
    [Range(1, 100)]
    public int WorkerCount { get; set; } = 10;

    /// <summary>Run a Hangfire server in this process (a node may be an API-only node).</summary>
    public bool RunServer { get; set; } = true;

    /// <summary>How often Hangfire looks for due scheduled jobs and new queue items; its defaults (15 s) make timers late.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a job a worker has taken stays hidden from the other workers when that worker stops answering (its node
    /// died, or the job was lost between taking and starting it). A worker that is alive renews it every fifth of this
    /// time while the job runs, so a long job never runs twice for being long. Hangfire.PostgreSql's default is 30
    /// minutes without renewal, which held a crashed node's timers and mail back that long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
