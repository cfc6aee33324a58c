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
    // Compiled: every planned consultation asks it.
    private static readonly CompiledQuery<Func<DbContext, Guid, DateTimeOffset, IAsyncEnumerable<Meeting>>> Candidates = new(() => EF.CompileAsyncQuery(
        (DbContext db, Guid committeeId, DateTimeOffset notBefore) => db.Set<Meeting>().AsNoTracking()
            .Where(m => m.OrganizationId == committeeId && !m.Cancelled && m.Start > notBefore)
            .OrderBy(m => m.Start)
            .Take(50)));

    public async Task<Meeting?> FindNextAsync(Organization committee, Paper paper, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        var body = await db.Bodies.GetAsync(committee.BodyId, cancellationToken);
        var candidates = await Candidates.For(db)(db.Context, committee.Id, notBefore).ToListAsync(cancellationToken);
        var next = candidates.FirstOrDefault(m => Deadlines.SubmissionDeadline(m, committee, paper, body) >= paper.Created);
        if (next is null)
        {
            return null;
        }

        // Only the chosen meeting joins the unit of work (the step reads it again for the timers and the answer): the
        // candidates it passed over would otherwise be compared with their snapshots at every save of the step, a
        // dozen meetings of the year's calendar boxed property by property.
        return db.Meetings.FindTracked(next.Id) ?? db.Meetings.Attach(next).Entity;
    }
}
