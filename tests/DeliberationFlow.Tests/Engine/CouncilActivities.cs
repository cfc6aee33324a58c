using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Activities;

namespace DeliberationFlow.Tests.Engine;

/// <summary>
/// Every activity type the service registers, for validating definitions without a database: descriptors and
/// checks never touch the activities' services.
/// </summary>
internal static class CouncilActivities
{
    public static ActivityRegistry Registry() => new(
    [
        new StartActivity(), new EndActivity(), new ConsultationActivity(null!), new HearingActivity(null!, null!), new OutcomeDecisionActivity(null!),
        new ConditionActivity(null!, null!), new NotifyActivity(null!, null!, null!), new WaitActivity(null!, null!), new WithdrawActivity(null!),
    ]);
}
