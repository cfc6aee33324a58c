using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Definitions;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Papers;

/// <summary>An administrative office that can lead or take part in a paper (Federführung, Beteiligung).</summary>
public sealed record OfficeChoice(string Key, string Name);

/// <summary>A published workflow a paper can be registered into, with the paper types it serves by default.</summary>
public sealed record WorkflowChoice(string DefinitionId, string Name, int Version, IReadOnlyList<string> PaperTypes);

/// <summary>What registering a paper in the caller's body can name: its offices, the paper types served by a workflow, the workflows.</summary>
public sealed record RegistrationChoices(IReadOnlyList<OfficeChoice> Offices, IReadOnlyList<string> PaperTypes, IReadOnlyList<WorkflowChoice> Workflows);

/// <summary>The choices of the registration form, from the same data <see cref="RegisterPaper"/> checks against.</summary>
public sealed class GetRegistrationChoices(ICouncilDb db, IWorkflowDefinitionStore definitions)
{
    public async Task<RegistrationChoices> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (!caller.MayRegisterPapers)
        {
            throw new ForbiddenException("Only admins and committee secretaries register papers.");
        }

        var offices = await db.Organizations.AsNoTracking()
            .Where(o => o.BodyId == caller.BodyId && o.Kind == OrganizationKind.AdministrativeOffice)
            .OrderBy(o => o.Key)
            .Select(o => new OfficeChoice(o.Key, o.Name))
            .ToListAsync(cancellationToken);
        var workflows = (await definitions.ListPublishedAsync(caller.BodyId, cancellationToken))
            .OrderBy(d => d.DefinitionId, StringComparer.Ordinal)
            .Select(d => new WorkflowChoice(d.DefinitionId, d.Name, d.Version, WorkflowSelection.PaperTypes(d).ToList()))
            .ToList();
        var paperTypes = workflows.SelectMany(w => w.PaperTypes).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        return new RegistrationChoices(offices, paperTypes, workflows);
    }
}
