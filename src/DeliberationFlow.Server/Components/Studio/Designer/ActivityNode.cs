using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Core.Models.Base;
using DeliberationFlow.Engine.Definitions;

namespace DeliberationFlow.Server.Components.Studio.Designer;

/// <summary>How an activity stands in a running instance (the instance page marks done and current steps).</summary>
public enum ActivityMark
{
    None,
    Done,
    Current,
    Faulted,
}

/// <summary>An activity on the canvas: one input port on the left, one port per outcome on the right.</summary>
public sealed class ActivityNode : NodeModel
{
    public ActivityNode(ActivityDefinition activity, string typeLabel, IReadOnlyList<string> outcomes)
        : base(activity.Id, new Point(activity.Designer?.X ?? 0, activity.Designer?.Y ?? 0))
    {
        ActivityId = activity.Id;
        Type = activity.Type;
        TypeLabel = typeLabel;
        Outcomes = outcomes;
        Input = AddPort(new InputPort(this));
        foreach (var outcome in outcomes)
        {
            OutcomePorts[outcome] = (OutcomePort)AddPort(new OutcomePort(this, outcome));
        }

        Update(activity, [], ActivityMark.None);
    }

    public string ActivityId { get; }
    public string Type { get; }
    public string TypeLabel { get; }
    public IReadOnlyList<string> Outcomes { get; }
    public PortModel Input { get; }
    public Dictionary<string, OutcomePort> OutcomePorts { get; } = new(StringComparer.Ordinal);
    public string Label { get; private set; } = "";
    public string? Detail { get; private set; }
    public IReadOnlyList<DesignerProblem> Problems { get; private set; } = [];
    public ActivityMark Mark { get; private set; }

    /// <summary>Takes the activity's texts, problems and mark; true when anything shown changed.</summary>
    public bool Update(ActivityDefinition activity, IReadOnlyList<DesignerProblem> problems, ActivityMark mark)
    {
        var label = activity.DisplayName ?? activity.Id;
        var detail = Describe(activity);
        var changed = label != Label || detail != Detail || !problems.SequenceEqual(Problems) || mark != Mark;
        Label = label;
        Detail = detail;
        Problems = problems;
        Mark = mark;
        return changed;
    }

    private static string? Describe(ActivityDefinition activity) => activity.Type switch
    {
        "Consultation" => string.Join(" · ", new[] { activity.GetString("committee"), activity.GetString("role") }.Where(s => s is not null)),
        "Hearing" => activity.GetTextList("committees") is { } committees ? string.Join(", ", committees) : null,
        "OutcomeDecision" => activity.GetString("of") is { } of ? $"nach Ergebnis von '{of}'" : null,
        "Condition" => activity.GetString("expression"),
        "Notify" => activity.GetString("subject"),
        "Wait" => activity.GetString("until") ?? (activity.GetNumber("daysAfterLastMeeting") is { } days ? $"{days} Tage nach der letzten Sitzung" : null),
        _ => null,
    };
}

/// <summary>Where connections arrive; nothing starts here.</summary>
public sealed class InputPort(NodeModel parent) : PortModel(parent.Id + ":in", parent, PortAlignment.Left)
{
    public override bool CanAttachTo(ILinkable other) => false;
}

/// <summary>One outcome of an activity; it may lead to the input of another activity.</summary>
public sealed class OutcomePort(NodeModel parent, string outcome) : PortModel(parent.Id + ":out:" + outcome, parent, PortAlignment.Right)
{
    public string Outcome { get; } = outcome;

    public override bool CanAttachTo(ILinkable other) => other switch
    {
        InputPort input => input.Parent != Parent,
        ActivityNode node => node != Parent,
        _ => false,
    };
}
