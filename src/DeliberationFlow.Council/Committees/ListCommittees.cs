using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Committees;

public sealed record CommitteeView(
    Guid Id,
    string Key,
    string Name,
    string? ShortName,
    string? Classification,
    int SubmissionDeadlineDays,
    bool SubmissionDeadlineInWorkingDays,
    int NoticePeriodDays,
    int UrgentSubmissionDeadlineDays,
    int UrgentNoticePeriodDays,
    int MemberCount,
    int ReminderDaysBefore,
    int EscalationDays)
{
    public static CommitteeView Of(Organization committee, int memberCount) => new(
        committee.Id, committee.Key, committee.Name, committee.ShortName, committee.Classification, committee.SubmissionDeadlineDays,
        committee.SubmissionDeadlineInWorkingDays, committee.NoticePeriodDays, committee.UrgentSubmissionDeadlineDays, committee.UrgentNoticePeriodDays,
        memberCount, committee.ReminderDaysBefore, committee.EscalationDays);
}

/// <summary>The committees (Gremien) of the caller's body.</summary>
public sealed class ListCommittees(ICouncilDb db, TimeProvider clock)
{
    public async Task<IReadOnlyList<CommitteeView>> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        var today = BodyClock.LocalDay(clock.GetUtcNow(), (await db.Bodies.GetAsync(caller.BodyId, cancellationToken)).Zone);
        var committees = await db.Organizations.AsNoTracking()
            .Where(o => o.BodyId == caller.BodyId && o.Kind == OrganizationKind.Committee)
            .OrderBy(o => o.Name)
            .ToListAsync(cancellationToken);
        var memberships = await db.Memberships.AsNoTracking().Where(m => m.BodyId == caller.BodyId).ToListAsync(cancellationToken);
        return committees.Select(c => CommitteeView.Of(c, memberships.Count(m => m.OrganizationId == c.Id && m.IsActiveOn(today)))).ToList();
    }
}
