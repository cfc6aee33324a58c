using DeliberationFlow.Persistence;
using DeliberationFlow.Scheduling;
using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// Hangfire keeps its configuration in statics. Several service hosts in one process (the integration tests run
/// many at once) must each run their jobs with their own services. Before this was so, a host's Hangfire server took
/// the activator of whichever host had configured Hangfire last: a host configures Hangfire while it loads its demo
/// data and starts its server a few seconds later, and a host starting in between made the first host's mail
/// delivery and timer jobs run against the other host's database (a test host's due mail never came).
/// </summary>
public sealed class HostIsolationTests
{
    [Fact]
    public async Task AHostConfiguringHangfireAfterAnother_DoesNotTakeOverTheOthersJobs()
    {
        await using var first = Host();
        await using var second = Host();

        // The order of a start in parallel: the first host configures Hangfire (its first job client), then the
        // second host does, then the first host's server asks for the activator it builds its jobs with.
        _ = first.GetRequiredService<IBackgroundJobClient>();
        _ = second.GetRequiredService<IBackgroundJobClient>();
        var builtForFirst = BuildDeliveryJobDependency(first);
        var builtForSecond = BuildDeliveryJobDependency(second);

        Assert.Same(first.GetRequiredService<OutboxDrainCoordinator>(), builtForFirst);
        Assert.Same(second.GetRequiredService<OutboxDrainCoordinator>(), builtForSecond);
    }

    private static ServiceProvider Host()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDeliberationScheduling(new SchedulingOptions { RunServer = false },
            new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = "Data Source=:memory:" });
        return services.BuildServiceProvider();
    }

    /// <summary>What a host's Hangfire server does to run a delivery job: a scope of its activator, then the job's services.</summary>
    private static object BuildDeliveryJobDependency(IServiceProvider services)
    {
        using var connection = services.GetRequiredService<JobStorage>().GetConnection();
        var job = new BackgroundJob("probe", Job.FromExpression<OutboxJob>(j => j.DrainAsync(CancellationToken.None)), DateTime.UtcNow);
        using var scope = services.GetRequiredService<JobActivator>().BeginScope(new JobActivatorContext(connection, job, new JobCancellationToken(false)));
        return scope.Resolve(typeof(OutboxDrainCoordinator));
    }
}
