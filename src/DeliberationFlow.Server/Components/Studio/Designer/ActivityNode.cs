using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Core.Models.Base;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Server.Web;

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
    public string? Detail => DetailText?.ToString();

    /// <summary>The line under the label (committee and role, the condition …), for the widget to show in the UI language.</summary>
    public UiText? DetailText { get; private set; }
    public IReadOnlyList<DesignerProblem> Problems { get; private set; } = [];
    public ActivityMark Mark { get; private set; }

    /// <summary>Takes the activity's texts, problems and mark; true when anything shown changed.</summary>
    public bool Update(ActivityDefinition activity, IReadOnlyList<DesignerProblem> problems, ActivityMark mark)
    {
        var label = activity.DisplayName ?? activity.Id;
        var detail = Describe(activity);
        var changed = label != Label || detail?.ToString() != Detail || !problems.SequenceEqual(Problems) || mark != Mark;
        Label = label;
        DetailText = detail;
        Problems = problems;
        Mark = mark;
        return changed;
    }

    // Keys, expressions and subjects are shown as written (Verbatim); the role is a word of the UI and is translated.
    private static UiText? Describe(ActivityDefinition activity) => activity.Type switch
    {
        "Consultation" => (activity.GetString("committee"), activity.GetString("role")) switch
        {
            ({ } committee, { } role) => new UiText("{0} · {1}", new Verbatim(committee), role),
            ({ } committee, null) => Plain(committee),
            (null, { } role) => new UiText("{0}", role),
            _ => null,
        },
        "Hearing" => activity.GetTextList("committees") is { } committees ? Plain(string.Join(", ", committees)) : null,
        "OutcomeDecision" => activity.GetString("of") is { } of ? new UiText("nach Ergebnis von '{0}'", new Verbatim(of)) : null,
        "Condition" => activity.GetString("expression") is { } expression ? Plain(expression) : null,
        "Notify" => activity.GetString("subject") is { } subject ? Plain(subject) : null,
        "Wait" => activity.GetString("until") is { } until ? Plain(until)
            : activity.GetNumber("daysAfterLastMeeting") is { } days ? new UiText("{0} Tage nach der letzten Sitzung", days) : null,
        _ => null,
    };

    private static UiText Plain(string text) => new("{0}", new Verbatim(text));
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
