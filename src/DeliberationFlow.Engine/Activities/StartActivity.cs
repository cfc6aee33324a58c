using DeliberationFlow.Engine.Runtime;

namespace DeliberationFlow.Engine.Activities;

/// <summary>Where every instance begins.</summary>
public sealed class StartActivity : IActivity
{
    public const string TypeName = "Start";
    public const string DoneOutcome = "Done";

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Start", [DoneOutcome], []) { IsStart = true };

    public ValueTask<ActivityResult> ExecuteAsync(ActivityExecutionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ActivityResult.Done(DoneOutcome));
}

/// <summary>Finishes the instance.</summary>
public sealed class EndActivity : IActivity
{
    public const string TypeName = "End";

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Ende", [], []) { IsEnd = true };

    public ValueTask<ActivityResult> ExecuteAsync(ActivityExecutionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ActivityResult.Done(TypeName));
}
