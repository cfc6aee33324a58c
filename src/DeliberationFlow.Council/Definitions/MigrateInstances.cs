using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Definitions;

public sealed record MigrateInstancesRequest(int? ToVersion, bool DryRun = true);

public sealed record InstanceMigrationView(Guid InstanceId, string PaperReference, int FromVersion, string? CurrentActivityId, bool Migratable, string Result);

public sealed record MigrationReport(string DefinitionId, int ToVersion, bool DryRun, int Migrated, int Refused, IReadOnlyList<InstanceMigrationView> Instances);

/// <summary>
/// Moves running instances of a definition onto a newer published version (one on a newer version than the target is
/// refused). Only the pointer moves: an instance
/// stands in the new version at the activity of the same id and type it waits at, and nothing it finished is run
/// again. Since nothing is planned anew, that activity must also go on with the waiting as it was planned (the same
/// committee, role and outcomes of a consultation, the same committees of a hearing; see
/// <see cref="IContinuableActivity"/>). An instance whose waiting activity has no such counterpart is refused, with
/// the reason. The dry run reports, per instance, where it would stand or why not, and changes nothing.
/// A run that moves at least one instance leaves a line in the Änderungsprotokoll; one that moves none changes nothing and leaves none.
/// </summary>
public sealed class MigrateInstances(
    ICouncilDb db, IWorkflowDefinitionStore definitions, IActivityRegistry activities, TimeProvider clock, ILogger<MigrateInstances> logger)
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

        try
        {
            var results = await MigrateAsync(caller, definitionId, target, toVersion, request.DryRun, cancellationToken);
            return new MigrationReport(definitionId, toVersion, request.DryRun, results.Count(r => r.Migratable), results.Count(r => !r.Migratable), results);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Each instance carries a revision: a step of one of them, or another migration, committed after it was read.
            db.ChangeTracker.Clear();
            throw new ConflictException(
                $"An instance of '{definitionId}' took a step or was migrated at the same moment; nothing was migrated. Run the dry run again and check.");
        }
    }

    private Task<List<InstanceMigrationView>> MigrateAsync(
        Caller caller, string definitionId, WorkflowDefinition target, int toVersion, bool dryRun, CancellationToken cancellationToken) =>
        // A dry run changes nothing, so its transaction commits nothing; a migration that deadlocks with a step of one
        // of its instances is run again and then sees that step.
        db.InTransactionAsync(logger, $"Migrating the instances of '{definitionId}' to v{toVersion}", async cancellationToken =>
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
                // A migration moves forward only: an instance that started on (or was moved to) a newer version than the
                // target stays there; going back is a revert of the older version, published as the newest.
                List<string> problems = instance.DefinitionVersion > toVersion
                    ? [$"it stands on v{instance.DefinitionVersion}, newer than v{toVersion}; a migration only moves forward (revert v{toVersion} into a new draft and publish it to go back)"]
                    : Problems(source, target, instance.CurrentActivityId!, bookmarks[instance.Id].ToList());
                var reference = references.GetValueOrDefault(instance.Id, "?");
                if (problems.Count > 0)
                {
                    results.Add(new(instance.Id, reference, instance.DefinitionVersion, instance.CurrentActivityId, false, $"Refused: {string.Join(". ", problems)}."));
                    continue;
                }

                var from = instance.DefinitionVersion;
                results.Add(new(instance.Id, reference, from, instance.CurrentActivityId, true,
                    $"{(dryRun ? "Would stand" : "Stands")} at '{instance.CurrentActivityId}' in v{toVersion}."));
                if (!dryRun)
                {
                    instance.DefinitionVersion = toVersion;
                    instance.Revision++;
                    instance.UpdatedAt = now;
                    db.Journal.Add(WorkflowJournal.Entry(instance, JournalEventKind.InstanceMigrated, now, caller.UserName,
                        $"Von Version {from} auf Version {toVersion} umgestellt; steht bei '{instance.CurrentActivityId}'."));
                }
            }

            // The record says what was changed, as it does for every other area: a run that moved nothing (no instance to
            // move, or each one refused) changed nothing and leaves no line, as a dry run leaves none; the answer lists the
            // refusals. A line "umgestellt: 0" read as a change that never happened.
            if (!dryRun && results.Any(r => r.Migratable))
            {
                var moved = results.Where(r => r.Migratable).Select(r => r.PaperReference).ToList();
                db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Workflow, definitionId,
                    $"Laufende Vorgänge auf Version {toVersion} umgestellt: {moved.Count}{Listed(moved)}; abgelehnt: {results.Count - moved.Count}.", now));
                await db.SaveChangesAsync(cancellationToken);
            }

            return results;
        }, cancellationToken);

    // The record names the papers moved, up to a screenful; each paper's journal has its own line.
    private static string Listed(List<string> references) => references.Count switch
    {
        0 => "",
        <= 20 => $" ({string.Join(", ", references)})",
        _ => $" ({string.Join(", ", references.Take(20))} und {references.Count - 20} weitere)",
    };

    /// <summary>
    /// Why the instance cannot stand in <paramref name="target"/>: each activity it waits at (or, faulted, stands at)
    /// needs one of the same id and type there, and one that goes on with each of its bookmarks as planned.
    /// </summary>
    private List<string> Problems(WorkflowDefinition? source, WorkflowDefinition target, string currentActivityId, List<Bookmark> waiting)
    {
        var missing = new List<string>();
        var problems = new List<string>();
        foreach (var activityId in waiting.Select(b => b.ActivityId).Append(currentActivityId).Distinct())
        {
            var before = source?.Activities.FirstOrDefault(a => a.Id == activityId);
            var after = target.Activities.FirstOrDefault(a => a.Id == activityId);
            if (before is null || after is null || before.Type != after.Type)
            {
                missing.Add(activityId);
                continue;
            }

            if (activities.Find(after.Type) is IContinuableActivity continuable)
            {
                // A hearing's bookmarks (one per committee) give the same reason each; it is told once.
                problems.AddRange(waiting.Where(b => b.ActivityId == activityId)
                    .Select(b => continuable.WhyNotContinuedBy(source!, before, target, after, b))
                    .OfType<string>().Distinct()
                    .Select(why => $"the step '{activityId}' in v{target.Version} {why}"));
            }
        }

        return missing.Count == 0 ? problems : [$"v{target.Version} has no activity '{string.Join("', '", missing)}' of the same type", .. problems];
    }
}
