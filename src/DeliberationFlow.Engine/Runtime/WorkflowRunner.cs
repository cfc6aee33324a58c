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
    private const int MaxActivitiesPerStep = 1_000;

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
        var result = await activity.ResumeAsync(context, bookmark, stimulus, cancellationToken);
        await ContinueAsync(definition, instance, activityDefinition, result, stimulus.Actor, now, timers, cancellationToken);
        return new RunResult(instance, timers);
    }

    private async Task RunFromAsync(
        WorkflowDefinition definition,
        WorkflowInstance instance,
        ActivityDefinition activityDefinition,
        string actor,
        DateTimeOffset now,
        List<WorkflowTimer> timers,
        CancellationToken cancellationToken)
    {
        instance.Revision++;
        instance.UpdatedAt = now;
        var activity = Resolve(activityDefinition);
        instance.CurrentActivityId = activityDefinition.Id;
        var context = new ActivityExecutionContext(instance, definition, activityDefinition, actor, now, store, timers);
        context.Journal(JournalEventKind.ActivityExecuted, $"{activityDefinition.DisplayName ?? activityDefinition.Id} gestartet.");
        var result = await activity.ExecuteAsync(context, cancellationToken);
        await ContinueAsync(definition, instance, activityDefinition, result, actor, now, timers, cancellationToken);
    }

    private async Task ContinueAsync(
        WorkflowDefinition definition,
        WorkflowInstance instance,
        ActivityDefinition current,
        ActivityResult result,
        string actor,
        DateTimeOffset now,
        List<WorkflowTimer> timers,
        CancellationToken cancellationToken)
    {
        for (var steps = 0; steps < MaxActivitiesPerStep; steps++)
        {
            var context = new ActivityExecutionContext(instance, definition, current, actor, now, store, timers);
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
                instance.FinishedAt = now;
                context.Journal(JournalEventKind.InstanceFinished, "Instanz abgeschlossen.");
                return;
            }

            var outcome = result.Outcome!;
            context.Journal(JournalEventKind.ActivityCompleted,
                $"{current.DisplayName ?? current.Id} abgeschlossen mit {outcome}.", outcome);
            var connection = definition.FindConnection(current.Id, outcome)
                ?? throw new WorkflowStateException(
                    $"Activity '{current.Id}' ended with outcome '{outcome}', but workflow '{definition.DefinitionId}' v{definition.Version} has no connection for it.");

            current = definition.GetActivity(connection.Target);
            instance.CurrentActivityId = current.Id;
            var next = new ActivityExecutionContext(instance, definition, current, actor, now, store, timers);
            next.Journal(JournalEventKind.ActivityExecuted, $"{current.DisplayName ?? current.Id} gestartet.");
            result = await Resolve(current).ExecuteAsync(next, cancellationToken);
        }

        throw new WorkflowStateException(
            $"Workflow '{definition.DefinitionId}' ran {MaxActivitiesPerStep} activities without waiting; it loops with no way out.");
    }

    private IActivity Resolve(ActivityDefinition activity) =>
        activities.Find(activity.Type)
        ?? throw new WorkflowStateException($"Activity type '{activity.Type}' of activity '{activity.Id}' is not registered.");
}

/// <summary>The instance after a step, and the timers the step created (to be scheduled after commit).</summary>
public sealed record RunResult(WorkflowInstance Instance, IReadOnlyList<WorkflowTimer> Timers);

/// <summary>A stimulus or step that does not fit the instance's current state.</summary>
public sealed class WorkflowStateException(string message) : Exception(message);
