using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DeliberationFlow.Notifications;

/// <summary>
/// Ready includes the SMTP server when one is configured. A server that does not answer makes the node Degraded, not
/// Unhealthy: the node still records outcomes and queues their mail in the outbox, which delivers once the server is
/// back, so a load balancer must keep it in rotation (Degraded answers 200, Unhealthy 503); operators see the word in
/// the probe's answer and the reason in the log. The answer is kept for a minute, so probes every few seconds do not
/// open an SMTP session each. Without a server (the pickup folder) there is nothing to check.
/// </summary>
public sealed class SmtpReadyHealthCheck(SmtpCheck check, TimeProvider clock) : IHealthCheck
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(1);
    private Answer? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (check.UsesPickupDirectory)
        {
            return HealthCheckResult.Healthy("No SMTP server configured; mail goes to the pickup folder.");
        }

        var now = clock.GetUtcNow();
        if (Volatile.Read(ref _last) is { } last && now - last.At < Keep)
        {
            return last.Result;
        }

        var outcome = await check.RunAsync(cancellationToken);
        var result = outcome.Ok
            ? HealthCheckResult.Healthy(outcome.Summary)
            : HealthCheckResult.Degraded($"{outcome.Summary} {outcome.Remedy}");
        Volatile.Write(ref _last, new Answer(now, result));
        return result;
    }

    private sealed record Answer(DateTimeOffset At, HealthCheckResult Result);
}
