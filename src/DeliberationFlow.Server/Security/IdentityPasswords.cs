using DeliberationFlow.Council.Access;
using Microsoft.AspNetCore.Identity;

namespace DeliberationFlow.Server.Security;

/// <summary>The use cases' passwords through ASP.NET Core Identity's hasher, the one sign-in and HTTP Basic check against.</summary>
public sealed class IdentityPasswords(IPasswordHasher<UserAccount> hasher) : IPasswords
{
    public string Hash(UserAccount user, string password) => hasher.HashPassword(user, password);

    public bool Verify(UserAccount user, string password) =>
        hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
}
