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
            .Select(d => PaperTypes(d).ToList() is { Count: > 0 } types
                // A workflow serving no paper type is only chosen by name, so the list says how.
                ? $"{d.DefinitionId} ({string.Join(", ", types)})"
                : $"{d.DefinitionId} (only by name: \"workflow\": \"{d.DefinitionId}\")");

    private static bool ServesPaperType(WorkflowDefinition definition, string paperType) =>
        PaperTypes(definition).Contains(paperType, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// What is wrong with the definition's <c>paperTypes</c>: anything but a list of texts would make the workflow serve no
    /// paper type without a word, and a paper registered without naming a workflow would not find it.
    /// </summary>
    public static IEnumerable<DefinitionProblem> PaperTypesProblems(WorkflowDefinition definition)
    {
        const string path = "$.properties." + PaperTypesProperty;
        if (!definition.Properties.TryGetValue(PaperTypesProperty, out var types) || types.ValueKind == JsonValueKind.Null)
        {
            yield break;
        }

        if (types.ValueKind != JsonValueKind.Array)
        {
            yield return new(path, "Give the paper types this workflow serves as a list of texts, e.g. [\"Beschlussvorlage\"].");
            yield break;
        }

        var index = 0;
        foreach (var type in types.EnumerateArray())
        {
            if (type.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(type.TryGetString()))
            {
                yield return new($"{path}[{index}]", type.ValueKind == JsonValueKind.String && type.TryGetString() is null
                    ? "This paper type contains a broken escape (an unpaired surrogate such as \\ud800); correct it."
                    : "Give a paper type as a non-empty text, e.g. \"Mitteilung\".");
            }

            index++;
        }
    }

    /// <summary>The paper types a workflow serves when a registration names no workflow (its <c>paperTypes</c> property).</summary>
    public static IEnumerable<string> PaperTypes(WorkflowDefinition definition) =>
        definition.Properties.TryGetValue(PaperTypesProperty, out var types) && types.ValueKind == JsonValueKind.Array
            ? types.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.TryGetString()).OfType<string>()
            : [];
}
