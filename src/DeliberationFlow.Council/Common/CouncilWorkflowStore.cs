using DeliberationFlow.Engine.Runtime;

namespace DeliberationFlow.Council.Common;

/// <summary>Stages the engine's rows in the council's unit of work, so they commit with the step.</summary>
public sealed class CouncilWorkflowStore(ICouncilDb db) : IWorkflowStore
{
    public void AddInstance(WorkflowInstance instance) => db.WorkflowInstances.Add(instance);

    public void AddBookmark(Bookmark bookmark) => db.Bookmarks.Add(bookmark);

    public void RemoveBookmark(Bookmark bookmark) => db.Bookmarks.Remove(bookmark);

    public void AddTimer(WorkflowTimer timer) => db.Timers.Add(timer);

    public void AddJournalEntry(JournalEntry entry) => db.Journal.Add(entry);
}
