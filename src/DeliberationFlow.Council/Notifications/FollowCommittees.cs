using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Notifications;

public sealed record FollowedCommittee(string Key, string Name, DateTimeOffset Since);

/// <summary>
/// The signed-in user follows a committee of the body and hears of each meeting's public agenda when it is invited
/// (<see cref="CommitteeFollowerNotices"/>): for councillors of other committees, the administration, the press office.
/// </summary>
public sealed class FollowCommittees(ICouncilDb db, TimeProvider clock)
{
    public async Task<IReadOnlyList<FollowedCommittee>> ListAsync(Caller caller, CancellationToken cancellationToken) =>
        await (from follower in db.CommitteeFollowers
               join committee in db.Organizations on follower.OrganizationId equals committee.Id
               where follower.UserId == caller.UserId && committee.BodyId == caller.BodyId
               orderby committee.Name
               select new FollowedCommittee(committee.Key, committee.Name, follower.Created)).ToListAsync(cancellationToken);

    public async Task<FollowedCommittee> FollowAsync(Caller caller, string key, CancellationToken cancellationToken)
    {
        var committee = await FindAsync(caller, key, cancellationToken);
        var existing = await db.CommitteeFollowers.AsNoTracking().SingleOrDefaultAsync(f => f.OrganizationId == committee.Id && f.UserId == caller.UserId, cancellationToken);
        if (existing is null)
        {
            existing = new CommitteeFollower { OrganizationId = committee.Id, UserId = caller.UserId, Created = clock.GetUtcNow() };
            db.CommitteeFollowers.Add(existing);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
            {
                // The same follow from a second click: it is there, which is all that was asked.
            }
        }

        return new FollowedCommittee(committee.Key, committee.Name, existing.Created);
    }

    public async Task UnfollowAsync(Caller caller, string key, CancellationToken cancellationToken)
    {
        var committee = await FindAsync(caller, key, cancellationToken);
        await db.CommitteeFollowers.Where(f => f.OrganizationId == committee.Id && f.UserId == caller.UserId).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<Organization> FindAsync(Caller caller, string key, CancellationToken cancellationToken) =>
        await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.BodyId == caller.BodyId && o.Key == key && o.Kind == OrganizationKind.Committee, cancellationToken)
        ?? throw new NotFoundException($"No committee '{key}'.");
}
