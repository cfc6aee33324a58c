using DeliberationFlow.Council.Access;
using DeliberationFlow.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Server.Security;

/// <summary>Checks a user name and password against the stored hash (ASP.NET Core Identity's PBKDF2 hasher).</summary>
public sealed class UserCredentials(DeliberationDbContext db, IPasswordHasher<UserAccount> hasher)
{
    public async Task<UserAccount?> VerifyAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            return null;
        }

        return hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed ? null : user;
    }
}
