using Hangfire;
using Microsoft.Extensions.Hosting;

namespace DeliberationFlow.Scheduling;

/// <summary>
/// Registers the recurring reconciliation and triggers it once at start-up, so timers and mail that were
/// due while the service was down are picked up at once; likewise the reading of documents' texts still missing.
/// </summary>
internal sealed class SchedulingStartup(IRecurringJobManager recurringJobs, SchedulingOptions options) : IHostedService
{
    // The id the job had while it was named for its first part, the timers; a database that has it runs the whole
    // reconciliation under the new id instead.
    private const string FormerJobId = "timer-reconciliation";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurringJobs.RemoveIfExists(FormerJobId);
        recurringJobs.AddOrUpdate<Reconciliation>(Reconciliation.JobId, r => r.RunAsync(CancellationToken.None), options.ReconciliationCron);
        recurringJobs.Trigger(Reconciliation.JobId);
        recurringJobs.AddOrUpdate<PaperTextJob>(PaperTextJob.JobId, j => j.RunAsync(CancellationToken.None), PaperTextJob.Cron);
        recurringJobs.Trigger(PaperTextJob.JobId);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
