using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Common;

public static class CommitteeMembers
{
    /// <summary>The persons with an e-mail address who sit in the committee on that day, each once.</summary>
    public static async Task<List<Person>> ReachableOnAsync(this ICouncilDb db, Guid committeeId, DateOnly day, CancellationToken cancellationToken)
    {
        var members = await (from membership in db.Memberships
                             join person in db.Persons on membership.PersonId equals person.Id
                             where membership.OrganizationId == committeeId && person.Email != null && person.Email != ""
                             select new { membership, person }).ToListAsync(cancellationToken);
        return Seats.OnePerPerson(members, day, m => m.membership).Select(m => m.person).ToList();
    }
}
