using DeliberationFlow.Council.Common;

namespace DeliberationFlow.Council.Access;

/// <summary>
/// The time zone of the signed-in user's body, so pages show instants (journal entries, versions, overdue dates) as
/// the body's clerks read them rather than in the server's zone or a fixed one.
/// </summary>
public sealed class CallerBodyZone(ICouncilDb db)
{
    public async Task<TimeZoneInfo> HandleAsync(Caller caller, CancellationToken cancellationToken) =>
        (await db.Bodies.GetAsync(caller.BodyId, cancellationToken)).Zone;
}
