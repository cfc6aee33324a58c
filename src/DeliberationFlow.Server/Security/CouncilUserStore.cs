using System.Security.Claims;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DeliberationFlow.Server.Security;

/// <summary>
/// ASP.NET Core Identity over the existing users table: the web sign-in and HTTP Basic of the API check the same
/// accounts with the same hasher, so there is one source of user truth. Accounts are managed elsewhere (demo data,
/// <see cref="ManageUsers"/>, the <c>add-user</c> command); the store only reads active accounts and keeps changed password hashes.
/// </summary>
public sealed class CouncilUserStore(DeliberationDbContext db) :
    IUserPasswordStore<UserAccount>, IUserRoleStore<UserAccount>, IUserSecurityStampStore<UserAccount>
{
    public Task<string> GetUserIdAsync(UserAccount user, CancellationToken cancellationToken) => Task.FromResult(user.Id.ToString());

    public Task<string?> GetUserNameAsync(UserAccount user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.UserName);

    public Task<string?> GetNormalizedUserNameAsync(UserAccount user, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(user.UserName.ToUpperInvariant());

    public Task SetUserNameAsync(UserAccount user, string? userName, CancellationToken cancellationToken) =>
        throw new NotSupportedException("User names are fixed; accounts are managed through ManageUsers.");

    public Task SetNormalizedUserNameAsync(UserAccount user, string? normalizedName, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IdentityResult> CreateAsync(UserAccount user, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Accounts are created through ManageUsers (the admins' page, /api/users, the add-user command), not through Identity's store.");

    public async Task<IdentityResult> UpdateAsync(UserAccount user, CancellationToken cancellationToken)
    {
        db.Users.Update(user);
        await db.SaveChangesAsync(cancellationToken);
        return IdentityResult.Success;
    }

    public Task<IdentityResult> DeleteAsync(UserAccount user, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Accounts are never deleted, only deactivated through ManageUsers.");

    public async Task<UserAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        Guid.TryParse(userId, out var id) ? await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id && u.DeactivatedAt == null, cancellationToken) : null;

    public async Task<UserAccount?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken)
    {
        // User names are stored as typed (lower case); Identity hands over the upper-cased form.
        var name = normalizedUserName.ToLowerInvariant();
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == name && u.DeactivatedAt == null, cancellationToken);
    }

    public Task SetPasswordHashAsync(UserAccount user, string? passwordHash, CancellationToken cancellationToken)
    {
        user.PasswordHash = passwordHash ?? "";
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(UserAccount user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.PasswordHash);

    public Task<bool> HasPasswordAsync(UserAccount user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash.Length > 0);

    public Task AddToRoleAsync(UserAccount user, string roleName, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Roles are part of the account; ManageUsers changes them.");

    public Task RemoveFromRoleAsync(UserAccount user, string roleName, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Roles are part of the account; ManageUsers changes them.");

    public Task<IList<string>> GetRolesAsync(UserAccount user, CancellationToken cancellationToken) =>
        Task.FromResult<IList<string>>([user.Role.ToString()]);

    public Task<bool> IsInRoleAsync(UserAccount user, string roleName, CancellationToken cancellationToken) =>
        Task.FromResult(string.Equals(user.Role.ToString(), roleName, StringComparison.OrdinalIgnoreCase));

    public async Task<IList<UserAccount>> GetUsersInRoleAsync(string roleName, CancellationToken cancellationToken) =>
        Enum.TryParse<UserRole>(roleName, ignoreCase: true, out var role)
            ? await db.Users.AsNoTracking().Where(u => u.Role == role).ToListAsync(cancellationToken)
            : [];

    public Task SetSecurityStampAsync(UserAccount user, string stamp, CancellationToken cancellationToken) => Task.CompletedTask;

    // The stamp covers what the cookie's claims and the sign-in rest on: a changed password, role, committee or person,
    // or a deactivation, ends every cookie issued before.
    public Task<string?> GetSecurityStampAsync(UserAccount user, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(StampOf(user));

    public static string StampOf(UserAccount user)
    {
        var rights = $"{user.PasswordHash}\n{user.BodyId}\n{user.Role}\n{string.Join(",", user.CommitteeIds.Order())}\n{user.PersonId}\n{user.DeactivatedAt:O}";
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(rights)))[..32];
    }

    public void Dispose()
    {
    }
}

/// <summary>The cookie carries the same claims as an HTTP Basic request, so pages and API see the same <see cref="Caller"/>.</summary>
public sealed class CouncilClaimsPrincipalFactory(IOptions<IdentityOptions> options) : IUserClaimsPrincipalFactory<UserAccount>
{
    public Task<ClaimsPrincipal> CreateAsync(UserAccount user)
    {
        var identity = new ClaimsIdentity(CouncilClaims.For(user), IdentityConstants.ApplicationScheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(options.Value.ClaimsIdentity.SecurityStampClaimType, CouncilUserStore.StampOf(user)));
        return Task.FromResult(new ClaimsPrincipal(identity));
    }
}
