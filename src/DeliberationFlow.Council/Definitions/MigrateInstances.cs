using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Definitions;

public sealed record MigrateInstancesRequest(int? ToVersion, bool DryRun = true);

public sealed record InstanceMigrationView(Guid InstanceId, string PaperReference, int FromVersion, string? CurrentActivityId, bool Migratable, string Result);

public sealed record MigrationReport(string DefinitionId, int ToVersion, bool DryRun, int Migrated, int Refused, IReadOnlyList<InstanceMigrationView> Instances);

/// <summary>
/// Moves running instances of a definition onto a newer published version. Only the pointer moves: an instance
/// stands in the new version at the activity of the same id and type it waits at, and nothing it finished is run
/// again. An instance whose waiting activity has no such counterpart is refused. The dry run reports, per
/// instance, where it would stand, and changes nothing.
/// </summary>
public sealed class MigrateInstances(ICouncilDb db, IWorkflowDefinitionStore definitions, TimeProvider clock, ILogger<MigrateInstances> logger)
{
    public async Task<MigrationReport> HandleAsync(Caller caller, string definitionId, MigrateInstancesRequest request, CancellationToken cancellationToken)
    {
        DefinitionAccess.Check(caller);
        if (request.ToVersion is not { } toVersion)
        {
            throw RequestValidationException.For("toVersion", "Name the version to migrate to.");
        }

        var target = await definitions.FindAsync(caller.BodyId, definitionId, toVersion, cancellationToken);
        if (target is null || target.State != DefinitionState.Published)
        {
            throw RequestValidationException.For("toVersion", $"'{definitionId}' v{toVersion} is not a published version; migrate only to a published one.");
        }

        // A dry run changes nothing, so its transaction commits nothing; a migration that deadlocks with a step of one
        // of its instances is run again and then sees that step.
        var results = await db.InTransactionAsync(logger, $"Migrating the instances of '{definitionId}' to v{toVersion}", async cancellationToken =>
        {
            var instances = await db.WorkflowInstances
                .Where(i => i.TenantId == caller.BodyId && i.DefinitionId == definitionId && i.DefinitionVersion != toVersion
                            && (i.Status == WorkflowStatus.Suspended || i.Status == WorkflowStatus.Faulted))
                .OrderBy(i => i.CreatedAt)
                .ToListAsync(cancellationToken);
            var instanceIds = instances.Select(i => (Guid?)i.Id).ToList();
            var references = await db.Papers.Where(p => instanceIds.Contains(p.WorkflowInstanceId)).ToDictionaryAsync(p => p.WorkflowInstanceId!.Value, p => p.Reference, cancellationToken);
            var bookmarks = (await db.Bookmarks.Where(b => instanceIds.Contains(b.InstanceId)).ToListAsync(cancellationToken)).ToLookup(b => b.InstanceId);

            var now = clock.GetUtcNow();
            var results = new List<InstanceMigrationView>();
            foreach (var instance in instances)
            {
                var source = await definitions.FindAsync(caller.BodyId, definitionId, instance.DefinitionVersion, cancellationToken);
                var waitingAt = bookmarks[instance.Id].Select(b => b.ActivityId).Append(instance.CurrentActivityId!).Distinct().ToList();
                var missing = waitingAt.Where(id => !HasCounterpart(source, target, id)).ToList();
                var reference = references.GetValueOrDefault(instance.Id, "?");
                if (missing.Count > 0)
                {
                    results.Add(new(instance.Id, reference, instance.DefinitionVersion, instance.CurrentActivityId, false,
                        $"Refused: v{toVersion} has no activity '{string.Join("', '", missing)}' of the same type."));
                    continue;
                }

                var from = instance.DefinitionVersion;
                results.Add(new(instance.Id, reference, from, instance.CurrentActivityId, true,
                    $"{(request.DryRun ? "Would stand" : "Stands")} at '{instance.CurrentActivityId}' in v{toVersion}."));
                if (!request.DryRun)
                {
                    instance.DefinitionVersion = toVersion;
                    instance.Revision++;
                    instance.UpdatedAt = now;
                    db.Journal.Add(WorkflowJournal.Entry(instance, JournalEventKind.InstanceMigrated, now, caller.UserName,
                        $"Von Version {from} auf Version {toVersion} umgestellt; steht bei '{instance.CurrentActivityId}'."));
                }
            }

            if (!request.DryRun)
            {
                var moved = results.Where(r => r.Migratable).Select(r => r.PaperReference).ToList();
                db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Workflow, definitionId,
                    $"Laufende Vorgänge auf Version {toVersion} umgestellt: {moved.Count}{Listed(moved)}; abgelehnt: {results.Count - moved.Count}.", now));
                await db.SaveChangesAsync(cancellationToken);
            }

            return results;
        }, cancellationToken);

        return new MigrationReport(definitionId, toVersion, request.DryRun, results.Count(r => r.Migratable), results.Count(r => !r.Migratable), results);
    }

    // The record names the papers moved, up to a screenful; each paper's journal has its own line.
    private static string Listed(List<string> references) => references.Count switch
    {
        0 => "",
        <= 20 => $" ({string.Join(", ", references)})",
        _ => $" ({string.Join(", ", references.Take(20))} und {references.Count - 20} weitere)",
    };

    private static bool HasCounterpart(WorkflowDefinition? source, WorkflowDefinition target, string activityId)
    {
        var before = source?.Activities.FirstOrDefault(a => a.Id == activityId);
        var after = target.Activities.FirstOrDefault(a => a.Id == activityId);
        return before is not null && after is not null && before.Type == after.Type;
    }
}
