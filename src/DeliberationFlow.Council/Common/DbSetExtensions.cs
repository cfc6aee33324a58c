using Microsoft.EntityFrameworkCore;

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
}
