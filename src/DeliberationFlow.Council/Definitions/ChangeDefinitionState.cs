using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Engine.Definitions;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Definitions;

/// <summary>
/// Publishes a draft (checked once more against the body as it is now), retracts a published version (new
/// papers no longer start on it; running instances carry on), or reverts to an earlier version by copying it
/// into a new draft.
/// </summary>
public sealed class ChangeDefinitionState(ICouncilDb db, DefinitionValidation validation, TimeProvider clock)
{
    public async Task<DefinitionVersionView> PublishAsync(Caller caller, string definitionId, int version, CancellationToken cancellationToken)
    {
        var row = await LoadAsync(caller, definitionId, version, cancellationToken);
        if (row.State != DefinitionState.Draft)
        {
            throw new ConflictException($"'{definitionId}' v{version} is {row.State}; only a draft is published.");
        }

        await validation.ValidateAsync(caller.BodyId, row.Document, cancellationToken);
        row.State = DefinitionState.Published;
        row.PublishedAt = clock.GetUtcNow();
        row.Document = Restate(row.Document, DefinitionState.Published);
        // Who published is nowhere else: the version keeps only who created its draft.
        db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Workflow, definitionId,
            $"Version {version} („{row.Name}“) veröffentlicht: neue Vorlagen starten darauf.", row.PublishedAt.Value));
        await db.SaveChangesAsync(cancellationToken);
        return ListDefinitions.View(row);
    }

    public async Task<DefinitionVersionView> RetractAsync(Caller caller, string definitionId, int version, CancellationToken cancellationToken)
    {
        var row = await LoadAsync(caller, definitionId, version, cancellationToken);
        if (row.State != DefinitionState.Published)
        {
            throw new ConflictException($"'{definitionId}' v{version} is {row.State}; only a published version is retracted.");
        }

        row.State = DefinitionState.Retracted;
        row.RetractedAt = clock.GetUtcNow();
        db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Workflow, definitionId,
            $"Version {version} („{row.Name}“) zurückgezogen: neue Vorlagen starten nicht mehr darauf, laufende Vorgänge laufen weiter.", row.RetractedAt.Value));
        await db.SaveChangesAsync(cancellationToken);
        return ListDefinitions.View(row);
    }

    public async Task<DefinitionVersionView> RevertAsync(Caller caller, string definitionId, int version, SaveDraft saveDraft, CancellationToken cancellationToken)
    {
        var row = await LoadAsync(caller, definitionId, version, cancellationToken);
        return await saveDraft.SaveAsync(caller, definitionId, row.Document, copiedFrom: version, cancellationToken);
    }

    private async Task<StoredWorkflowDefinition> LoadAsync(Caller caller, string definitionId, int version, CancellationToken cancellationToken)
    {
        DefinitionAccess.Check(caller);
        return await db.WorkflowDefinitions.SingleOrDefaultAsync(d => d.TenantId == caller.BodyId && d.DefinitionId == definitionId && d.Version == version, cancellationToken)
               ?? throw new NotFoundException($"No workflow '{definitionId}' v{version}.");
    }

    private static string Restate(string document, DefinitionState state) =>
        DefinitionDocument.Write(WorkflowDefinitionReader.Read(document).Definition! with { State = state });
}
