using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;

namespace DeliberationFlow.Council.Workflows;

/// <summary>
/// A council activity whose waiting depends on its properties: what it planned when it ran (a committee, a role, the
/// outcomes it takes) lives on in its bookmarks and records. A migration moves only the instance's pointer, so the
/// activity of the same id in the newer version must go on with that waiting exactly as it was planned; this says
/// why it would not. Waiting activities whose bookmark depends on none of their properties need not implement it.
/// </summary>
public interface IContinuableActivity
{
    /// <summary>
    /// Why <paramref name="after"/> (of <paramref name="to"/>) cannot go on with <paramref name="bookmark"/> that
    /// <paramref name="before"/> (of <paramref name="from"/>) left; null when it can. Both have the same id and type.
    /// </summary>
    string? WhyNotContinuedBy(WorkflowDefinition from, ActivityDefinition before, WorkflowDefinition to, ActivityDefinition after, Bookmark bookmark);
}
