using System.Net;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Council.Timers;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using DeliberationFlow.Scheduling;
using DeliberationFlow.Tests.Infrastructure;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// Timers that are already due when a step creates them (the Verwaltungsausschuss's invitation once the Finanz- und
/// Personalausschuss has decided, its Ladungsfrist passed) share the job waiting on the node instead of each
/// creating a Hangfire job inside the request; each still fires exactly once.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class DueTimerDrainTests
{
    [Fact]
    public void StepsAtTheSameMoment_ShareTheWaitingJob_UntilItStarts()
    {
        var drain = new TimerDrainCoordinator();
        var created = 0;
        string Enqueue() => $"job-{Interlocked.Increment(ref created)}";

        var ids = Enumerable.Range(0, 16).AsParallel().WithDegreeOfParallelism(16).Select(_ => drain.JobFor(Enqueue)).ToList();
        Assert.Equal(1, created);
        Assert.All(ids, id => Assert.Equal("job-1", id));
        Assert.Equal("job-1", drain.JobFor(Enqueue));

        // Once the job has started reading what is due, a step committed after that needs a new one.
        drain.DrainStarting();
        Assert.Equal("job-2", drain.JobFor(Enqueue));

        // A job that could not be created leaves no mark behind: the next step tries again.
        drain.DrainStarting();
        Assert.Throws<InvalidOperationException>(() => drain.JobFor(() => throw new InvalidOperationException("database unreachable")));
        Assert.Equal("job-3", drain.JobFor(Enqueue));
    }

    [Fact]
    public void AJobAnotherNodeMade_LeavesThisNodesMark_AndAsksForADrainWhenThatNodesMarkRunsOut()
    {
        var drain = new TimerDrainCoordinator();
        var created = 0;
        string Enqueue() => $"job-{Interlocked.Increment(ref created)}";
        Assert.Equal("job-1", drain.JobFor(Enqueue));

        // A job made elsewhere a moment ago: its maker hands work to it until its mark runs out, so a drain is due then.
        var followUp = drain.DrainStarting("elsewhere", DateTime.UtcNow);
        Assert.NotNull(followUp);
        Assert.InRange(followUp.Value, DrainCoordinator.MarkLifetime - TimeSpan.FromSeconds(1), DrainCoordinator.MarkLifetime + TimeSpan.FromSeconds(1));
        Assert.Equal("job-1", drain.JobFor(Enqueue));

        // Made long enough ago that no node still hands work to it: nothing more to do.
        Assert.Null(drain.DrainStarting("elsewhere", DateTime.UtcNow - DrainCoordinator.MarkLifetime - TimeSpan.FromSeconds(5)));

        // This node's own job: the mark goes, no follow-up.
        Assert.Null(drain.DrainStarting("job-1", DateTime.UtcNow));
        Assert.Equal("job-2", drain.JobFor(Enqueue));
    }

    [Fact]
    public async Task InvitationsDueAtTheStep_OfPapersDecidedAtOnce_AreEachSentOnce()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var papers = new List<PaperDetails>();
        for (var i = 0; i < 8; i++)
        {
            papers.Add(await test.RegisterAsync("admin", new RegisterPaperRequest($"21-5102{i}", $"Vorlage {i}", "Beschlussvorlage", "fb10", null, true, null, null)));
        }

        await test.MoveClockToAsync(Berlin.At(2021, 4, 22, 15, 0, 1));
        await test.ReconcileAsync();
        var decided = Berlin.At(2021, 4, 29, 18, 0);
        await test.MoveClockToAsync(decided);

        // The FPA's outcomes for all eight at once: each plans the VA of 04.05., whose Ladungsfrist (27.04.) has passed.
        var responses = await Task.WhenAll(papers.Select(p => test.RecordAsync("sekretariat-fpa", p.Consultations[0].Id,
            new RecordOutcomeRequest("Adopted", "einstimmig beschlossen", null), Guid.NewGuid().ToString())));
        foreach (var response in responses)
        {
            await Http.EnsureAsync(response, HttpStatusCode.OK);
        }

        // One invitation per member and meeting: the first timer to fire invites to what is planned by then, later ones
        // send a supplement with the rest. However steps and timers interleave, each of the five members hears of each of
        // the eight papers exactly once.
        static bool IsVaInvitation(MimeKit.MimeMessage m) =>
            (m.Subject ?? "").StartsWith("Einladung: Verwaltungsausschuss am 04.05.2021 – ", StringComparison.Ordinal)
            || (m.Subject ?? "").StartsWith("Nachtrag zur Einladung: Verwaltungsausschuss am 04.05.2021 – ", StringComparison.Ordinal);
        await test.WaitUntilHangfireIsIdleAsync();
        await test.WaitForMailOutAsync();
        var heard = test.Smtp.Messages.Where(IsVaInvitation)
            .SelectMany(m => m.Subject!.Split(" – ")[^1].Split(", ").Where(r => r.StartsWith("21-5102", StringComparison.Ordinal))
                .Select(reference => (Member: m.To.Mailboxes.Single().Address, Reference: reference)))
            .ToList();
        Assert.Equal(40, heard.Count);
        Assert.Equal(40, heard.Distinct().Count());
        Assert.Equal(papers.Select(p => p.Reference).Order(StringComparer.Ordinal), heard.Select(h => h.Reference).Distinct().Order(StringComparer.Ordinal));

        var instanceIds = papers.Select(p => p.Workflow!.InstanceId).ToList();
        var state = await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            return new
            {
                Timers = await db.Timers.AsNoTracking().Where(t => instanceIds.Contains(t.InstanceId) && t.ActivityId == "va" && t.Kind == "consultation.invitation").ToListAsync(),
                Fired = await db.Journal.AsNoTracking().Where(j => instanceIds.Contains(j.InstanceId) && j.Kind == JournalEventKind.TimerFired && j.Timestamp >= decided).CountAsync(),
            };
        });
        Assert.Equal(8, state.Timers.Count);
        Assert.All(state.Timers, t => Assert.Equal(TimerStatus.Fired, t.Status));
        Assert.Equal(8, state.Fired);

        // Neither the FPA's invitations (due when the reconciliation found them) nor the VA's (due when the steps made
        // them) got a job each: shared jobs fired all sixteen.
        await test.WaitUntilHangfireIsIdleAsync();
        var jobs = test.App.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi().SucceededJobs(0, 1000)
            .Where(j => j.Value.Job?.Type == typeof(TimerJob)).Select(j => j.Value.Job!.Method.Name).ToList();
        Assert.DoesNotContain(nameof(TimerJob.RunAsync), jobs);
        Assert.Contains(nameof(TimerJob.RunDueAsync), jobs);
    }

    /// <summary>
    /// A timer whose handler fails is handed to a job of its own, which Hangfire retries and at last shows as failed;
    /// later drains leave it to that job instead of handing it yet another one each time.
    /// </summary>
    [Fact]
    public async Task ATimerThatKeepsFailing_GetsOneJobOfItsOwn_NotOneMorePerDrain()
    {
        // No Hangfire server: the drains below are the only ones, not also the reconciliation every node triggers at its
        // start, which could give the failing timer a job between the two drains (a CI run saw job 5 after job 4).
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            services => services.AddScoped<ITimerHandler, FailingTimerHandler>(), TestApp.ApiOnly);
        var now = test.Clock.GetUtcNow();
        var timer = new WorkflowTimer
        {
            Id = Guid.CreateVersion7(), InstanceId = Guid.CreateVersion7(), ActivityId = "fpa", Kind = FailingTimerHandler.TimerKind,
            Key = "failing", DueAt = now.AddMinutes(-1), CreatedAt = now,
        };
        await test.App.WithScopeAsync(sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            db.WorkflowInstances.Add(new WorkflowInstance
            {
                Id = timer.InstanceId, DefinitionId = "beschlussvorlage", DefinitionVersion = 1, CorrelationId = "failing",
                TenantId = Guid.Empty, Status = WorkflowStatus.Suspended, CurrentActivityId = "fpa", CreatedAt = now, UpdatedAt = now,
            });
            db.Timers.Add(timer);
            return db.SaveChangesAsync();
        });

        Task<WorkflowTimer> StoredAsync() => test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Timers.AsNoTracking().SingleAsync(t => t.Id == timer.Id));
        await test.App.WithScopeAsync(sp => sp.GetRequiredService<TimerJob>().RunDueAsync(null, CancellationToken.None));
        var afterFirst = await StoredAsync();
        await test.App.WithScopeAsync(sp => sp.GetRequiredService<TimerJob>().RunDueAsync(null, CancellationToken.None));
        var afterSecond = await StoredAsync();

        Assert.Equal(TimerStatus.Pending, afterSecond.Status);
        Assert.NotNull(afterFirst.JobId);
        Assert.Equal(afterFirst.JobId, afterSecond.JobId);
    }

    /// <summary>
    /// Only the node that runs a drain job clears its mark, so for a few seconds after another node's server took the job
    /// this node believes it still waiting. The reconciliation must not hand the timers it rescues to that job, which
    /// has already run: they would wait for the next reconciliation again (a two-node run lost more than 90 s so).
    /// </summary>
    [Fact]
    public async Task TheReconciliation_GivesRescuedTimersANewJob_NotTheOneThisNodeBelievesWaiting()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            settings: TestApp.ApiOnly);
        var jobs = test.App.Services.GetRequiredService<Hangfire.IBackgroundJobClient>();
        var ran = test.App.Services.GetRequiredService<TimerDrainCoordinator>()
            .JobFor(() => jobs.Create<TimerJob>(j => j.RunDueAsync(null, CancellationToken.None), new Hangfire.States.EnqueuedState()));
        jobs.ChangeState(ran, new Hangfire.States.SucceededState(null, 0, 0)); // as if another node's server had run it

        var now = test.Clock.GetUtcNow();
        var timer = new WorkflowTimer
        {
            Id = Guid.CreateVersion7(), InstanceId = Guid.CreateVersion7(), ActivityId = "fpa", Kind = FailingTimerHandler.TimerKind,
            Key = "rescued", DueAt = now.AddMinutes(-1), CreatedAt = now, JobId = ran,
        };
        await test.App.WithScopeAsync(sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            db.Timers.Add(timer);
            return db.SaveChangesAsync(ct);
        });

        await test.App.WithScopeAsync(sp => sp.GetRequiredService<TimerReconciler>().ReconcileAsync(ct));

        var rescued = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Timers.AsNoTracking().SingleAsync(t => t.Id == timer.Id, ct));
        Assert.NotEqual(ran, rescued.JobId);
        using var connection = test.App.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();
        Assert.Equal(Hangfire.States.EnqueuedState.StateName, connection.GetJobData(rescued.JobId!)!.State);
    }

    /// <summary>
    /// A step hands its due timers to the drain job waiting on the node before it commits, so they are saved with it and
    /// need no update after the commit. Should that job start reading in between, it cannot have seen them: after the
    /// commit they get the job that waits then.
    /// </summary>
    [Fact]
    public async Task TimersHandedToTheWaitingJobBeforeCommit_KeepIt_UnlessThatJobStartedMeanwhile()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            settings: TestApp.ApiOnly);
        var drain = test.App.Services.GetRequiredService<TimerDrainCoordinator>();
        var now = test.Clock.GetUtcNow();
        WorkflowTimer Due(string key) => new()
        {
            Id = Guid.CreateVersion7(), InstanceId = Guid.CreateVersion7(), ActivityId = "fpa", Kind = FailingTimerHandler.TimerKind,
            Key = key, DueAt = now.AddMinutes(-1), CreatedAt = now,
        };

        // One step as a use case runs it: hand over, save (the commit), schedule.
        Task<WorkflowTimer> StepAsync(WorkflowTimer timer, Action? beforeCommit = null) => test.App.WithScopeAsync(async sp =>
        {
            var scheduler = sp.GetRequiredService<ITimerScheduler>();
            var db = sp.GetRequiredService<DeliberationDbContext>();
            scheduler.HandToWaitingJob([timer]);
            db.Timers.Add(timer);
            beforeCommit?.Invoke();
            await db.SaveChangesAsync(ct);
            await scheduler.ScheduleAsync([timer], ct);
            return await db.Timers.AsNoTracking().SingleAsync(t => t.Id == timer.Id, ct);
        });

        // No job waits yet: the first step's timer gets one after the commit.
        var first = await StepAsync(Due("first"));
        var waiting = drain.WaitingJob();
        Assert.NotNull(waiting);
        Assert.Equal(waiting, first.JobId);

        // The next step's timer is saved with that job and keeps it.
        Assert.Equal(waiting, (await StepAsync(Due("second"))).JobId);

        // Here the job starts reading what is due while the step has yet to commit: the timer gets the next job.
        var third = await StepAsync(Due("third"), beforeCommit: () => drain.DrainStarting(waiting));
        Assert.NotEqual(waiting, third.JobId);
        Assert.Equal(drain.WaitingJob(), third.JobId);
        using var connection = test.App.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();
        Assert.Equal(Hangfire.States.EnqueuedState.StateName, connection.GetJobData(third.JobId!)!.State);
    }

    private sealed class FailingTimerHandler : ITimerHandler
    {
        public const string TimerKind = "test.failing";

        public string Kind => TimerKind;

        public Task<TimerHandling> HandleAsync(WorkflowTimer timer, DateTimeOffset now, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The handler of this test timer always fails.");
    }
}
