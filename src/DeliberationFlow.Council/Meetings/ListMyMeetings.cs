using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Meetings;

/// <summary>
/// The next meetings of the committees the caller is a member of (through the person linked to the account), from
/// now on, soonest first; cancelled ones stay in the list, marked, so a member sees that the date is off.
/// </summary>
public sealed class ListMyMeetings(ICouncilDb db, TimeProvider clock)
{
    public async Task<IReadOnlyList<MeetingView>> HandleAsync(Caller caller, int count, CancellationToken cancellationToken)
    {
        if (caller.PersonId is not { } personId)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        var today = BodyClock.LocalDay(now, (await db.Bodies.GetAsync(caller.BodyId, cancellationToken)).Zone);
        var memberships = await db.Memberships.AsNoTracking()
            .Where(m => m.BodyId == caller.BodyId && m.PersonId == personId)
            .ToListAsync(cancellationToken);
        var committeeIds = memberships.Where(m => m.IsActiveOn(today)).Select(m => m.OrganizationId).Distinct().ToList();
        var committees = await db.Organizations.AsNoTracking().Where(o => committeeIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
        var meetings = await db.Meetings.AsNoTracking()
            .Where(m => m.BodyId == caller.BodyId && committeeIds.Contains(m.OrganizationId) && m.Start >= now.AddHours(-6))
            .OrderBy(m => m.Start)
            .Take(Math.Clamp(count, 1, 100))
            .ToListAsync(cancellationToken);
        return meetings.Select(m => MeetingView.Of(m, committees[m.OrganizationId])).ToList();
    }
}
