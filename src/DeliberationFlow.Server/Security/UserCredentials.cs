using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Server.Security;

/// <summary>Checks a user name and password against the stored hash (ASP.NET Core Identity's PBKDF2 hasher).</summary>
public sealed class UserCredentials(DeliberationDbContext db, IPasswordHasher<UserAccount> hasher, VerifiedCredentials verified, TimeProvider clock)
{
    public async Task<UserAccount?> VerifyAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == userName && u.DeactivatedAt == null, cancellationToken);
        if (user is null)
        {
            return null;
        }

        // PBKDF2 costs tens of milliseconds by design; Basic authentication sends the password with every request.
        // A successful check is remembered briefly, keyed by the stored hash, so a changed password ends it.
        if (verified.IsFresh(user, password, clock.GetUtcNow()))
        {
            return user;
        }

        if (hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            return null;
        }

        verified.Remember(user, password, clock.GetUtcNow());
        return user;
    }
}

/// <summary>Recently verified credentials, held only as keyed hashes in memory for a few minutes.</summary>
public sealed class VerifiedCredentials
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _verified = new();

    public bool IsFresh(UserAccount user, string password, DateTimeOffset now) =>
        _verified.TryGetValue(Fingerprint(user, password), out var until) && until > now;

    public void Remember(UserAccount user, string password, DateTimeOffset now)
    {
        if (_verified.Count > 10_000)
        {
            _verified.Clear();
        }

        _verified[Fingerprint(user, password)] = now + Lifetime;
    }

    private string Fingerprint(UserAccount user, string password) =>
        Convert.ToHexString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{user.Id}\n{user.PasswordHash}\n{password}")));
}
