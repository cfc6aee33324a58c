using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Engine.Definitions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Definitions;

/// <summary>
/// Saves a definition document as the draft of its next version (replacing an existing draft). It is checked
/// first, and every problem is reported with its JSON path; a rejected draft changes nothing. The version
/// number is the service's to give: drafts never touch a version that instances may be running on.
/// </summary>
public sealed class SaveDraft(ICouncilDb db, DefinitionValidation validation, TimeProvider clock, ILogger<SaveDraft> logger)
{
    public Task<DefinitionVersionView> HandleAsync(Caller caller, string definitionId, string document, CancellationToken cancellationToken) =>
        SaveAsync(caller, definitionId, document, copiedFrom: null, cancellationToken);

    /// <summary>Saves the draft; <paramref name="copiedFrom"/> is the earlier version a revert copies, for the audit record.</summary>
    internal async Task<DefinitionVersionView> SaveAsync(Caller caller, string definitionId, string document, int? copiedFrom, CancellationToken cancellationToken)
    {
        DefinitionAccess.Check(caller);
        // The address's id is checked with the document, so a mismatch is reported together with every other problem.
        var definition = await validation.ValidateAsync(caller.BodyId, document, cancellationToken, savedAs: definitionId);

        return await db.InTransactionAsync(logger, $"Saving the draft of '{definitionId}'", async cancellationToken =>
        {
            // Taken before the draft is looked up: a publication of the draft running meanwhile is seen, and this save
            // starts the next version instead of writing into the one just published (see ChangeDefinitionState).
            await ChangeDefinitionState.TakeDefinitionAsync(db, caller.BodyId, definitionId, cancellationToken);
            var versions = await db.WorkflowDefinitions.Where(d => d.TenantId == caller.BodyId && d.DefinitionId == definitionId).ToListAsync(cancellationToken);
            var draft = versions.SingleOrDefault(v => v.State == DefinitionState.Draft);
            var version = draft?.Version ?? versions.Select(v => v.Version).DefaultIfEmpty(0).Max() + 1;
            var stored = DefinitionDocument.Write(definition with { Version = version, State = DefinitionState.Draft });
            var isNew = draft is null;
            if (draft is null)
            {
                draft = new StoredWorkflowDefinition
                {
                    TenantId = caller.BodyId,
                    DefinitionId = definitionId,
                    Version = version,
                    Name = definition.Name,
                    State = DefinitionState.Draft,
                    Document = stored,
                    CreatedAt = clock.GetUtcNow(),
                    CreatedBy = caller.UserName,
                };
                db.WorkflowDefinitions.Add(draft);
            }
            else
            {
                draft.Name = definition.Name;
                draft.Document = stored;
            }

            var what = (copiedFrom, isNew) switch
            {
                ({ } from, true) => $"Entwurf Version {version} aus Version {from} angelegt („{definition.Name}“).",
                ({ } from, false) => $"Entwurf Version {version} durch Version {from} ersetzt („{definition.Name}“).",
                (null, true) => $"Entwurf Version {version} angelegt („{definition.Name}“).",
                (null, false) => $"Entwurf Version {version} gespeichert („{definition.Name}“).",
            };
            db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Workflow, definitionId, what, clock.GetUtcNow()));

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
            {
                throw new ConflictException($"Another draft of '{definitionId}' was saved at the same moment; reload and try again.");
            }

            return ListDefinitions.View(draft);
        }, cancellationToken);
    }
}
