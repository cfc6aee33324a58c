using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace DeliberationFlow.Council.Common;

public static class DbSetExtensions
{
    /// <summary>
    /// The entity with this key, taken from the unit of work when it is already loaded or staged (no round trip),
    /// else from the database; a missing one is a broken reference.
    /// </summary>
    public static async Task<T> GetAsync<T>(this DbSet<T> set, Guid? id, CancellationToken cancellationToken)
        where T : class =>
        id is { } key
            ? await set.FindAsync([key], cancellationToken) ?? throw new InvalidOperationException($"{typeof(T).Name} {key} does not exist.")
            : throw new InvalidOperationException($"A {typeof(T).Name} reference is empty.");

    /// <summary>
    /// The entities of this set the unit of work holds (loaded or added, not deleted). Unlike <c>DbSet.Local</c> this
    /// does not first compare every tracked entity with its snapshot: the use cases look entities up by key or by
    /// values they set themselves, which the tracker has without detection, and a step asks seven times.
    /// </summary>
    public static IReadOnlyList<T> Tracked<T>(this DbSet<T> set)
        where T : class =>
        WithoutDetection(set, static set => (IReadOnlyList<T>)[.. set.Local]);

    /// <summary>
    /// The entity with this key if the unit of work holds it (loaded or added, not deleted), by the tracker's identity
    /// map and without comparing anything with its snapshot; null otherwise (no round trip).
    /// </summary>
    public static T? FindTracked<T>(this DbSet<T> set, Guid id)
        where T : class =>
        WithoutDetection(set, set => set.Local.FindEntry(id) is { State: not (EntityState.Deleted or EntityState.Detached) } entry ? entry.Entity : null);

    /// <summary>Whether the unit of work still holds all these entities (it lets go of all when its tracker is cleared).</summary>
    public static bool AreTracked<T>(this DbSet<T> set, IEnumerable<T> entities)
        where T : class =>
        WithoutDetection(set, set => entities.All(entity => set.Entry(entity).State != EntityState.Detached));

    // DbSet.Local and DbSet.Entry first compare every tracked entity (or this one) with its snapshot when automatic
    // detection is on; a look-up by key needs none of that.
    private static TResult WithoutDetection<T, TResult>(DbSet<T> set, Func<DbSet<T>, TResult> read)
        where T : class
    {
        var tracker = set.GetService<ICurrentDbContext>().Context.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            return read(set);
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }
}
