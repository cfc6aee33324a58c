using Blazor.Diagrams.Core.Anchors;
using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Bunit;
using DeliberationFlow.Council.Committees;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Server.Components.Studio.Designer;
using DeliberationFlow.Tests.Engine;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace DeliberationFlow.Tests.Studio;

/// <summary>bUnit tests of the designer's components: the canvas kept in step with the state both ways, the property panel, the palette.</summary>
public sealed class DesignerComponentTests : IAsyncDisposable
{
    private static readonly ActivityRegistry Activities = CouncilActivities.Registry();

    private static readonly IReadOnlyList<CommitteeView> Committees =
    [
        new(Guid.NewGuid(), "fpa", "Finanz- und Personalausschuss", "FPA", "Ausschuss", 10, true, 7, 3, 3, 11, 1, 14),
        new(Guid.NewGuid(), "rat", "Rat der Stadt", "Rat", "Parlament", 10, true, 7, 3, 3, 55, 1, 14),
    ];

    private readonly BunitContext _context = new();

    public DesignerComponentTests()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        _context.Services.AddLocalization(options => options.ResourcesPath = "Resources");
        _context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        // The canvas asks the browser for its size and the ports' positions; here every element answers with a fixed box.
        _context.JSInterop.Setup<Rectangle>("ZBlazorDiagrams.getBoundingClientRect", _ => true).SetResult(new Rectangle(0, 0, 1200, 800));
    }

    public ValueTask DisposeAsync() => _context.DisposeAsync();

    private static DesignerState Small() => DesignerState.Load(Activities, LargeWorkflow.Document(rounds: 1)).State!;

    [Fact]
    public void Canvas_DrawsEveryActivityAndConnection_AndFollowsTheStatesCommands()
    {
        var state = Small();
        var cut = _context.Render<DesignerCanvas>(p => p.Add(c => c.State, state));

        Assert.Equal(state.Activities.Count, cut.Instance.NodeCount);
        Assert.Equal(state.Connections.Count, cut.Instance.LinkCount);
        Assert.Equal(state.Activities.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), cut.Find("#designer-canvas").GetAttribute("data-nodes"));

        var wait = state.AddActivity("Wait", 100, 100);
        state.Connect("n0", "Done", wait);
        cut.WaitForAssertion(() => Assert.Equal(state.Activities.Count, cut.Instance.NodeCount));
        Assert.Equal(state.Connections.Count, cut.Instance.LinkCount);
        Assert.Contains(cut.Instance.Diagram.Links, l => l.Target.Model is InputPort { Parent: ActivityNode { ActivityId: var id } } && id == wait);

        state.RemoveActivity("x0");
        cut.WaitForAssertion(() => Assert.DoesNotContain(cut.Instance.Diagram.Nodes, n => n is ActivityNode { ActivityId: "x0" }));
        Assert.Equal(state.Connections.Count, cut.Instance.LinkCount);

        state.Undo();
        state.Undo();
        cut.WaitForAssertion(() => Assert.Contains(cut.Instance.Diagram.Nodes, n => n is ActivityNode { ActivityId: "x0" }));
        Assert.Equal(state.Connections.Count, cut.Instance.LinkCount);
    }

    [Fact]
    public void Canvas_TurnsGesturesIntoCommands_MoveConnectDeleteSelect()
    {
        var state = Small();
        var cut = _context.Render<DesignerCanvas>(p => p.Add(c => c.State, state));
        var diagram = cut.Instance.Diagram;
        ActivityNode Node(string id) => diagram.Nodes.OfType<ActivityNode>().Single(n => n.ActivityId == id);

        // Dragging a node ends with a move.
        var notice = Node("n0");
        notice.SetPosition(480, 260);
        notice.TriggerMoved();
        Assert.Equal((480d, 260d), (state.Find("n0")!.Designer!.X, state.Find("n0")!.Designer!.Y));

        // A link drawn from an outcome port to another step becomes a connection (replacing the port's old one).
        var link = new LinkModel(new SinglePortAnchor(Node("c0").OutcomePorts["Rejected"]), new SinglePortAnchor(Node("end").Input));
        cut.InvokeAsync(() =>
        {
            diagram.Links.Add(link);
            link.TriggerTargetAttached();
        });
        Assert.Equal("end", state.Definition.FindConnection("c0", "Rejected")!.Target);
        cut.WaitForAssertion(() => Assert.Equal(state.Connections.Count, cut.Instance.LinkCount));

        // The Delete key removes the selected node in the diagram: the state removes the step and its connections.
        cut.InvokeAsync(() => diagram.Nodes.Remove(Node("withdraw")));
        Assert.Null(state.Find("withdraw"));
        Assert.DoesNotContain(state.Connections, c => c.Target == "withdraw");

        cut.InvokeAsync(() => diagram.SelectModel(Node("d0"), unselectOthers: true));
        Assert.Equal("d0", state.SelectedActivityId);

        Assert.Equal(3, state.Definition.Activities.Count(a => a.Id is "c0" or "d0" or "n0"));
        state.Undo();
        Assert.NotNull(state.Find("withdraw"));
    }

    [Fact]
    public void Canvas_RefusedConnection_IsReportedAndChangesNothing()
    {
        var state = Small();
        string? error = null;
        var cut = _context.Render<DesignerCanvas>(p => p.Add(c => c.State, state).Add(c => c.OnError, (string message) => error = message));
        var diagram = cut.Instance.Diagram;
        var decision = diagram.Nodes.OfType<ActivityNode>().Single(n => n.ActivityId == "d0");
        var before = state.Definition;

        // The step's ports change under the sketch: its role now offers no "Adopted".
        state.SetText("c0", "role", "Kenntnisnahme");
        var staleConsultation = new ActivityNode(before.GetActivity("c0"), "Beratung", ["Adopted"]);
        var link = new LinkModel(new SinglePortAnchor(staleConsultation.OutcomePorts["Adopted"]), new SinglePortAnchor(decision.Input));
        cut.InvokeAsync(() =>
        {
            diagram.Links.Add(link);
            link.TriggerTargetAttached();
        });

        cut.WaitForAssertion(() => Assert.Contains("keinen Ausgang 'Adopted'", error, StringComparison.Ordinal));
        Assert.Equal("d0", state.Definition.FindConnection("c0", "Adopted")!.Target);
    }

    [Fact]
    public void Canvas_MarksDoneAndCurrentSteps_ForTheInstancePage()
    {
        var state = Small();
        var marks = new Dictionary<string, ActivityMark> { ["start"] = ActivityMark.Done, ["c0"] = ActivityMark.Current };

        var cut = _context.Render<DesignerCanvas>(p => p.Add(c => c.State, state).Add(c => c.ReadOnly, true).Add(c => c.Marks, marks));

        var nodes = cut.Instance.Diagram.Nodes.OfType<ActivityNode>().ToDictionary(n => n.ActivityId);
        Assert.Equal(ActivityMark.Done, nodes["start"].Mark);
        Assert.Equal(ActivityMark.Current, nodes["c0"].Mark);
        Assert.True(nodes["c0"].Locked);
        Assert.Contains("df-readonly", cut.Find("#designer-canvas").ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public void PropertyPanel_ShowsEachProblemAtItsField_AndEditsTheState()
    {
        var state = Small();
        state.SetText("c0", "committee", null);
        state.Disconnect("c0", "Rejected");
        state.Validate(LargeWorkflow.Context());
        state.Select("c0");

        var cut = _context.Render<PropertyPanel>(p => p.Add(c => c.State, state).Add(c => c.Committees, Committees));

        var committeeField = cut.Find(".df-field[data-property=committee]");
        Assert.Contains("Set 'committee'", committeeField.TextContent, StringComparison.Ordinal);
        Assert.Contains("Outcome 'Rejected' of 'c0' has no connection", cut.Find("#property-panel").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("has no connection", committeeField.TextContent, StringComparison.Ordinal);
        Assert.Equal(4, cut.FindAll(".df-port-select").Count);

        cut.Find("#prop-displayName").Change("Finanzausschuss");
        Assert.Equal("Finanzausschuss", state.Find("c0")!.DisplayName);
        cut.Find("#prop-id").Change("fpa-beratung");
        Assert.Equal("fpa-beratung", state.Definition.FindConnection("start", "Done")!.Target);
        Assert.Equal("fpa-beratung", state.Find("d0")!.GetString("of"));
    }

    [Fact]
    public void PropertyPanel_WithoutSelection_EditsTheWorkflowAndShowsItsGeneralProblems()
    {
        var state = Small();
        state.RemoveActivity("start");
        state.Validate(LargeWorkflow.Context());

        var cut = _context.Render<PropertyPanel>(p => p.Add(c => c.State, state).Add(c => c.Committees, Committees));

        Assert.Contains(cut.FindAll(".df-general-problem"), e => e.TextContent.Contains("'Start'", StringComparison.Ordinal));
        cut.Find("#prop-name").Change("Neuer Name");
        Assert.Equal("Neuer Name", state.Definition.Name);
    }

    [Fact]
    public void Palette_ClickPlacesTheItemNextToTheSelection_AndDeferralOnlyExplains()
    {
        var state = Small();
        state.Select("c0");
        var cut = _context.Render<ActivityPalette>(p => p.Add(c => c.State, state));

        cut.Find("#palette-decision").Click();

        var added = state.SelectedActivity!;
        Assert.Equal("Consultation", added.Type);
        Assert.Equal("Entscheidung", added.GetString("role"));
        Assert.True(added.Designer!.X > (state.Find("c0")!.Designer?.X ?? 0));
        Assert.Null(cut.Find("#palette-deferral").GetAttribute("draggable"));
        Assert.Contains("vertagt", cut.Find("#palette-deferral").TextContent, StringComparison.Ordinal);
    }
}
