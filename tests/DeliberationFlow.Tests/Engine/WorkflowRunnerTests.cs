using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace DeliberationFlow.Tests.Engine;

public sealed class WorkflowRunnerTests
{
    private readonly InMemoryWorkflowStore _store = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2021, 4, 1, 7, 0, 0, TimeSpan.Zero));
    private readonly FailingActivity _failing = new();
    private readonly WorkflowRunner _runner;

    public WorkflowRunnerTests() =>
        _runner = new WorkflowRunner(
            new ActivityRegistry([new StartActivity(), new EndActivity(), new ApprovalActivity(), new PassActivity(), _failing]), _store, _clock);

    [Fact]
    public async Task Start_RunsToTheFirstWaitingActivity_AndSuspendsOnItsBookmark()
    {
        var result = await _runner.StartAsync(Definition(), Guid.NewGuid(), "paper-1", "alice", TestContext.Current.CancellationToken);

        Assert.Equal(WorkflowStatus.Suspended, result.Instance.Status);
        Assert.Equal("approve", result.Instance.CurrentActivityId);
        Assert.Equal(("approval", "paper-1"), (Assert.Single(_store.Bookmarks).Name, _store.Bookmarks[0].Key));
        Assert.Equal(("approval", "paper-1"), (Assert.Single(result.Timers).Kind, result.Timers[0].Key));
        Assert.Equal(_clock.GetUtcNow().AddDays(7), result.Timers[0].DueAt);
    }

    [Theory]
    [InlineData("Yes", "end")]
    [InlineData("No", "end")]
    public async Task Resume_FollowsTheConnectionOfTheOutcome_ToTheEnd(string answer, string last)
    {
        var definition = Definition();
        var started = await _runner.StartAsync(definition, Guid.NewGuid(), "paper-1", "alice", TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromDays(2));

        var resumed = await _runner.ResumeAsync(definition, started.Instance, _store.Bookmarks[0], new Stimulus("bob", _clock.GetUtcNow(), answer), TestContext.Current.CancellationToken);

        Assert.Equal(WorkflowStatus.Finished, resumed.Instance.Status);
        Assert.Equal(last, resumed.Instance.CurrentActivityId);
        Assert.Equal(_clock.GetUtcNow(), resumed.Instance.FinishedAt);
        Assert.Empty(_store.Bookmarks);
        var journal = _store.Journal.Select(j => (j.Kind, j.ActivityId, j.Outcome)).ToList();
        Assert.Contains((JournalEventKind.ActivityCompleted, "approve", answer), journal);
        Assert.Equal(JournalEventKind.InstanceFinished, journal[^1].Kind);
        Assert.Equal("bob", _store.Journal[^1].Actor);
        Assert.True(started.Instance.Revision >= 2);
    }

    [Fact]
    public async Task Resume_OfAFinishedInstance_IsRefused()
    {
        var definition = Definition();
        var started = await _runner.StartAsync(definition, Guid.NewGuid(), "paper-1", "alice", TestContext.Current.CancellationToken);
        var bookmark = _store.Bookmarks[0];
        await _runner.ResumeAsync(definition, started.Instance, bookmark, new Stimulus("bob", _clock.GetUtcNow(), "Yes"), TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<WorkflowStateException>(() =>
            _runner.ResumeAsync(definition, started.Instance, bookmark, new Stimulus("bob", _clock.GetUtcNow(), "No"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Start_OfALoopThatNeverWaits_FailsInsteadOfSpinningForever()
    {
        var loop = Definition() with
        {
            Activities = [new() { Id = "start", Type = "Start" }, new() { Id = "a", Type = "Pass" }, new() { Id = "b", Type = "Pass" }, new() { Id = "end", Type = "End" }],
            Connections = [new("start", "Done", "a"), new("a", "Done", "b"), new("b", "Done", "a")],
        };

        var error = await Assert.ThrowsAsync<WorkflowRunawayException>(() =>
            _runner.StartAsync(loop, Guid.NewGuid(), "paper-1", "alice", TestContext.Current.CancellationToken));
        Assert.Contains("loops", error.Message, StringComparison.Ordinal);

        // The caller runs the step again from scratch (as the council's unit of work does): the instance starts and
        // faults at the first activity after the start, with the message, instead of entering the loop again.
        var again = await _runner.StartAsync(loop, Guid.NewGuid(), "paper-1", "alice", TestContext.Current.CancellationToken);
        Assert.Equal((WorkflowStatus.Faulted, "a", error.Message), (again.Instance.Status, again.Instance.CurrentActivityId, again.Instance.Fault));

        // Noted for that one run only: another paper on the same definition runs (and loops) as any first run does.
        await Assert.ThrowsAsync<WorkflowRunawayException>(() =>
            _runner.StartAsync(loop, Guid.NewGuid(), "paper-2", "alice", TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// The second run of a step that looped reads the records and the clock again, and its own part may end otherwise
    /// (a hearing's last committee recorded in between, a wait not yet due): then it goes elsewhere. It was faulted at
    /// whatever activity came first, here the End, with a message about a loop that run never met.
    /// </summary>
    [Fact]
    public async Task ARunAfterALoop_ThatGoesElsewhere_IsNotFaulted_TheNoteWaitsForTheRunThatReachesTheLoop()
    {
        var definition = Definition() with
        {
            Activities =
            [
                new() { Id = "start", Type = "Start" }, new() { Id = "approve", Type = "Approval" },
                new() { Id = "a", Type = "Pass" }, new() { Id = "b", Type = "Pass" }, new() { Id = "end", Type = "End" },
            ],
            Connections = [new("start", "Done", "approve"), new("approve", "Yes", "a"), new("a", "Done", "b"), new("b", "Done", "a"), new("approve", "No", "end")],
        };
        // The same paper's instance as each run of the step loads it afresh (the unit of work rolled the first one back).
        var ct = TestContext.Current.CancellationToken;
        var runs = new List<WorkflowInstance>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add((await _runner.StartAsync(definition, Guid.Empty, "paper-1", "alice", ct)).Instance);
        }

        Bookmark BookmarkOf(WorkflowInstance instance) => _store.Bookmarks.Single(b => b.InstanceId == instance.Id);
        await Assert.ThrowsAsync<WorkflowRunawayException>(() =>
            _runner.ResumeAsync(definition, runs[0], BookmarkOf(runs[0]), new Stimulus("bob", _clock.GetUtcNow(), "Yes"), ct));

        var elsewhere = await _runner.ResumeAsync(definition, runs[1], BookmarkOf(runs[1]), new Stimulus("bob", _clock.GetUtcNow(), "No"), ct);
        Assert.Equal((WorkflowStatus.Finished, "end", null), (elsewhere.Instance.Status, elsewhere.Instance.CurrentActivityId, elsewhere.Instance.Fault));

        // A run that does reach the loop is still faulted where the loop's run began, instead of entering it.
        var looping = await _runner.ResumeAsync(definition, runs[2], BookmarkOf(runs[2]), new Stimulus("bob", _clock.GetUtcNow(), "Yes"), ct);
        Assert.Equal((WorkflowStatus.Faulted, "a"), (looping.Instance.Status, looping.Instance.CurrentActivityId));
        Assert.Contains("the workflow loops (through the Pass '", looping.Instance.Fault, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnActivitysOwnFailure_FaultsTheInstance_ButADatabaseFailure_EvenWrapped_AbortsTheStep()
    {
        var definition = Definition() with
        {
            Activities = [new() { Id = "start", Type = "Start" }, new() { Id = "fail", Type = "Failing" }, new() { Id = "end", Type = "End" }],
            Connections = [new("start", "Done", "fail"), new("fail", "Done", "end")],
        };

        // The activity's own error: an incident, kept for an admin to retry or skip.
        _failing.Failure = new InvalidOperationException("no committee 'fpa'");
        var faulted = await _runner.StartAsync(definition, Guid.NewGuid(), "paper-1", "alice", TestContext.Current.CancellationToken);
        Assert.Equal(WorkflowStatus.Faulted, faulted.Instance.Status);
        Assert.Equal("no committee 'fpa'", faulted.Instance.Fault);

        // The database's, as EF Core reports a deadlock (wrapped in an InvalidOperationException): the step fails whole,
        // for the caller's transaction to roll back, instead of going on in a transaction the database has aborted.
        _failing.Failure = new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", new DeadlockException());
        var aborted = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _runner.StartAsync(definition, Guid.NewGuid(), "paper-2", "alice", TestContext.Current.CancellationToken));
        Assert.IsType<DeadlockException>(aborted.InnerException);
        Assert.DoesNotContain(_store.Journal, j => j.Kind == JournalEventKind.InstanceFaulted && j.Message.Contains("transient", StringComparison.Ordinal));
    }

    private static WorkflowDefinition Definition() => new()
    {
        DefinitionId = "approval",
        Version = 3,
        Name = "Approval",
        Activities =
        [
            new() { Id = "start", Type = "Start" },
            new() { Id = "approve", Type = "Approval" },
            new() { Id = "end", Type = "End" },
        ],
        Connections = [new("start", "Done", "approve"), new("approve", "Yes", "end"), new("approve", "No", "end")],
    };

    /// <summary>Waits for an answer; the stimulus input is the outcome.</summary>
    private sealed class ApprovalActivity : IActivity
    {
        public ActivityDescriptor Descriptor { get; } = new("Approval", "Approval", ["Yes", "No"], []);

        public ValueTask<ActivityResult> ExecuteAsync(ActivityExecutionContext context, CancellationToken cancellationToken)
        {
            context.CreateBookmark("approval", context.Instance.CorrelationId);
            context.CreateTimer("approval", context.Instance.CorrelationId, context.Now.AddDays(7));
            return ValueTask.FromResult(ActivityResult.Suspend());
        }

        public ValueTask<ActivityResult> ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, Stimulus stimulus, CancellationToken cancellationToken) =>
            ValueTask.FromResult(ActivityResult.Done((string)stimulus.Input!));
    }

    private sealed class FailingActivity : IActivity
    {
        public Exception Failure { get; set; } = new InvalidOperationException();

        public ActivityDescriptor Descriptor { get; } = new("Failing", "Failing", ["Done"], []);

        public ValueTask<ActivityResult> ExecuteAsync(ActivityExecutionContext context, CancellationToken cancellationToken) => throw Failure;
    }

    private sealed class DeadlockException() : System.Data.Common.DbException("deadlock detected");

    private sealed class PassActivity : IActivity
    {
        public ActivityDescriptor Descriptor { get; } = new("Pass", "Pass", ["Done"], []);

        public ValueTask<ActivityResult> ExecuteAsync(ActivityExecutionContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(ActivityResult.Done("Done"));
    }
}
