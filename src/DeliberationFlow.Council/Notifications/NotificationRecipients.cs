using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Notifications;

/// <summary>A person who sits in a committee, with their seat and how they want to be written to.</summary>
public sealed record MemberRecipient(Person Person, Membership Membership, NotificationPreference Preference)
{
    /// <summary>A deputy (Stellvertreter, Vertreterin …) is told as well, and the message says in which capacity.</summary>
    public bool Deputy => Membership.IsDeputy;

    public Dictionary<string, object?> Model() =>
        MailModels.Recipient(Person.Name, Person.Email!, Membership.Role ?? "Mitglied", Deputy, Membership.VotingRight);
}

/// <summary>A user who follows a paper and may be told about it.</summary>
public sealed record FollowerRecipient(Guid UserId, string Name, string Address, NotificationPreference Preference);

/// <summary>A secretary's account told of its committee's business (the Sitzungsdienst): always in German, never opted out.</summary>
public sealed record SecretaryRecipient(Guid UserId, string Name, string Address)
{
    public Dictionary<string, object?> Model() => MailModels.Recipient(Name, Address, "Sitzungsdienst");
}

/// <summary>Who receives what: the members of a committee (with their seats and preferences), its secretaries and the followers of a paper.</summary>
public sealed class NotificationRecipients(ICouncilDb db)
{
    /// <summary>The persons with an e-mail address who sit in the committee on that day, each once with the seat <see cref="Seats"/> chooses.</summary>
    public async Task<List<MemberRecipient>> MembersAsync(Guid committeeId, DateOnly day, CancellationToken cancellationToken)
    {
        var rows = await (from membership in db.Memberships
                          join person in db.Persons on membership.PersonId equals person.Id
                          where membership.OrganizationId == committeeId && person.Email != null && person.Email != ""
                          select new { membership, person }).AsNoTracking().ToListAsync(cancellationToken);
        var active = Seats.OnePerPerson(rows, day, r => r.membership);
        var personIds = active.Select(r => r.person.Id).ToList();
        var preferences = await PreferencesOfPersonsAsync(personIds, cancellationToken);
        return active.Select(r => new MemberRecipient(r.person, r.membership, preferences.GetValueOrDefault(r.person.Id) ?? new NotificationPreference())).ToList();
    }

    /// <summary>
    /// The active secretary accounts of the body that look after the committee and have an address, each address once
    /// (two accounts of one office share one message), ordered by user name.
    /// </summary>
    public async Task<List<SecretaryRecipient>> SecretariesAsync(Guid bodyId, Guid committeeId, CancellationToken cancellationToken)
    {
        // The committee is matched in the database (PostgreSQL: = ANY of the uuid[]; SQLite: json_each of the JSON array),
        // not by reading every secretary of the body.
        var rows = await db.Users.AsNoTracking()
            .Where(u => u.BodyId == bodyId && u.Role == UserRole.Secretary && u.DeactivatedAt == null
                        && u.Email != null && u.Email != "" && u.CommitteeIds.Contains(committeeId))
            .OrderBy(u => u.UserName)
            .Select(u => new SecretaryRecipient(u.Id, u.DisplayName, u.Email!))
            .ToListAsync(cancellationToken);
        return rows.DistinctBy(r => r.Address.ToUpperInvariant()).ToList();
    }

    /// <summary>
    /// The followers of a paper who may read about it: for a non-public paper only those who sit in the committee
    /// that deliberated it (non-public matters reach no one else).
    /// </summary>
    // Compiled: every recorded outcome asks for the paper's followers.
    private static readonly CompiledQuery<Func<DbContext, Guid, IAsyncEnumerable<UserAccount>>> FollowingUsers = new(() => EF.CompileAsyncQuery(
        (DbContext db, Guid paperId) =>
            (from follower in db.Set<PaperFollower>()
             join user in db.Set<UserAccount>() on follower.UserId equals user.Id
             where follower.PaperId == paperId && user.DeactivatedAt == null
             select user).AsNoTracking()));

    public async Task<List<FollowerRecipient>> FollowersAsync(Paper paper, Guid committeeId, DateOnly day, CancellationToken cancellationToken)
    {
        var rows = await FollowingUsers.For(db)(db.Context, paper.Id).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return []; // most papers have no followers: no further round trips for them
        }

        var personIds = rows.Where(u => u.PersonId != null).Select(u => u.PersonId!.Value).ToList();
        var persons = await db.Persons.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        HashSet<Guid> members = [];
        if (!paper.IsPublic)
        {
            members = (await MembersAsync(committeeId, day, cancellationToken)).Select(m => m.Person.Id).ToHashSet();
        }

        var userIds = rows.Select(u => u.Id).ToList();
        var preferences = await db.NotificationPreferences.AsNoTracking().Where(p => userIds.Contains(p.UserId)).ToDictionaryAsync(p => p.UserId, cancellationToken);
        var result = new List<FollowerRecipient>();
        foreach (var user in rows)
        {
            var person = user.PersonId is { } id ? persons.GetValueOrDefault(id) : null;
            var address = user.Email ?? person?.Email;
            if (string.IsNullOrWhiteSpace(address) || (!paper.IsPublic && (person is null || !members.Contains(person.Id))))
            {
                continue;
            }

            result.Add(new FollowerRecipient(user.Id, person?.Name ?? user.DisplayName, address, preferences.GetValueOrDefault(user.Id) ?? new NotificationPreference()));
        }

        return result;
    }

    private async Task<Dictionary<Guid, NotificationPreference>> PreferencesOfPersonsAsync(List<Guid> personIds, CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().Where(u => u.PersonId != null && personIds.Contains(u.PersonId.Value))
            .Select(u => new { u.Id, u.PersonId }).ToListAsync(cancellationToken);
        if (users.Count == 0)
        {
            return [];
        }

        var userIds = users.Select(u => u.Id).ToList();
        var preferences = await db.NotificationPreferences.AsNoTracking().Where(p => userIds.Contains(p.UserId)).ToDictionaryAsync(p => p.UserId, cancellationToken);
        return users.Where(u => preferences.ContainsKey(u.Id)).DistinctBy(u => u.PersonId).ToDictionary(u => u.PersonId!.Value, u => preferences[u.Id]);
    }
}
