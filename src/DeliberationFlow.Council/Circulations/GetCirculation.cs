using DeliberationFlow.Council.Access;

namespace DeliberationFlow.Council.Circulations;

/// <summary>A consultation's circulation (the open one, else the last), for its members, the committee's secretaries and admins.</summary>
public sealed class GetCirculation(CirculationSteps steps)
{
    public async Task<CirculationView> HandleAsync(Caller caller, Guid consultationId, CancellationToken cancellationToken) =>
        await steps.ViewAsync(caller, await steps.FindVisibleAsync(caller, consultationId, tracked: false, cancellationToken), cancellationToken);
}
