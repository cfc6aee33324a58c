using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;

namespace DeliberationFlow.Engine.Runtime;

/// <summary>
/// Runs a flowchart: executes activities, follows the connection of each outcome, suspends on
/// bookmarks and finishes at an end activity. It only stages changes in the <see cref="IWorkflowStore"/>;
/// the caller commits them together with its own records in one transaction.
/// </summary>
public sealed class WorkflowRunner(IActivityRegistry activities, IWorkflowStore store, TimeProvider clock)
{
    /// <summary>Guards against a definition that loops without ever waiting.</summary>
    public const int MaxActivitiesPerStep = 1_000;

    /// <summary>
    /// From this many activities in one run on, the runner counts which ones it runs, to name the loop when the run
    /// reaches <see cref="MaxActivitiesPerStep"/>. A council step runs a handful; counting from the first would cost a
    /// dictionary per step for the rare run that loops. A definition has at most
    /// <see cref="WorkflowDefinitionValidator.MaxActivities"/> activities, so a run this long is well inside its loop by then.
    /// </summary>
    private const int CountFrom = MaxActivitiesPerStep / 2;

    /// <summary>
    /// The runaway loops this runner met in its scope (one request or timer job), by instance (definition and correlation),
    /// with the fault to record. A run that hits <see cref="MaxActivitiesPerStep"/> has staged the loop's iterations
    /// (journal lines, timers, notices) in the caller's unit of work, mixed with the step's own work; the runner cannot
    /// take those back. So it remembers the loop here and throws <see cref="WorkflowRunawayException"/>; the caller rolls its
    /// transaction back, clears the unit of work and runs the same step again (see the council's UnitOfWorkTransaction).
    /// In that second run the runner does the step's own part (the start, the resumed bookmark with its outcome, the
    /// skip) as before, but faults the instance at the first activity it would then run, instead of running into the
    /// loop again: the step is kept, nothing of the loop is, and the instance waits at the activity where the loop's run
    /// began for an admin to retry (after correcting the definition) or skip. A re-run is simpler and surer than undoing
    /// staged changes one by one, and it is the way the unit of work already repeats a step undone by a deadlock.
    /// The note names that activity, and the second run faults only on arriving there: the second run reads the clock and
    /// the records again, and its own part may end otherwise (the hearing's last committee recorded in between, the
    /// instance moved to another version), so that it goes on elsewhere or waits. Faulted at whatever came first, such a
    /// run reported a loop at an activity that had none (the End, in WorkflowRunnerTests). A run that goes elsewhere
    /// leaves the note, and if it loops as well, the loop it met is noted instead for the next run.
    /// </summary>
    private readonly Dictionary<(string DefinitionId, string CorrelationId), (string ActivityId, string Fault)> _runaways = [];

    public async Task<RunResult> StartAsync(
        WorkflowDefinition definition,
        Guid tenantId,
        string correlationId,
        string actor,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var start = definition.Activities.FirstOrDefault(a => activities.Find(a.Type)?.Descriptor.IsStart == true)
            ?? throw new InvalidOperationException($"Workflow '{definition.DefinitionId}' v{definition.Version} has no start activity.");
        var instance = new WorkflowInstance
        {
            Id = Guid.CreateVersion7(now),
            DefinitionId = definition.DefinitionId,
            DefinitionVersion = definition.Version,
            CorrelationId = correlationId,
            TenantId = tenantId,
            CreatedAt = now,
            UpdatedAt = now,
            CurrentActivityId = start.Id,
        };
        store.AddInstance(instance);
        store.AddJournalEntry(WorkflowJournal.Entry(instance, JournalEventKind.InstanceStarted, now, actor,
            $"Instanz von {definition.Name} (v{definition.Version}) gestartet."));

        var timers = new List<WorkflowTimer>();
        await RunFromAsync(definition, instance, start, actor, now, timers, cancellationToken);
        return new RunResult(instance, timers);
    }

    /// <summary>
    /// Resumes a bookmark. The bookmark is burnt first, so the caller's commit fails on a concurrent
    /// resume of the same bookmark (the row is already gone) and nothing is applied twice.
    /// </summary>
    public async Task<RunResult> ResumeAsync(
        WorkflowDefinition definition,
        WorkflowInstance instance,
        Bookmark bookmark,
        Stimulus stimulus,
        CancellationToken cancellationToken)
    {
        if (instance.Status is not WorkflowStatus.Suspended)
        {
            throw new WorkflowStateException($"Instance {instance.Id} is {instance.Status}, not waiting for a stimulus.");
        }

        var now = clock.GetUtcNow();
        var activityDefinition = definition.GetActivity(bookmark.ActivityId);
        var activity = Resolve(activityDefinition);
        store.RemoveBookmark(bookmark);
        instance.Status = WorkflowStatus.Running;
        instance.Revision++;
        instance.UpdatedAt = now;

        var timers = new List<WorkflowTimer>();
        var context = new ActivityExecutionContext(instance, definition, activityDefinition, stimulus.Actor, now, store, timers);
        context.Journal(JournalEventKind.BookmarkResumed, $"{bookmark.Name} ({bookmark.Key}) fortgesetzt.");
        var result = await GuardAsync(instance, context, () => activity.ResumeAsync(context, bookmark, stimulus, cancellationToken));
        if (result is not null)
        {
            await ContinueAsync(context, result, cancellationToken);
        }

        return new RunResult(instance, timers);
    }

    private async Task RunFromAsync(
        WorkflowDefinition definition,
        WorkflowInstance instance,
        ActivityDefinition activityDefinition,
        string actor,
        DateTimeOffset now,
        List<WorkflowTimer> timers,
        CancellationToken cancellationToken,
        string? runBegan = null)
    {
        instance.Revision++;
        instance.UpdatedAt = now;
        var activity = Resolve(activityDefinition);
        instance.CurrentActivityId = activityDefinition.Id;
        var context = new ActivityExecutionContext(instance, definition, activityDefinition, actor, now, store, timers);
        context.Journal(JournalEventKind.ActivityExecuted, $"{activityDefinition.DisplayName ?? activityDefinition.Id} gestartet.");
        var result = await GuardAsync(instance, context, () => activity.ExecuteAsync(context, cancellationToken));
        if (result is not null)
        {
            await ContinueAsync(context, result, cancellationToken, runBegan);
        }
    }

    /// <summary>
    /// Runs the instance's current activity again after an incident (the cause, e.g. a missing committee, having
    /// been mended). Nothing that completed before the incident is run again.
    /// </summary>
    public async Task<RunResult> RetryAsync(WorkflowDefinition definition, WorkflowInstance instance, string actor, CancellationToken cancellationToken)
    {
        var activity = FaultedActivity(definition, instance);
        var now = clock.GetUtcNow();
        instance.Status = WorkflowStatus.Running;
        instance.Fault = null;
        store.AddJournalEntry(WorkflowJournal.Entry(instance, JournalEventKind.IncidentResolved, now, actor, $"Erneuter Versuch von '{activity.Id}'.", activity));
        var timers = new List<WorkflowTimer>();
        if (FaultIfRunaway(new ActivityExecutionContext(instance, definition, activity, actor, now, store, timers)))
        {
            // Retried while the loop is still there: the retry ran into it and was undone; the incident stays open.
            instance.Revision++;
            instance.UpdatedAt = now;
            return new RunResult(instance, timers);
        }

        // The retried activity itself is where this run's loop would begin.
        await RunFromAsync(definition, instance, activity, actor, now, timers, cancellationToken, runBegan: activity.Id);
        return new RunResult(instance, timers);
    }

    /// <summary>Leaves the faulted activity through the given outcome, as if it had ended so, and goes on from there.</summary>
    public async Task<RunResult> SkipAsync(WorkflowDefinition definition, WorkflowInstance instance, string outcome, string actor, CancellationToken cancellationToken)
    {
        var activity = FaultedActivity(definition, instance);
        if (definition.FindConnection(activity.Id, outcome) is null && !Resolve(activity).Descriptor.IsEnd)
        {
            throw new WorkflowStateException(
                $"'{activity.Id}' has no connection for outcome '{outcome}'; use one of: {string.Join(", ", definition.ConnectedOutcomes(activity.Id))}.");
        }

        var now = clock.GetUtcNow();
        instance.Status = WorkflowStatus.Running;
        instance.Fault = null;
        instance.Revision++;
        instance.UpdatedAt = now;
        store.AddJournalEntry(WorkflowJournal.Entry(instance, JournalEventKind.IncidentResolved, now, actor, $"'{activity.Id}' übersprungen mit {outcome}.", activity, outcome));
        var timers = new List<WorkflowTimer>();
        await ContinueAsync(new ActivityExecutionContext(instance, definition, activity, actor, now, store, timers), ActivityResult.Done(outcome), cancellationToken);
        return new RunResult(instance, timers);
    }

    private static ActivityDefinition FaultedActivity(WorkflowDefinition definition, WorkflowInstance instance)
    {
        if (instance.Status != WorkflowStatus.Faulted || instance.CurrentActivityId is null)
        {
            throw new WorkflowStateException($"Instance {instance.Id} is {instance.Status}; only a faulted instance can be retried or skipped.");
        }

        return definition.GetActivity(instance.CurrentActivityId);
    }

    /// <summary>
    /// Runs one activity call. If the activity fails, the instance becomes faulted — kept with the error and the
    /// activity, for an admin to retry or skip — instead of the whole step being lost. Database failures and
    /// cancellations are not incidents: they abort the step, and the caller's transaction rolls it back. That includes a
    /// database failure that arrives wrapped (EF Core reports a deadlock as an InvalidOperationException around it): taken
    /// for an incident, it left the step going on in a transaction PostgreSQL had already aborted.
    /// </summary>
    private static async Task<ActivityResult?> GuardAsync(WorkflowInstance instance, ActivityExecutionContext context, Func<ValueTask<ActivityResult>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException) && !IsDatabaseFailure(ex))
        {
            instance.Status = WorkflowStatus.Faulted;
            instance.Fault = ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message;
            instance.CurrentActivityId = context.Activity.Id;
            context.Journal(JournalEventKind.InstanceFaulted, $"Störung in '{context.Activity.Id}': {instance.Fault}");
            return null;
        }
    }

    private static bool IsDatabaseFailure(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is System.Data.Common.DbException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Follows the outcome of the activity run in <paramref name="context"/> until an activity waits or the flow ends.</summary>
    /// <param name="runBegan">
    /// The activity a loop met in this run would be faulted at in the next (see <see cref="_runaways"/>): the first one
    /// after the step's own part unless given (a retry's own activity).
    /// </param>
    private async Task ContinueAsync(ActivityExecutionContext context, ActivityResult result, CancellationToken cancellationToken, string? runBegan = null)
    {
        var (instance, definition) = (context.Instance, context.Definition);
        Dictionary<string, int>? executed = null;
        for (var steps = 0; steps < MaxActivitiesPerStep; steps++)
        {
            var current = context.Activity;
            if (result.IsSuspended)
            {
                instance.Status = WorkflowStatus.Suspended;
                instance.CurrentActivityId = current.Id;
                return;
            }

            if (Resolve(current).Descriptor.IsEnd)
            {
                instance.Status = WorkflowStatus.Finished;
                instance.CurrentActivityId = current.Id;
                instance.FinishedAt = context.Now;
                context.Journal(JournalEventKind.InstanceFinished, "Instanz abgeschlossen.");
                return;
            }

            var outcome = result.Outcome!;
            if (context.CompletedWith != outcome)
            {
                context.Journal(JournalEventKind.ActivityCompleted, $"{current.DisplayName ?? current.Id} abgeschlossen mit {outcome}.", outcome);
            }

            var connection = definition.FindConnection(current.Id, outcome);
            if (connection is null)
            {
                instance.Status = WorkflowStatus.Faulted;
                instance.CurrentActivityId = current.Id;
                instance.Fault = $"Activity '{current.Id}' ended with outcome '{outcome}', but workflow '{definition.DefinitionId}' v{definition.Version} has no connection for it.";
                context.Journal(JournalEventKind.InstanceFaulted, instance.Fault);
                return;
            }

            var next = context.For(definition.GetActivity(connection.Target));
            if (steps == 0)
            {
                if (FaultIfRunaway(next))
                {
                    return;
                }

                runBegan ??= next.Activity.Id;
            }

            instance.CurrentActivityId = next.Activity.Id;
            if (steps >= CountFrom)
            {
                executed ??= new(StringComparer.Ordinal);
                executed[next.Activity.Id] = executed.GetValueOrDefault(next.Activity.Id) + 1;
            }

            next.Journal(JournalEventKind.ActivityExecuted, $"{next.Activity.DisplayName ?? next.Activity.Id} gestartet.");
            var activity = Resolve(next.Activity);
            var nextResult = await GuardAsync(instance, next, () => activity.ExecuteAsync(next, cancellationToken));
            if (nextResult is null)
            {
                return;
            }

            (context, result) = (next, nextResult);
        }

        // The activities run most often (of the run's later half, all inside the loop) make up the loop; of them, the one
        // with a choice of ways on (a condition) is the one to look at, as that is where the loop fails to exit: name it.
        var counted = executed!;
        var most = counted.Values.Max();
        var looping = definition.GetActivity(counted
            .Where(e => e.Value >= most - 1)
            .OrderByDescending(e => definition.ConnectedOutcomes(e.Key).Count() > 1)
            .First().Key);
        var fault =
            $"Workflow '{definition.DefinitionId}' v{definition.Version} ran {MaxActivitiesPerStep} activities without waiting for a meeting or outcome: " +
            $"the workflow loops (through the {looping.Type} '{looping.Id}'); nothing of that run was kept. " +
            $"Correct the definition (e.g. the {looping.Type} '{looping.Id}') and retry or skip.";
        _runaways[(instance.DefinitionId, instance.CorrelationId)] = (runBegan!, fault);
        throw new WorkflowRunawayException(fault);
    }

    /// <summary>
    /// In the second run of a step that ran into a loop (see <see cref="_runaways"/>): faults the instance at the activity
    /// about to run, the first one after the step's own part, without running it, when that is where the loop's run began.
    /// </summary>
    private bool FaultIfRunaway(ActivityExecutionContext context)
    {
        var instance = context.Instance;
        var key = (instance.DefinitionId, instance.CorrelationId);
        if (!_runaways.TryGetValue(key, out var noted) || noted.ActivityId != context.Activity.Id)
        {
            return false;
        }

        _runaways.Remove(key);
        var fault = noted.Fault;
        instance.Status = WorkflowStatus.Faulted;
        instance.Fault = fault;
        instance.CurrentActivityId = context.Activity.Id;
        context.Journal(JournalEventKind.InstanceFaulted, $"Störung in '{context.Activity.Id}': {fault}");
        return true;
    }

    private IActivity Resolve(ActivityDefinition activity) =>
        activities.Find(activity.Type)
        ?? throw new WorkflowStateException($"Activity type '{activity.Type}' of activity '{activity.Id}' is not registered.");
}

/// <summary>The instance after a step, and the timers the step created (to be scheduled after commit).</summary>
public sealed record RunResult(WorkflowInstance Instance, IReadOnlyList<WorkflowTimer> Timers);

/// <summary>A stimulus or step that does not fit the instance's current state.</summary>
public class WorkflowStateException(string message) : Exception(message);

/// <summary>
/// A run went through <see cref="WorkflowRunner.MaxActivitiesPerStep"/> activities without waiting: the definition loops.
/// The runner has noted it; run the step again from an empty unit of work and the instance faults where the loop's run
/// began, with this message (the caller that cannot do so answers it as any <see cref="WorkflowStateException"/>).
/// </summary>
public sealed class WorkflowRunawayException(string message) : WorkflowStateException(message);
