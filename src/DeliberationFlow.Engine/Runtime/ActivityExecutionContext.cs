using DeliberationFlow.Engine.Definitions;

namespace DeliberationFlow.Engine.Runtime;

/// <summary>What an activity sees while it runs: its instance, its definition, the clock, and ways to wait.</summary>
public sealed class ActivityExecutionContext
{
    private readonly IWorkflowStore _store;
    private readonly List<WorkflowTimer> _timers;

    internal ActivityExecutionContext(
        WorkflowInstance instance,
        WorkflowDefinition definition,
        ActivityDefinition activity,
        string actor,
        DateTimeOffset now,
        IWorkflowStore store,
        List<WorkflowTimer> timers)
    {
        Instance = instance;
        Definition = definition;
        Activity = activity;
        Actor = actor;
        Now = now;
        _store = store;
        _timers = timers;
    }

    public WorkflowInstance Instance { get; }
    public WorkflowDefinition Definition { get; }
    public ActivityDefinition Activity { get; }
    public string Actor { get; }
    public DateTimeOffset Now { get; }

    public Bookmark CreateBookmark(string name, string key, string? payload = null)
    {
        var bookmark = new Bookmark
        {
            Id = Guid.CreateVersion7(Now),
            InstanceId = Instance.Id,
            ActivityId = Activity.Id,
            Name = name,
            Key = key,
            Payload = payload,
            CreatedAt = Now,
        };
        _store.AddBookmark(bookmark);
        Journal(JournalEventKind.BookmarkCreated, $"Wartet auf {name} ({key}).");
        return bookmark;
    }

    public WorkflowTimer CreateTimer(string kind, string key, DateTimeOffset dueAt)
    {
        var timer = new WorkflowTimer
        {
            Id = Guid.CreateVersion7(Now),
            InstanceId = Instance.Id,
            ActivityId = Activity.Id,
            Kind = kind,
            Key = key,
            DueAt = dueAt,
            CreatedAt = Now,
        };
        _store.AddTimer(timer);
        _timers.Add(timer);
        Journal(JournalEventKind.TimerScheduled, $"Zeitgeber {kind} fällig am {dueAt:O}.");
        return timer;
    }

    /// <summary>
    /// Writes a line to the instance's journal. An activity that records its own completion (in its own words, e.g.
    /// the committee, meeting and result of a consultation) is not given a second, generic line for it by the runner.
    /// </summary>
    public void Journal(JournalEventKind kind, string message, string? outcome = null)
    {
        _store.AddJournalEntry(WorkflowJournal.Entry(Instance, kind, Now, Actor, message, Activity, outcome));
        if (kind == JournalEventKind.ActivityCompleted)
        {
            CompletedWith = outcome;
        }
    }

    /// <summary>The outcome this activity journaled its own completion with in this step, if it did.</summary>
    internal string? CompletedWith { get; private set; }

    /// <summary>The context of the next activity of the same step.</summary>
    internal ActivityExecutionContext For(ActivityDefinition activity) => new(Instance, Definition, activity, Actor, Now, _store, _timers);
}
