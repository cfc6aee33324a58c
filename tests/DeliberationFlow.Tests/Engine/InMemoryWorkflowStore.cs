using DeliberationFlow.Engine.Runtime;

namespace DeliberationFlow.Tests.Engine;

/// <summary>The engine's store port kept in lists, for testing the interpreter on its own.</summary>
internal sealed class InMemoryWorkflowStore : IWorkflowStore
{
    private long _sequence;

    public List<WorkflowInstance> Instances { get; } = [];
    public List<Bookmark> Bookmarks { get; } = [];
    public List<WorkflowTimer> Timers { get; } = [];
    public List<JournalEntry> Journal { get; } = [];

    public void AddInstance(WorkflowInstance instance) => Instances.Add(instance);

    public void AddBookmark(Bookmark bookmark) => Bookmarks.Add(bookmark);

    public void RemoveBookmark(Bookmark bookmark) => Bookmarks.Remove(bookmark);

    public void AddTimer(WorkflowTimer timer) => Timers.Add(timer);

    public void AddJournalEntry(JournalEntry entry) => Journal.Add(new JournalEntry
    {
        Sequence = ++_sequence,
        InstanceId = entry.InstanceId,
        Timestamp = entry.Timestamp,
        Kind = entry.Kind,
        ActivityId = entry.ActivityId,
        ActivityType = entry.ActivityType,
        Outcome = entry.Outcome,
        Actor = entry.Actor,
        Message = entry.Message,
    });
}
