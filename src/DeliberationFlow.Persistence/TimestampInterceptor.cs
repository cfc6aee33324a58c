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
public sealed class TimestampInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    private const string CreatedProperty = "Created";
    private const string ModifiedProperty = "Modified";

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

    private void Stamp(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var entry in context.ChangeTracker.Entries())
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
            var value = modified.IsModified ? (DateTimeOffset)modified.CurrentValue! : now;
            modified.CurrentValue = value < stored.AddSeconds(1) ? stored.AddSeconds(1) : value;
        }
    }

    private static PropertyEntry? Find(EntityEntry entry, string name) =>
        entry.Metadata.FindProperty(name) is { ClrType: var type } && type == typeof(DateTimeOffset) ? entry.Property(name) : null;
}
