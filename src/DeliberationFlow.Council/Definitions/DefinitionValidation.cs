using System.Text.Json;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Definitions;

/// <summary>
/// Reads and checks a definition document for one body, reporting every problem with its JSON path: the values of the
/// wrong kind and the checks of meaning on the rest in one answer, so fixing a type error brings no new list.
/// </summary>
public sealed class DefinitionValidation(ICouncilDb db, IActivityRegistry activities)
{
    /// <param name="savedAs">The id the document is saved under (the address's), checked and compared with the document's; null when publishing.</param>
    public async Task<WorkflowDefinition> ValidateAsync(Guid bodyId, string document, CancellationToken cancellationToken, string? savedAs = null)
    {
        var read = WorkflowDefinitionReader.Read(document);
        IReadOnlyList<DefinitionProblem> problems = read.Problems;
        if (read.Partial is not null)
        {
            var committees = await db.Organizations.Where(o => o.BodyId == bodyId && o.Kind == OrganizationKind.Committee)
                .Select(o => o.Key).ToListAsync(cancellationToken);
            var context = new DefinitionValidationContext(new Dictionary<string, IReadOnlySet<string>>
            {
                [CouncilReferences.Committees] = committees.ToHashSet(StringComparer.Ordinal),
            });
            problems = WorkflowDefinitionValidator.InPathOrder(
                [.. new WorkflowDefinitionValidator(activities).Validate(read, context), .. WorkflowSelection.PaperTypesProblems(read.Partial)]);
        }

        if (savedAs is not null)
        {
            problems = [.. SavedAsProblems(savedAs, read.Definition?.DefinitionId ?? DocumentId(document)), .. problems];
        }

        if (problems.Count > 0)
        {
            throw new RequestValidationException(problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()));
        }

        return read.Definition!;
    }

    /// <summary>The address's id must be valid and the document's own; reported with the document's problems, not after them.</summary>
    private static IEnumerable<DefinitionProblem> SavedAsProblems(string savedAs, string? documentId)
    {
        // When both are the same, the validator already reports a bad id at $.definitionId.
        if (savedAs != documentId && DefinitionIds.Problem(savedAs) is { } problem)
        {
            yield return new DefinitionProblem("id", $"In the address: {problem}");
        }

        if (documentId is not null && documentId != savedAs)
        {
            yield return new DefinitionProblem("$.definitionId", $"The document is '{documentId}' but is saved as '{savedAs}'; make them the same.");
        }
    }

    /// <summary>The document's definitionId when it is a text, given once, even if the rest does not read.</summary>
    private static string? DocumentId(string document)
    {
        try
        {
            using var json = JsonDocument.Parse(document, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            // Given twice, it is reported as such by the reader; comparing one of the two with the address would be a guess.
            return json.RootElement.ValueKind == JsonValueKind.Object
                   && json.RootElement.EnumerateObject().Where(p => p.NameEquals("definitionId")).ToList() is [{ Value.ValueKind: JsonValueKind.String } id]
                ? id.Value.GetString()
                : null;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            // Unreadable JSON is reported by the reader already.
            return null;
        }
    }
}
