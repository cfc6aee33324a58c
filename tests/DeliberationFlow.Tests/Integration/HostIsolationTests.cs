using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Scheduling;
using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using DeliberationFlow.Tests.Infrastructure;
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

    /// <summary>
    /// Hangfire's log provider is a static as well, the last configured host's. Once that host stopped, every job another
    /// host's worker fetched was lost for half an hour: the logger Hangfire.PostgreSql builds for a fetched job failed
    /// on the stopped host's logger factory after the fetch had been committed (seen as a test's mail that never came).
    /// </summary>
    [Fact]
    public async Task AHostStopping_DoesNotHoldUpAnotherHostsMail()
    {
        await using var first = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await first.RegisterAsync("admin", new RegisterPaperRequest("21-50009", "Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        await first.MoveClockToAsync(Berlin.At(2021, 4, 10, 9));

        // A second host starts (and so configures Hangfire last), then stops while the first one goes on.
        var second = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await second.DisposeAsync();

        var response = await first.ClientFor("sekretariat-fpa").PostAsJsonAsync($"/api/meetings/{paper.Consultations[0].MeetingId}/change",
            new ChangeMeetingRequest("cancel", null, "Beschlussunfähigkeit erwartet"));
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        var cancelled = await first.Smtp.WaitForAsync(m => (m.Subject ?? "") == "Sitzung fällt aus: Finanz- und Personalausschuss am 29.04.2021", 5);
        Assert.Equal(5, cancelled.Count);
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
        var job = new BackgroundJob("probe", Job.FromExpression<OutboxJob>(j => j.DrainAsync(null, CancellationToken.None)), DateTime.UtcNow);
        using var scope = services.GetRequiredService<JobActivator>().BeginScope(new JobActivatorContext(connection, job, new JobCancellationToken(false)));
        return scope.Resolve(typeof(OutboxDrainCoordinator));
    }
}
