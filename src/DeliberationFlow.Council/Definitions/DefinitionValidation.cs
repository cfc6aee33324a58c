using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Definitions;

/// <summary>Reads and checks a definition document for one body, reporting every problem with its JSON path.</summary>
public sealed class DefinitionValidation(ICouncilDb db, IActivityRegistry activities)
{
    public async Task<WorkflowDefinition> ValidateAsync(Guid bodyId, string document, CancellationToken cancellationToken)
    {
        var read = WorkflowDefinitionReader.Read(document);
        var problems = read.Problems;
        if (read.Definition is not null)
        {
            var committees = await db.Organizations.Where(o => o.BodyId == bodyId && o.Kind == OrganizationKind.Committee)
                .Select(o => o.Key).ToListAsync(cancellationToken);
            var context = new DefinitionValidationContext(new Dictionary<string, IReadOnlySet<string>>
            {
                [CouncilReferences.Committees] = committees.ToHashSet(StringComparer.Ordinal),
            });
            problems = new WorkflowDefinitionValidator(activities).Validate(read.Definition, context);
        }

        if (problems.Count > 0)
        {
            throw new RequestValidationException(problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()));
        }

        return read.Definition!;
    }
}
