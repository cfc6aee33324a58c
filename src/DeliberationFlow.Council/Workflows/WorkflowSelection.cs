using System.Text.Json;
using DeliberationFlow.Engine.Definitions;

namespace DeliberationFlow.Council.Workflows;

/// <summary>Chooses the workflow a new paper runs: the one named in the request, or the one serving its paper type.</summary>
public sealed class WorkflowSelection(IWorkflowDefinitionStore definitions)
{
    public const string PaperTypesProperty = "paperTypes";

    public async Task<WorkflowDefinition?> FindAsync(Guid bodyId, string? definitionId, string paperType, CancellationToken cancellationToken) =>
        definitionId is { Length: > 0 }
            ? await definitions.FindLatestPublishedAsync(bodyId, definitionId, cancellationToken)
            : (await definitions.ListPublishedAsync(bodyId, cancellationToken))
                .Where(d => ServesPaperType(d, paperType))
                .OrderBy(d => d.DefinitionId, StringComparer.Ordinal)
                .FirstOrDefault();

    public async Task<IEnumerable<string>> DescribeAsync(Guid bodyId, CancellationToken cancellationToken) =>
        (await definitions.ListPublishedAsync(bodyId, cancellationToken))
            .OrderBy(d => d.DefinitionId, StringComparer.Ordinal)
            .Select(d => $"{d.DefinitionId} ({string.Join(", ", PaperTypes(d))})");

    private static bool ServesPaperType(WorkflowDefinition definition, string paperType) =>
        PaperTypes(definition).Contains(paperType, StringComparer.OrdinalIgnoreCase);

    /// <summary>The paper types a workflow serves when a registration names no workflow (its <c>paperTypes</c> property).</summary>
    public static IEnumerable<string> PaperTypes(WorkflowDefinition definition) =>
        definition.Properties.TryGetValue(PaperTypesProperty, out var types) && types.ValueKind == JsonValueKind.Array
            ? types.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!)
            : [];
}
