using DeliberationFlow.Engine.Definitions;

namespace DeliberationFlow.Engine.Runtime;

public static class WorkflowJournal
{
    /// <summary>Creates a journal entry of an instance; the store numbers it.</summary>
    public static JournalEntry Entry(
        WorkflowInstance instance,
        JournalEventKind kind,
        DateTimeOffset at,
        string actor,
        string message,
        ActivityDefinition? activity = null,
        string? outcome = null) => new()
    {
        InstanceId = instance.Id,
        Timestamp = at,
        Kind = kind,
        ActivityId = activity?.Id,
        ActivityType = activity?.Type,
        Outcome = outcome,
        Actor = actor,
        Message = message,
    };
}
