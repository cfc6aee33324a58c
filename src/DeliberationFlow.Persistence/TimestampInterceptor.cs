using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DeliberationFlow.Persistence;

/// <summary>
/// Keeps <c>Created</c> and <c>Modified</c> true on every council record that has them, in one place: OParl clients
/// synchronise on <c>modified</c>, so it must change with every change (OParl 1.1, 3.1). A new row without a time gets
/// the clock's; a changed row keeps the time its use case set (which may run on a historic or test clock) or gets the
/// clock's, and in either case moves at least one second past the stored value, so the change shows even in the
/// seconds-precise form OParl prints.
/// </summary>
/// <remarks>
/// Finding the changed rows means comparing every tracked entity with its snapshot, and SaveChanges compares them all
/// again right after this interceptor. Nothing changes in between (the stamps are set through the tracker), so the
/// interceptor compares once and switches the second comparison off for this save, restoring it when the save ends
/// whichever way: the comparison boxes every property value and was a large share of a step's CPU and allocations.
/// </remarks>
public sealed class TimestampInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    private const string CreatedProperty = "Created";
    private const string ModifiedProperty = "Modified";

    // The contexts whose save runs with the second comparison switched off by this interceptor.
    private readonly ConditionalWeakTable<DbContext, object> _detected = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Stamp(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Restore(eventData.Context);
        return base.SavedChanges(eventData, result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Restore(eventData.Context);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        Restore(eventData.Context);
        base.SaveChangesFailed(eventData);
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Restore(eventData.Context);
        return base.SaveChangesFailedAsync(eventData, cancellationToken);
    }

    // EF Core reports a lost race (an update that found its row changed) here, not as a failed save: the search must be
    // handed back as well, or a unit of work that resolves the conflict and saves again would save nothing it assigned.
    public override InterceptionResult ThrowingConcurrencyException(ConcurrencyExceptionEventData eventData, InterceptionResult result)
    {
        Restore(eventData.Context);
        return base.ThrowingConcurrencyException(eventData, result);
    }

    public override ValueTask<InterceptionResult> ThrowingConcurrencyExceptionAsync(ConcurrencyExceptionEventData eventData, InterceptionResult result,
        CancellationToken cancellationToken = default)
    {
        Restore(eventData.Context);
        return base.ThrowingConcurrencyExceptionAsync(eventData, result, cancellationToken);
    }

    public override void SaveChangesCanceled(DbContextEventData eventData)
    {
        Restore(eventData.Context);
        base.SaveChangesCanceled(eventData);
    }

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Restore(eventData.Context);
        return base.SaveChangesCanceledAsync(eventData, cancellationToken);
    }

    private void Restore(DbContext? context)
    {
        if (context is not null && _detected.Remove(context))
        {
            context.ChangeTracker.AutoDetectChangesEnabled = true;
        }
    }

    private void Stamp(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var tracker = context.ChangeTracker;
        if (!tracker.AutoDetectChangesEnabled)
        {
            // The caller decided when to compare (and did); stamp what the tracker knows.
            StampEntries(tracker);
            return;
        }

        tracker.DetectChanges();
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            StampEntries(tracker);
        }
        catch
        {
            // EF Core reports no failed save for an interceptor that throws, so the switch is restored here.
            tracker.AutoDetectChangesEnabled = true;
            throw;
        }

        _detected.AddOrUpdate(context, context);
    }

    private void StampEntries(ChangeTracker tracker)
    {
        var now = clock.GetUtcNow();
        var kept = tracker.Context is DeliberationDbContext council ? council.TakeKeptModified() : null;
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified) || Find(entry, ModifiedProperty) is not { } modified)
            {
                continue;
            }

            if (entry.State == EntityState.Added)
            {
                var created = Find(entry, CreatedProperty);
                if (created is not null && (DateTimeOffset)created.CurrentValue! == default)
                {
                    created.CurrentValue = now;
                }

                if ((DateTimeOffset)modified.CurrentValue! == default)
                {
                    modified.CurrentValue = created?.CurrentValue ?? now;
                }

                continue;
            }

            var stored = (DateTimeOffset)modified.OriginalValue!;
            if (kept is not null && kept.Contains(entry.Entity))
            {
                // A change served nowhere (ICouncilDb.KeepModified): the row is written, its stamp stays.
                modified.CurrentValue = stored;
                modified.IsModified = false;
                continue;
            }

            var value = modified.IsModified ? (DateTimeOffset)modified.CurrentValue! : now;
            modified.CurrentValue = value < stored.AddSeconds(1) ? stored.AddSeconds(1) : value;
        }
    }

    private static PropertyEntry? Find(EntityEntry entry, string name) =>
        entry.Metadata.FindProperty(name) is { ClrType: var type } && type == typeof(DateTimeOffset) ? entry.Property(name) : null;
}
