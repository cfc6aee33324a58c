using System.Text.Json;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;

namespace DeliberationFlow.Council.Workflows;

/// <summary>Chooses the workflow a new paper runs: the one named in the request, or the one serving its paper type.</summary>
public sealed class WorkflowSelection(IWorkflowDefinitionProvider definitions)
{
    public const string PaperTypesProperty = "paperTypes";

    public WorkflowDefinition? Find(string? definitionId, string paperType) =>
        definitionId is { Length: > 0 }
            ? definitions.FindLatestPublished(definitionId)
            : definitions.All
                .Where(d => d.State == DefinitionState.Published && ServesPaperType(d, paperType))
                .OrderBy(d => d.DefinitionId, StringComparer.Ordinal)
                .ThenByDescending(d => d.Version)
                .FirstOrDefault();

    public IEnumerable<string> Describe() =>
        definitions.All.Where(d => d.State == DefinitionState.Published)
            .GroupBy(d => d.DefinitionId)
            .Select(g => g.MaxBy(d => d.Version)!)
            .Select(d => $"{d.DefinitionId} ({string.Join(", ", PaperTypes(d))})");

    private static bool ServesPaperType(WorkflowDefinition definition, string paperType) =>
        PaperTypes(definition).Contains(paperType, StringComparer.OrdinalIgnoreCase);

    private static IEnumerable<string> PaperTypes(WorkflowDefinition definition) =>
        definition.Properties.TryGetValue(PaperTypesProperty, out var types) && types.ValueKind == JsonValueKind.Array
            ? types.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!)
            : [];
}
