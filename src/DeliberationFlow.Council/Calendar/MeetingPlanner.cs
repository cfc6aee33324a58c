using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Calendar;

/// <summary>Finds the meeting a consultation goes into: the committee's next meeting that the deadlines still allow.</summary>
public sealed class MeetingPlanner(ICouncilDb db)
{
    /// <summary>
    /// The first meeting of <paramref name="committee"/> that is not cancelled, starts after
    /// <paramref name="notBefore"/>, and whose submission deadline (<see cref="Deadlines.SubmissionDeadline"/>)
    /// is not before the paper was registered.
    /// </summary>
    public async Task<Meeting?> FindNextAsync(Organization committee, Paper paper, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        var body = await db.Bodies.GetAsync(committee.BodyId, cancellationToken);
        var candidates = await db.Meetings
            .Where(m => m.OrganizationId == committee.Id && !m.Cancelled && m.Start > notBefore)
            .OrderBy(m => m.Start)
            .Take(50)
            .ToListAsync(cancellationToken);
        return candidates.FirstOrDefault(m => Deadlines.SubmissionDeadline(m, committee, paper, body) >= paper.Created);
    }
}
