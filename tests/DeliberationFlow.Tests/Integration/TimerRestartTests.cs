using DeliberationFlow.Council.Papers;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using DeliberationFlow.Scheduling;
using DeliberationFlow.Tests.Infrastructure;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Integration;

/// <summary>Timers are rows: a restart, a lost job or a duplicated job never loses or repeats an invitation.</summary>
[Collection(HostCollection.Name)]
public sealed class TimerRestartTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task PendingTimer_WhenHostRestartsAndJobsAreDuplicated_FiresExactlyOnce(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 5, 20, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest(
            "21-18001", "Stellenplan 2022", "Beschlussvorlage", "fb10", null, true, null, null));
        Assert.Equal("10.06.2021", paper.Consultations[0].Date);

        // Three seconds before the Ladungsfrist the reconciliation creates the timer's job …
        test.Clock.SetUtcNow(Berlin.At(2021, 6, 3, 14, 59, 57));
        await test.ReconcileAsync();
        var timer = await TimerAsync(test, paper);
        Assert.NotNull(timer.JobId);

        // … and the service stops before it runs. It comes back after the due time.
        await test.RestartAsync(app => app.Clock.SetUtcNow(Berlin.At(2021, 6, 3, 15, 0, 30)));

        // Duplicated jobs and repeated reconciliations, as a second node or a crash-restart would cause.
        await test.App.WithScopeAsync(sp =>
        {
            var jobs = sp.GetRequiredService<IBackgroundJobClient>();
            jobs.Enqueue<TimerJob>(j => j.RunAsync(timer.Id, CancellationToken.None));
            jobs.Enqueue<TimerJob>(j => j.RunAsync(timer.Id, CancellationToken.None));
            return Task.FromResult(0);
        });
        await test.ReconcileAsync();
        await test.ReconcileAsync();

        var invitations = await test.Smtp.WaitForAsync(m => (m.Subject ?? "").EndsWith("21-18001", StringComparison.Ordinal), 5);
        await test.WaitUntilHangfireIsIdleAsync();

        Assert.Equal(5, invitations.Count);
        Assert.Equal(5, test.Smtp.Messages.Count(m => (m.Subject ?? "").EndsWith("21-18001", StringComparison.Ordinal)));
        Assert.Equal(TimerStatus.Fired, (await TimerAsync(test, paper)).Status);
        var journal = (await test.GetPaperAsync("admin", paper.Id)).Journal;
        Assert.Single(journal, j => j.Kind == "TimerFired");
    }

    private static Task<WorkflowTimer> TimerAsync(TestApp test, PaperDetails paper) =>
        test.App.WithScopeAsync(sp =>
        {
            var key = paper.Consultations[0].Id.ToString();
            return sp.GetRequiredService<DeliberationDbContext>().Timers.AsNoTracking().SingleAsync(t => t.Key == key && t.Kind == "consultation.invitation");
        });
}
