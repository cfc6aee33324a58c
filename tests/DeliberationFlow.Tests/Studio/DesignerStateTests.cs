using System.Text.Json;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Server.Components.Studio.Designer;
using DeliberationFlow.Tests.Engine;

namespace DeliberationFlow.Tests.Studio;

public sealed class DesignerStateTests
{
    private static readonly ActivityRegistry Activities = CouncilActivities.Registry();

    private const string Small = """
        { "definitionId": "klein", "version": 1, "name": "Klein", "state": "draft",
          "activities": [
            { "id": "start", "type": "Start", "designer": { "x": 0, "y": 0 } },
            { "id": "fpa", "type": "Consultation", "properties": { "committee": "fpa", "role": "Vorberatung" }, "designer": { "x": 200, "y": 0 } },
            { "id": "end", "type": "End", "designer": { "x": 400, "y": 0 } } ],
          "connections": [
            { "source": "start", "outcome": "Done", "target": "fpa" },
            { "source": "fpa", "outcome": "Adopted", "target": "end" },
            { "source": "fpa", "outcome": "AdoptedAmended", "target": "end" },
            { "source": "fpa", "outcome": "Rejected", "target": "end" },
            { "source": "fpa", "outcome": "Withdrawn", "target": "end" } ] }
        """;

    private static DesignerState Open(string json = Small) => DesignerState.Load(Activities, json).State!;

    [Fact]
    public void Load_ReportsReadProblemsWithTheirPaths_InsteadOfAState()
    {
        var result = DesignerState.Load(Activities, """{ "definitionId": "x", "version": 1, "name": "X", "activities": [ { "id": "a" } ] }""");

        Assert.Null(result.State);
        Assert.Equal("$.activities[0].type", Assert.Single(result.Problems).Path);
    }

    [Fact]
    public void OutcomesOf_FollowsTheEngine_AndChangesWithTheActivitysProperties()
    {
        var state = Open();

        Assert.Equal(["Adopted", "AdoptedAmended", "Rejected", "Withdrawn"], state.OutcomesOf("fpa"));
        state.SetText("fpa", "role", "Kenntnisnahme");
        Assert.Equal(["Noted", "Withdrawn"], state.OutcomesOf("fpa"));
        Assert.Equal(["Adopted", "AdoptedAmended", "Rejected"], state.DanglingConnections("fpa").Select(c => c.Outcome).Order(StringComparer.Ordinal));
        Assert.Empty(state.OutcomesOf("end"));
        var condition = state.AddActivity("Condition", 0, 0);
        Assert.Equal(["True", "False"], state.OutcomesOf(condition));
    }

    [Fact]
    public void AddConnectAndRemove_KeepTheGraphConsistent()
    {
        var state = Open();
        var decision = state.AddActivity("OutcomeDecision", 300, 100, new Dictionary<string, JsonElement> { ["of"] = JsonSerializer.SerializeToElement("fpa") });

        Assert.Equal("outcomedecision-1", decision);
        Assert.Equal(decision, state.SelectedActivityId);
        state.Connect("fpa", "Adopted", decision);
        Assert.Equal(decision, state.Definition.FindConnection("fpa", "Adopted")!.Target);
        Assert.Single(state.Connections, c => c.Source == "fpa" && c.Outcome == "Adopted");

        state.RemoveActivity(decision);
        Assert.Null(state.Find(decision));
        Assert.Null(state.Definition.FindConnection("fpa", "Adopted"));
        Assert.Null(state.SelectedActivityId);
    }

    [Fact]
    public void Connect_RefusesAPortTheActivityDoesNotHave_SayingWhichItHas()
    {
        var state = Open();

        var error = Assert.Throws<DesignerCommandException>(() => state.Connect("fpa", "vertagt", "end"));
        Assert.Contains("Adopted, AdoptedAmended, Rejected, Withdrawn", error.Message, StringComparison.Ordinal);
        Assert.Throws<DesignerCommandException>(() => state.Connect("end", "Done", "fpa"));
        Assert.Throws<DesignerCommandException>(() => state.AddActivity("Voting", 0, 0));
        Assert.False(state.CanUndo);
    }

    [Fact]
    public void UndoAndRedo_RestoreEachStepExactly()
    {
        var state = Open();
        var original = state.Definition;

        state.MoveActivity("fpa", 250, 40);
        state.SetText("fpa", "committee", "va");
        state.Disconnect("fpa", "Rejected");
        Assert.True(state.IsDirty);
        Assert.Equal("Verbindung 'fpa' (Rejected) gelöst", state.UndoLabel);

        state.Undo();
        Assert.NotNull(state.Definition.FindConnection("fpa", "Rejected"));
        Assert.Equal("va", state.Find("fpa")!.GetString("committee"));
        state.Undo();
        state.Undo();
        Assert.Same(original, state.Definition);
        Assert.False(state.CanUndo);
        Assert.False(state.IsDirty);

        state.Redo();
        state.Redo();
        Assert.Equal(new DesignerPosition(250, 40), state.Find("fpa")!.Designer);
        Assert.Equal("va", state.Find("fpa")!.GetString("committee"));
        Assert.True(state.CanRedo);

        state.SetDisplayName("fpa", "Finanzausschuss");
        Assert.False(state.CanRedo);
    }

    [Fact]
    public void SettingAnEmptyValue_RemovesTheProperty_AndUnchangedValuesAreNoCommand()
    {
        var state = Open();

        state.SetText("fpa", "committee", "fpa");
        Assert.False(state.CanUndo);
        state.SetTextList("fpa", "outcomes", ["Adopted", " ", "Rejected"]);
        Assert.Equal(["Adopted", "Rejected"], state.Find("fpa")!.GetTextList("outcomes"));
        state.SetTextList("fpa", "outcomes", []);
        Assert.False(state.Find("fpa")!.Properties.ContainsKey("outcomes"));
        state.SetBoolean("fpa", "reminder", false);
        Assert.False(state.Find("fpa")!.GetBoolean("reminder"));
    }

    [Fact]
    public void Rename_CarriesConnectionsAndDecisionsThatReferToTheActivity()
    {
        var state = Open();
        var decision = state.AddActivity("OutcomeDecision", 0, 0, new Dictionary<string, JsonElement> { ["of"] = JsonSerializer.SerializeToElement("fpa") });

        state.RenameActivity("fpa", "finanzausschuss");

        Assert.Null(state.Find("fpa"));
        Assert.Equal("finanzausschuss", state.Find(decision)!.GetString("of"));
        Assert.Equal("finanzausschuss", state.Definition.FindConnection("start", "Done")!.Target);
        Assert.Equal(4, state.Connections.Count(c => c.Source == "finanzausschuss"));
        Assert.Throws<DesignerCommandException>(() => state.RenameActivity("finanzausschuss", "end"));
    }

    [Fact]
    public void Validate_PlacesEachProblemOnTheActivityAndPortItConcerns()
    {
        var state = Open();
        var decision = state.AddActivity("OutcomeDecision", 0, 0);
        state.Connect("fpa", "Adopted", decision);
        state.SetText("fpa", "committee", "gibt-es-nicht");

        var validation = state.Validate(LargeWorkflow.Context());

        Assert.False(validation.IsValid);
        Assert.Contains(validation.For(decision), p => p.Property == "of");
        Assert.Contains(validation.For(decision), p => p.Message.Contains("'Adopted' of 'outcomedecision-1' has no connection", StringComparison.Ordinal));
        Assert.Contains(validation.For("fpa"), p => p.Message.Contains("no committee 'gibt-es-nicht'", StringComparison.Ordinal));
        Assert.Empty(validation.For("start"));
        Assert.Empty(validation.General);

        state.RemoveActivity("end");
        Assert.Null(state.Validation);
        validation = state.Validate(LargeWorkflow.Context());
        Assert.Contains(validation.General, p => p.Path == "$.activities" && p.Message.Contains("'End'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_PlacesAConnectionProblemOnTheActivityItLeaves()
    {
        var definition = WorkflowDefinitionReader.Read(Small).Definition!;
        var broken = definition with { Connections = [.. definition.Connections, new Connection("fpa", "Approved", "end")] };
        var state = new DesignerState(Activities, broken);

        var validation = state.Validate(DefinitionValidationContext.Empty);

        var problem = Assert.Single(validation.All, p => p.Path == "$.connections[5].outcome");
        Assert.Equal("fpa", problem.ActivityId);
        Assert.Equal("Approved", problem.Outcome);
    }

    [Fact]
    public void AutoLayout_PlacesTheFlowInLayersLeftToRight_AndIsOneUndoableStep()
    {
        var state = Open();
        var hearing = state.AddActivity("Hearing", 999, 999);
        state.Connect("start", "Done", hearing);
        state.Connect(hearing, "Done", "fpa");
        // A loop back to the start of the flow must not send the layout round in circles.
        state.Connect("fpa", "Rejected", hearing);
        var before = state.Definition;

        state.AutoLayout();

        var x = state.Activities.ToDictionary(a => a.Id, a => a.Designer!.X);
        Assert.True(x["start"] < x[hearing]);
        Assert.True(x[hearing] < x["fpa"]);
        Assert.True(x["fpa"] < x["end"]);
        Assert.Equal(3, state.Activities.Select(a => a.Designer!.Y).Distinct().Count() + 2);
        state.Undo();
        Assert.Same(before, state.Definition);
        state.Redo();
        state.AutoLayout();
        Assert.Equal(x, state.Activities.ToDictionary(a => a.Id, a => a.Designer!.X));
    }

    [Fact]
    public void AutoLayout_SpreadsBranchesOverRows()
    {
        var state = Open(LargeWorkflow.Document(rounds: 2));

        state.AutoLayout();

        var positions = state.Activities.Select(a => (a.Designer!.X, a.Designer.Y)).ToList();
        Assert.Equal(positions.Count, positions.Distinct().Count());
    }

    [Fact]
    public void ArrangeUnplaced_PlacesOnlyActivitiesWithoutPosition_AsNoEdit()
    {
        var state = Open(LargeWorkflow.Document(rounds: 2));

        Assert.True(state.ArrangeUnplaced());

        Assert.All(state.Activities, a => Assert.NotNull(a.Designer));
        Assert.False(state.IsDirty);
        Assert.False(state.CanUndo);
        Assert.False(state.ArrangeUnplaced());
        Assert.False(Open().ArrangeUnplaced());
    }

    [Fact]
    public void ToJson_WritesADocumentTheEngineReadsBack_WithTheEdits()
    {
        var state = Open();
        state.SetInfo("Kleiner Ablauf", "Zum Testen");
        state.MoveActivity("fpa", 321, 123);

        var read = WorkflowDefinitionReader.Read(state.ToJson());

        Assert.Empty(read.Problems);
        Assert.Equal("Kleiner Ablauf", read.Definition!.Name);
        Assert.Equal(new DesignerPosition(321, 123), read.Definition.GetActivity("fpa").Designer);
        Assert.Equal(state.Connections, read.Definition.Connections);
        state.MarkSaved(2, DefinitionState.Draft);
        Assert.False(state.IsDirty);
        Assert.Equal(2, state.Definition.Version);
    }

    [Fact]
    public void Palette_OffersOnlyActivitiesTheEngineCanRun()
    {
        var types = Activities.Descriptors.Select(d => d.Type).ToHashSet(StringComparer.Ordinal);

        Assert.All(StudioPalette.Items.Where(i => i.CanAdd), i => Assert.Contains(i.Type!, types));
        Assert.Contains(StudioPalette.Items, i => i.Key == "deferral" && !i.CanAdd);
        var state = Open();
        var decision = StudioPalette.Find("decision")!;
        var id = state.AddActivity(decision.Type!, 0, 0, decision.Preset);
        Assert.Equal("Entscheidung", state.Find(id)!.GetString("role"));
        Assert.True(state.Find(id)!.GetBoolean("authoritative"));
    }

    [Fact]
    public void HundredActivities_OpenAndEditAtLength_StayValidAndWhole()
    {
        // How fast this is belongs to the benchmark program (its "studio designer" line), not to a timed test.
        var document = LargeWorkflow.Document();

        var result = LargeWorkflow.Session(Activities, document);

        Assert.Equal(100, WorkflowDefinitionReader.Read(document).Definition!.Activities.Count);
        Assert.Equal(0, result.ProblemsAtOpen);
        Assert.Equal(0, result.ProblemsAtEnd);
        Assert.Equal(101, result.Activities);
    }
}
