namespace DeliberationFlow.Council.Model;

/// <summary>
/// The one rule for a person who holds two seats in one committee on a day. Only an OParl import brings that (the
/// persons page refuses a second open seat): a full seat beside a deputy seat ("Stellvertreter"), or two periods that
/// overlap. The invitation, the reminder, a change notice and the attendance list must each name the person once, and
/// in the same capacity, or the invitation says "member" while the attendance counts a deputy without a vote.
/// </summary>
public static class Seats
{
    /// <summary>
    /// The rows whose seat covers <paramref name="day"/>, one per person, with the seat that counts: a full seat before a
    /// deputy's, one with voting right before one without (OParl <c>votingRight</c>), then the seat begun last (the
    /// current period), then the id, so the same data always gives the same seat whatever order the database returns.
    /// </summary>
    public static List<T> OnePerPerson<T>(IEnumerable<T> rows, DateOnly day, Func<T, Membership> seat) =>
        [.. rows.Where(r => seat(r).IsActiveOn(day))
            .GroupBy(r => seat(r).PersonId)
            .Select(g => g
                .OrderBy(r => seat(r).IsDeputy)
                .ThenByDescending(r => seat(r).VotingRight)
                .ThenByDescending(r => seat(r).StartDate ?? DateOnly.MinValue)
                .ThenBy(r => seat(r).Id)
                .First())];
}
