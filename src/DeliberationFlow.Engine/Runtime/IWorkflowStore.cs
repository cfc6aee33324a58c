namespace DeliberationFlow.Engine.Runtime;

/// <summary>
/// Where the engine puts what a step produced. Implementations stage the changes in the caller's
/// unit of work; the caller commits them in one transaction with its own records.
/// </summary>
public interface IWorkflowStore
{
    void AddInstance(WorkflowInstance instance);
    void AddBookmark(Bookmark bookmark);
    void RemoveBookmark(Bookmark bookmark);
    void AddTimer(WorkflowTimer timer);
    void AddJournalEntry(JournalEntry entry);
}
