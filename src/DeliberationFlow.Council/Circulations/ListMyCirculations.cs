using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Circulations;

/// <summary>
/// The open circulations the caller has a part in: for a member those they were asked in (unanswered first), for a secretary
/// those of their committees, for an admin all of the body's. The portal's list.
/// </summary>
public sealed class ListMyCirculations(ICouncilDb db, CirculationSteps steps)
{
    public async Task<IReadOnlyList<CirculationView>> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        var open = db.Circulations.AsNoTracking().Include(c => c.Votes)
            .Where(c => c.BodyId == caller.BodyId && c.Status == CirculationStatus.Open);
        var committees = caller.Role == UserRole.Secretary ? caller.CommitteeIds.ToList() : [];
        var personId = caller.PersonId;
        var circulations = await open
            .Where(c => caller.IsAdmin || committees.Contains(c.OrganizationId) || (personId != null && c.Votes.Any(v => v.PersonId == personId)))
            .OrderBy(c => c.Deadline).ToListAsync(cancellationToken);
        var views = new List<CirculationView>();
        foreach (var circulation in circulations)
        {
            views.Add(await steps.ViewAsync(caller, circulation, cancellationToken));
        }

        return views.OrderBy(v => !v.MayAnswer).ThenBy(v => v.Deadline).ToList();
    }
}
