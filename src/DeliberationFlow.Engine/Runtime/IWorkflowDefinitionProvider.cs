using DeliberationFlow.Engine.Definitions;

namespace DeliberationFlow.Engine.Runtime;

public interface IWorkflowDefinitionProvider
{
    IReadOnlyCollection<WorkflowDefinition> All { get; }

    /// <summary>The exact version an instance is pinned to.</summary>
    WorkflowDefinition? Find(string definitionId, int version);

    /// <summary>The newest published version, for starting new instances.</summary>
    WorkflowDefinition? FindLatestPublished(string definitionId);
}
