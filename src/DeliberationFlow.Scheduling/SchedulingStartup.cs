using Hangfire;
using Microsoft.Extensions.Hosting;

namespace DeliberationFlow.Scheduling;

/// <summary>
/// Registers the recurring reconciliation and triggers it once at start-up, so timers and mail that were
/// due while the service was down are picked up at once.
/// </summary>
internal sealed class SchedulingStartup(IRecurringJobManager recurringJobs, SchedulingOptions options) : IHostedService
{
    public const string ReconciliationJobId = "timer-reconciliation";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurringJobs.AddOrUpdate<TimerReconciler>(ReconciliationJobId, r => r.ReconcileAsync(CancellationToken.None), options.ReconciliationCron);
        recurringJobs.Trigger(ReconciliationJobId);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
