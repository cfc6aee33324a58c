using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Server.Components.Studio.Designer;
using DeliberationFlow.Tests.Engine;

namespace DeliberationFlow.Tests.Studio;

public sealed class DefinitionDiffTests
{
    private static readonly ActivityRegistry Activities = CouncilActivities.Registry();

    [Fact]
    public void Compare_NamesEachChangeInCouncilTerms_AndSumsUpMoves()
    {
        var state = DesignerState.Load(Activities, LargeWorkflow.Document(rounds: 2)).State!;
        var older = state.Definition;
        state.SetText("c0", "committee", "va");
        state.SetDisplayName("c1", null);
        var wait = state.AddActivity("Wait", 0, 0);
        state.SetNumber(wait, "daysAfterLastMeeting", 90);
        state.Connect("n0", "Done", wait);
        state.Connect(wait, "Done", "x0");
        state.RemoveActivity("withdraw");
        state.MoveActivity("c0", 500, 500);
        state.MoveActivity("d0", 500, 600);

        var lines = DefinitionDiff.Compare(older, state.Definition);

        Assert.Contains(new DiffLine(DiffKind.Changed, "Schritt 'c0': 'committee': „fpa“ → „va“"), lines);
        Assert.Contains(new DiffLine(DiffKind.Changed, "Schritt 'c1': Bezeichnung „Beratung 2“ → „–“"), lines);
        Assert.Contains(new DiffLine(DiffKind.Added, "Schritt hinzugefügt: 'wait-1' (Wait)"), lines);
        Assert.Contains(new DiffLine(DiffKind.Removed, "Schritt entfernt: 'withdraw' (Withdraw)"), lines);
        Assert.Contains(new DiffLine(DiffKind.Changed, "Verbindung umgelegt: 'n0' (Done) → 'x0' wird → 'wait-1'"), lines);
        Assert.Contains(new DiffLine(DiffKind.Added, "Verbindung hinzugefügt: 'wait-1' (Done) → 'x0'"), lines);
        Assert.Contains(new DiffLine(DiffKind.Removed, "Verbindung entfernt: 'c0' (Withdrawn) → 'withdraw'"), lines);
        Assert.Contains(new DiffLine(DiffKind.Changed, "2 Schritte im Diagramm verschoben"), lines);
        Assert.Contains(new DiffLine(DiffKind.Removed, "Verbindung entfernt: 'withdraw' (Done) → 'end'"), lines);
        Assert.Equal(10, lines.Count);
    }

    [Fact]
    public void Compare_OfAVersionWithItself_IsEmpty()
    {
        var definition = WorkflowDefinitionReader.Read(LargeWorkflow.Document(rounds: 3)).Definition!;

        Assert.Empty(DefinitionDiff.Compare(definition, definition with { Version = 2, State = DefinitionState.Published }));
    }
}
