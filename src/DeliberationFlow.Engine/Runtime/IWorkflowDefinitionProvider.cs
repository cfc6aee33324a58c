using DeliberationFlow.Engine.Definitions;

namespace DeliberationFlow.Engine.Runtime;

/// <summary>
/// The shipped definitions (templates). Instances never run from here: each body gets its own stored copy of every
/// version, and the engine reads the version an instance is pinned to from <see cref="IWorkflowDefinitionStore"/>.
/// </summary>
public interface IWorkflowDefinitionProvider
{
    IReadOnlyCollection<WorkflowDefinition> All { get; }
}
