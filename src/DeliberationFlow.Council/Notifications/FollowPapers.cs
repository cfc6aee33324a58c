using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Papers;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Notifications;

public sealed record FollowedPaper(Guid PaperId, string Reference, string Name, DateTimeOffset Since);

/// <summary>The signed-in user follows a paper they may see, and hears of its outcomes, deferrals and referrals.</summary>
public sealed class FollowPapers(ICouncilDb db, PaperReader reader, TimeProvider clock)
{
    /// <summary>
    /// The papers the user follows and may still see: a paper made non-public, or whose committee the user has left,
    /// drops out of the list (its notices stop too, see NotificationRecipients) and comes back if it becomes visible again.
    /// </summary>
    public async Task<IReadOnlyList<FollowedPaper>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        var visible = await reader.VisiblePapersAsync(caller, cancellationToken);
        return await (from follower in db.PaperFollowers
                      join paper in visible on follower.PaperId equals paper.Id
                      where follower.UserId == caller.UserId
                      orderby paper.Reference
                      select new FollowedPaper(paper.Id, paper.Reference, paper.Name, follower.Created)).ToListAsync(cancellationToken);
    }

    public async Task<FollowedPaper> FollowAsync(Caller caller, Guid paperId, CancellationToken cancellationToken)
    {
        var paper = await db.Papers.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paperId && p.BodyId == caller.BodyId, cancellationToken);
        if (paper is null || !await reader.MaySeeAsync(caller, paper, cancellationToken))
        {
            throw new NotFoundException($"No paper with id {paperId}.");
        }

        var existing = await db.PaperFollowers.AsNoTracking().SingleOrDefaultAsync(f => f.PaperId == paperId && f.UserId == caller.UserId, cancellationToken);
        if (existing is null)
        {
            existing = new PaperFollower { PaperId = paperId, UserId = caller.UserId, Created = clock.GetUtcNow() };
            db.PaperFollowers.Add(existing);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
            {
                // The same follow from a second click: it is there, which is all that was asked.
            }
        }

        return new FollowedPaper(paper.Id, paper.Reference, paper.Name, existing.Created);
    }

    public async Task UnfollowAsync(Caller caller, Guid paperId, CancellationToken cancellationToken) =>
        await db.PaperFollowers.Where(f => f.PaperId == paperId && f.UserId == caller.UserId).ExecuteDeleteAsync(cancellationToken);
}
