using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;

namespace DeliberationFlow.Engine.Activities;

/// <summary>
/// The behaviour behind an activity type. Implementations are stateless: everything an activity
/// needs to remember lives in bookmarks, timers or the council's own records.
/// </summary>
public interface IActivity
{
    ActivityDescriptor Descriptor { get; }

    /// <summary>Runs the activity when the flow reaches it.</summary>
    ValueTask<ActivityResult> ExecuteAsync(ActivityExecutionContext context, CancellationToken cancellationToken);

    /// <summary>
    /// The outcome ports of one use of this activity. Most types have fixed ports; some (a consultation
    /// limited to certain outcomes) depend on the activity's properties. Each must be connected.
    /// </summary>
    IReadOnlyList<string> OutcomesOf(ActivityDefinition activity) => Descriptor.Outcomes;

    /// <summary>
    /// Checks what the generic property check cannot (an expression's syntax, a committee's existence), each problem
    /// placed at the property it concerns where there is one, so the studio can show it at the field.
    /// </summary>
    IEnumerable<ActivityProblem> Validate(ActivityDefinition activity, DefinitionValidationContext context) => [];

    /// <summary>Continues the activity when a stimulus arrives for one of its bookmarks.</summary>
    ValueTask<ActivityResult> ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, Stimulus stimulus, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"Activity type '{Descriptor.Type}' does not wait for stimuli.");
}

/// <summary>What the studio and the validator know about an activity type.</summary>
public sealed record ActivityDescriptor(
    string Type,
    string DisplayName,
    IReadOnlyList<string> Outcomes,
    IReadOnlyList<PropertyDescriptor> Properties)
{
    public bool IsStart { get; init; }
    public bool IsEnd { get; init; }
}

/// <summary>One problem of an activity; <see cref="Path"/> is relative to the activity (e.g. <c>properties.role</c>), null for the activity itself.</summary>
public sealed record ActivityProblem(string? Path, string Message)
{
    public static ActivityProblem AtProperty(string property, string message) => new($"properties.{property}", message);

    public static ActivityProblem AtProperty(string property, int index, string message) => new($"properties.{property}[{index}]", message);
}

public enum PropertyKind
{
    Text,
    Boolean,
    TextList,
    Number,
}

public sealed record PropertyDescriptor(string Name, PropertyKind Kind, bool Required, string Description);

/// <summary>How an activity ended its turn: done through an outcome port, or suspended on bookmarks.</summary>
public sealed record ActivityResult
{
    private ActivityResult(string? outcome) => Outcome = outcome;

    /// <summary>The port to leave through; <c>null</c> while the activity waits.</summary>
    public string? Outcome { get; }

    public bool IsSuspended => Outcome is null;

    public static ActivityResult Done(string outcome) => new(outcome);

    public static ActivityResult Suspend() => new((string?)null);
}
