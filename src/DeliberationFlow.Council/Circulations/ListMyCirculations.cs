using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Committees;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Papers;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Circulations;

/// <summary>
/// The open circulations the caller has a part in: for a member those they were asked in (unanswered first), for a secretary
/// those of their committees, for an admin all of the body's. The portal's list.
/// </summary>
public sealed class ListMyCirculations(ICouncilDb db, CirculationSteps steps, OrganizationDirectory directory)
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
        if (circulations.Count == 0)
        {
            return [];
        }

        // The rows each entry names, read once for the list (an entry read them one by one: three round trips each).
        // The body is loaded into the unit of work first: the directory then takes its organizations' revision from it.
        var body = await db.Bodies.GetAsync(caller.BodyId, cancellationToken);
        var organizations = await directory.OfAsync(db, caller.BodyId, cancellationToken);
        var paperIds = circulations.Select(c => c.PaperId).Distinct().ToList();
        var papers = await db.Papers.AsNoTracking().IgnoreQueryFilters().Where(p => paperIds.Contains(p.Id))
            .Select(p => new CirculationPaper(p.Id, p.Reference, p.Name)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var views = new List<CirculationView>();
        foreach (var circulation in circulations)
        {
            // A committee deleted since is not in the directory; its name is read as a single entry's would be.
            if (organizations.Find(circulation.OrganizationId) is { } committee)
            {
                views.Add(CirculationSteps.View(caller, circulation, papers[circulation.PaperId], new OrganizationRef(committee.Id, committee.Key, committee.Name), body.Zone));
            }
            else
            {
                views.Add(await steps.ViewAsync(caller, circulation, cancellationToken));
            }
        }

        return views.OrderBy(v => !v.MayAnswer).ThenBy(v => v.Deadline).ToList();
    }
}
