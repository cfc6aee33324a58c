using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Engine.Definitions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Definitions;

/// <summary>
/// Publishes a draft (checked once more against the body as it is now), retracts a published version (new
/// papers no longer start on it; running instances carry on), or reverts to an earlier version by copying it
/// into a new draft.
/// </summary>
public sealed class ChangeDefinitionState(ICouncilDb db, DefinitionValidation validation, TimeProvider clock, ILogger<ChangeDefinitionState> logger)
{
    public async Task<DefinitionVersionView> PublishAsync(Caller caller, string definitionId, int version, CancellationToken cancellationToken)
    {
        DefinitionAccess.Check(caller);
        return await db.InTransactionAsync(logger, $"Publishing '{definitionId}' v{version}", async cancellationToken =>
        {
            // Taken before the state is read: a second publication, a retraction or a save of the draft waits and then
            // sees this one, instead of publishing the version twice or writing into the version just published.
            var row = await TakeAsync(caller, definitionId, version, cancellationToken);
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
        }, cancellationToken);
    }

    public async Task<DefinitionVersionView> RetractAsync(Caller caller, string definitionId, int version, CancellationToken cancellationToken)
    {
        DefinitionAccess.Check(caller);
        return await db.InTransactionAsync(logger, $"Retracting '{definitionId}' v{version}", async cancellationToken =>
        {
            var row = await TakeAsync(caller, definitionId, version, cancellationToken);
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
        }, cancellationToken);
    }

    public async Task<DefinitionVersionView> RevertAsync(Caller caller, string definitionId, int version, SaveDraft saveDraft, CancellationToken cancellationToken)
    {
        var row = await LoadAsync(caller, definitionId, version, cancellationToken);
        return await saveDraft.SaveAsync(caller, definitionId, row.Document, copiedFrom: version, cancellationToken);
    }

    /// <summary>
    /// Takes the row of the definition's first version until the transaction ends, so that publishing, retracting and
    /// saving the draft of one definition happen one after the other, each seeing the state the one before left. One
    /// row, not every version's: an update of several rows locks them in the order it finds them, which changes as rows
    /// are rewritten, and two such updates taking the same rows in crossed orders deadlocked (three in a row: a 503).
    /// A definition with no version yet has nothing to take; two first saves meet at the unique version instead.
    /// </summary>
    internal static Task TakeDefinitionAsync(ICouncilDb db, Guid bodyId, string definitionId, CancellationToken cancellationToken) =>
        db.WorkflowDefinitions
            .Where(d => d.TenantId == bodyId && d.DefinitionId == definitionId
                        && d.Version == db.WorkflowDefinitions.Where(f => f.TenantId == bodyId && f.DefinitionId == definitionId).Min(f => f.Version))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Name, d => d.Name), cancellationToken);

    private async Task<StoredWorkflowDefinition> TakeAsync(Caller caller, string definitionId, int version, CancellationToken cancellationToken)
    {
        await TakeDefinitionAsync(db, caller.BodyId, definitionId, cancellationToken);
        return await LoadAsync(caller, definitionId, version, cancellationToken);
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
