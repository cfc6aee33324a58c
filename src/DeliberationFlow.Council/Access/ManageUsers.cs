using System.Text.RegularExpressions;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Access;

/// <summary>An account as the admins see it: never its password.</summary>
public sealed record UserView(
    Guid Id, string UserName, string DisplayName, string? Email, string Role, IReadOnlyList<string> Committees, Guid? PersonId, string? PersonName,
    bool Active, DateTimeOffset Created, DateTimeOffset? DeactivatedAt);

public sealed record UserChoice(string Key, string Name);

public sealed record PersonChoice(Guid Id, string Name);

/// <summary>The body's accounts, and what an account can be given: committees (for secretaries) and persons (for councillors).</summary>
public sealed record UserDirectory(IReadOnlyList<UserView> Users, IReadOnlyList<UserChoice> Committees, IReadOnlyList<PersonChoice> Persons);

/// <summary>
/// A new account. <see cref="Committees"/> (keys) scope a secretary; <see cref="PersonId"/> links a councillor to the person
/// whose memberships decide their meetings. The first password is set by the admin and told to the user in person.
/// </summary>
public sealed record CreateUserRequest(
    string? UserName, string? DisplayName, string? Email, string? Role, IReadOnlyList<string>? Committees, Guid? PersonId, string? Password);

/// <summary>What an admin may change of an account; the user name stays (it is in the journals).</summary>
public sealed record UpdateUserRequest(string? DisplayName, string? Email, string? Role, IReadOnlyList<string>? Committees, Guid? PersonId);

public sealed record SetPasswordRequest(string? Password);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>
/// The admins' management of their body's accounts: create, change role and committees, set a password, deactivate and
/// reactivate. An account is never deleted (journals name it); a deactivated one signs in no more, and every session of
/// an account ends when its rights, password or state change (the security stamp covers them). An admin cannot lock
/// themselves out, nor leave the body without an active admin.
/// </summary>
public sealed partial class ManageUsers(ICouncilDb db, IPasswords passwords, TimeProvider clock, ILogger<ManageUsers> logger)
{
    public const int MinPasswordLength = 12;

    public async Task<UserDirectory> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        var committees = await CommitteesAsync(caller, cancellationToken);
        var persons = await db.Persons.AsNoTracking().Where(p => p.BodyId == caller.BodyId).OrderBy(p => p.Name)
            .Select(p => new PersonChoice(p.Id, p.Name)).ToListAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().Where(u => u.BodyId == caller.BodyId).OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        return new UserDirectory(users.Select(u => View(u, committees, persons)).ToList(), committees.Select(c => new UserChoice(c.Key, c.Name)).ToList(), persons);
    }

    public async Task<UserView> CreateAsync(Caller caller, CreateUserRequest request, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        var errors = new ValidationErrors();
        var userName = request.UserName?.Trim().ToLowerInvariant();
        errors.Required("userName", userName);
        if (userName is { Length: > 0 } && !UserNamePattern().IsMatch(userName))
        {
            errors.Add("userName", "Use 2 to 64 lower-case letters, digits, dots, hyphens or underscores, starting with a letter, e.g. \"m.mueller\".");
        }

        var committees = await CommitteesAsync(caller, cancellationToken);
        var (role, committeeIds) = CheckRights(errors, request.Role, request.Committees, committees);
        var persons = await PersonNamesAsync(caller, [request.PersonId], cancellationToken);
        CheckPerson(errors, request.PersonId, persons);
        CheckContact(errors, request.DisplayName, request.Email);
        CheckPassword(errors, "password", request.Password, userName);
        errors.ThrowIfAny();
        if (await db.Users.AnyAsync(u => u.UserName == userName, cancellationToken))
        {
            throw RequestValidationException.For("userName", $"The user name '{userName}' is taken; choose another.");
        }

        var now = clock.GetUtcNow();
        var user = new UserAccount
        {
            Id = Guid.CreateVersion7(now), BodyId = caller.BodyId, UserName = userName!, DisplayName = request.DisplayName!.Trim(),
            Email = NullIfEmpty(request.Email), Role = role, CommitteeIds = committeeIds, PersonId = request.PersonId, PasswordHash = "", Created = now,
        };
        user.PasswordHash = passwords.Hash(user, request.Password!);
        db.Users.Add(user);
        db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Account, user.UserName, $"Konto angelegt: {Describe(user, committees, persons)}.", now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            throw RequestValidationException.For("userName", $"The user name '{userName}' is taken; choose another.");
        }

        logger.LogInformation("Account {UserName} ({Role}) created by {Admin}", user.UserName, user.Role, caller.UserName);
        return await ViewAsync(caller, user, cancellationToken, committees);
    }

    public async Task<UserView> UpdateAsync(Caller caller, Guid id, UpdateUserRequest request, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        var user = await FindAsync(caller, id, cancellationToken);
        var errors = new ValidationErrors();
        var committees = await CommitteesAsync(caller, cancellationToken);
        var (role, committeeIds) = CheckRights(errors, request.Role, request.Committees, committees);
        var persons = await PersonNamesAsync(caller, [request.PersonId, user.PersonId], cancellationToken);
        CheckPerson(errors, request.PersonId, persons);
        CheckContact(errors, request.DisplayName, request.Email);
        errors.ThrowIfAny();
        if (user.Role == UserRole.Admin && role != UserRole.Admin)
        {
            await KeepAnAdminAsync(caller, user, "role", "take the admin role from", cancellationToken);
        }

        var before = Describe(user, committees, persons);
        user.DisplayName = request.DisplayName!.Trim();
        user.Email = NullIfEmpty(request.Email);
        user.Role = role;
        user.CommitteeIds = committeeIds;
        user.PersonId = request.PersonId;
        var after = Describe(user, committees, persons);
        if (after != before)
        {
            db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Account, user.UserName, $"Konto geändert. Vorher: {before}. Jetzt: {after}.", clock.GetUtcNow()));
        }

        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Account {UserName} changed by {Admin}: role {Role}, committees {Committees}", user.UserName, caller.UserName, user.Role,
            string.Join(",", committees.Where(c => committeeIds.Contains(c.Id)).Select(c => c.Key)));
        return await ViewAsync(caller, user, cancellationToken, committees);
    }

    /// <summary>An admin sets a new password (forgotten, or a first one handed over in person); every session of the account ends.</summary>
    public async Task<UserView> SetPasswordAsync(Caller caller, Guid id, SetPasswordRequest request, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        var user = await FindAsync(caller, id, cancellationToken);
        var errors = new ValidationErrors();
        CheckPassword(errors, "password", request.Password, user.UserName);
        errors.ThrowIfAny();
        user.PasswordHash = passwords.Hash(user, request.Password!);
        db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Account, user.UserName, "Kennwort neu gesetzt.", clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Password of {UserName} set by {Admin}", user.UserName, caller.UserName);
        return await ViewAsync(caller, user, cancellationToken);
    }

    public async Task<UserView> DeactivateAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        var user = await FindAsync(caller, id, cancellationToken);
        if (user.Id == caller.UserId)
        {
            throw new ConflictException("You cannot deactivate your own account; ask another admin.");
        }

        if (user.IsActive)
        {
            if (user.Role == UserRole.Admin)
            {
                await KeepAnAdminAsync(caller, user, "id", "deactivate", cancellationToken);
            }

            user.DeactivatedAt = clock.GetUtcNow();
            db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Account, user.UserName, "Konto deaktiviert.", user.DeactivatedAt.Value));
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Account {UserName} deactivated by {Admin}", user.UserName, caller.UserName);
        }

        return await ViewAsync(caller, user, cancellationToken);
    }

    public async Task<UserView> ReactivateAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        var user = await FindAsync(caller, id, cancellationToken);
        if (!user.IsActive)
        {
            user.DeactivatedAt = null;
            db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Account, user.UserName, "Konto wieder aktiviert.", clock.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Account {UserName} reactivated by {Admin}", user.UserName, caller.UserName);
        }

        return await ViewAsync(caller, user, cancellationToken);
    }

    /// <summary>A user changes their own password, proving the current one.</summary>
    public async Task ChangeOwnPasswordAsync(Caller caller, string? currentPassword, string? newPassword, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == caller.UserId && u.DeactivatedAt == null, cancellationToken)
            ?? throw new NotFoundException("Your account is not active any more.");
        var errors = new ValidationErrors();
        errors.Required("currentPassword", currentPassword);
        if (currentPassword is { Length: > 0 } && !passwords.Verify(user, currentPassword))
        {
            errors.Add("currentPassword", "This is not your current password.");
        }

        CheckPassword(errors, "newPassword", newPassword, user.UserName);
        if (newPassword is not null && newPassword == currentPassword)
        {
            errors.Add("newPassword", "Choose a password other than the current one.");
        }

        errors.ThrowIfAny();
        user.PasswordHash = passwords.Hash(user, newPassword!);
        db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Account, user.UserName, "Eigenes Kennwort geändert.", clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("{UserName} changed their password", user.UserName);
    }

    private static void RequireAdmin(Caller caller)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Accounts are managed by admins.");
        }
    }

    private async Task<UserAccount> FindAsync(Caller caller, Guid id, CancellationToken cancellationToken) =>
        await db.Users.SingleOrDefaultAsync(u => u.Id == id && u.BodyId == caller.BodyId, cancellationToken)
        ?? throw new NotFoundException($"No account with id {id}.");

    private Task<List<Organization>> CommitteesAsync(Caller caller, CancellationToken cancellationToken) =>
        db.Organizations.AsNoTracking().Where(o => o.BodyId == caller.BodyId && o.Kind == OrganizationKind.Committee).OrderBy(o => o.Name).ToListAsync(cancellationToken);

    /// <summary>The role and, for a secretary, at least one committee of the body; other roles have none (an admin has all, a councillor's follow their memberships).</summary>
    private static (UserRole Role, List<Guid> CommitteeIds) CheckRights(ValidationErrors errors, string? roleText, IReadOnlyList<string>? keys, List<Organization> committees)
    {
        var role = UserRole.Councillor;
        if (string.IsNullOrWhiteSpace(roleText) || !EnumNames.TryParse(roleText, out role))
        {
            errors.Add("role", $"Choose one of: {string.Join(", ", Enum.GetNames<UserRole>())}.");
        }

        var ids = new List<Guid>();
        for (var i = 0; i < (keys?.Count ?? 0); i++)
        {
            if (committees.FirstOrDefault(c => c.Key == keys![i]) is { } committee)
            {
                ids.Add(committee.Id);
            }
            else
            {
                errors.Add($"committees[{i}]", $"No committee '{keys![i]}' in this body; known are {string.Join(", ", committees.Select(c => c.Key))}.");
            }
        }

        if (role == UserRole.Secretary && ids.Count == 0 && (keys?.Count ?? 0) == 0)
        {
            errors.Add("committees", "A secretary looks after at least one committee; name its key.");
        }
        else if (role != UserRole.Secretary && ids.Count > 0)
        {
            errors.Add("committees", "Only secretaries are given committees: an admin acts for all of them, a councillor for those of their person's memberships.");
        }

        return (role, ids.Distinct().ToList());
    }

    /// <summary>The names of the body's persons among <paramref name="ids"/>: the record names a councillor's person, not its id.</summary>
    private async Task<Dictionary<Guid, string>> PersonNamesAsync(Caller caller, Guid?[] ids, CancellationToken cancellationToken)
    {
        var wanted = ids.OfType<Guid>().Distinct().ToList();
        return wanted.Count == 0
            ? []
            : await db.Persons.AsNoTracking().Where(p => p.BodyId == caller.BodyId && wanted.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
    }

    private static void CheckPerson(ValidationErrors errors, Guid? personId, Dictionary<Guid, string> persons)
    {
        if (personId is { } id && !persons.ContainsKey(id))
        {
            errors.Add("personId", $"No person with id {id} in this body.");
        }
    }

    private static void CheckContact(ValidationErrors errors, string? displayName, string? email)
    {
        errors.Required("displayName", displayName);
        if (displayName is { Length: > 200 })
        {
            errors.Add("displayName", "A name has at most 200 characters.");
        }

        errors.MailAddress("email", NullIfEmpty(email), "m.mueller@stadt.example");
    }

    private static void CheckPassword(ValidationErrors errors, string field, string? password, string? userName)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength)
        {
            errors.Add(field, $"A password has at least {MinPasswordLength} characters.");
        }
        else if (password.Length > 200)
        {
            errors.Add(field, "A password has at most 200 characters.");
        }
        else if (userName is { Length: > 0 } && password.Contains(userName, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(field, "The password must not contain the user name.");
        }
    }

    /// <summary>The body keeps at least one active admin other than the one being changed.</summary>
    private async Task KeepAnAdminAsync(Caller caller, UserAccount user, string field, string action, CancellationToken cancellationToken)
    {
        if (!await db.Users.AnyAsync(u => u.BodyId == caller.BodyId && u.Id != user.Id && u.Role == UserRole.Admin && u.DeactivatedAt == null, cancellationToken))
        {
            throw RequestValidationException.For(field, $"'{user.UserName}' is the body's last active admin; make another account admin before you {action} it.");
        }
    }

    /// <param name="committees">The body's committees when the caller has read them already.</param>
    private async Task<UserView> ViewAsync(Caller caller, UserAccount user, CancellationToken cancellationToken, List<Organization>? committees = null)
    {
        committees ??= await CommitteesAsync(caller, cancellationToken);
        var person = user.PersonId is { } id ? await db.Persons.AsNoTracking().Where(p => p.Id == id).Select(p => new PersonChoice(p.Id, p.Name)).SingleOrDefaultAsync(cancellationToken) : null;
        return View(user, committees, person is null ? [] : [person]);
    }

    private static UserView View(UserAccount user, List<Organization> committees, IReadOnlyList<PersonChoice> persons) => new(
        user.Id, user.UserName, user.DisplayName, user.Email, user.Role.ToString(),
        committees.Where(c => user.CommitteeIds.Contains(c.Id)).Select(c => c.Key).ToList(),
        user.PersonId, persons.FirstOrDefault(p => p.Id == user.PersonId)?.Name, user.IsActive, user.Created, user.DeactivatedAt);

    /// <summary>An account's rights and contact in one line of the record (never its password).</summary>
    private static string Describe(UserAccount user, List<Organization> committees, Dictionary<Guid, string> persons) =>
        $"{user.DisplayName}, {user.Role}" +
        (user.CommitteeIds.Count > 0 ? $", Gremien {string.Join(", ", committees.Where(c => user.CommitteeIds.Contains(c.Id)).Select(c => c.Key))}" : "") +
        (user.PersonId is { } person ? $", Person {persons.GetValueOrDefault(person, person.ToString())}" : "") +
        (user.Email is { } email ? $", {email}" : "");

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    [GeneratedRegex("^[a-z][a-z0-9._-]{1,63}$")]
    private static partial Regex UserNamePattern();
}
