using Bunit;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Server.Components.Workspace;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace DeliberationFlow.Tests.Ui.Components;

/// <summary>
/// The draft agenda editor (bUnit): moves stay within the public or non-public part and saving hands over the new
/// order; items are withdrawn and added from the picker (past the Vorlagenfrist only as a Nachtrag); a fixed agenda
/// offers nothing but opening it again, and one locked by the invitation not even that.
/// </summary>
public sealed class AgendaEditorTests : IAsyncDisposable
{
    private readonly BunitContext _context = new();

    public AgendaEditorTests()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        _context.Services.AddLocalization(options => options.ResourcesPath = "Resources");
        _context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void MovingAnItemDown_RenumbersThePart_AndSaveHandsOverTheNewOrder()
    {
        var (a, b, c, n) = (OutcomeFormTests.Item("A"), OutcomeFormTests.Item("B"), OutcomeFormTests.Item("C"), OutcomeFormTests.Item("N", isPublic: false));
        ReorderAgendaRequest? saved = null;
        var editor = _context.Render<AgendaEditor>(parameters => parameters
            .Add(p => p.Agenda, new AgendaView(Guid.NewGuid(), "FPA", "29.04.2021 15:00", "Scheduled", false, [a, b, c, n]))
            .Add(p => p.Save, (ReorderAgendaRequest request) => saved = request));
        Assert.True(editor.Find("#agenda-save").HasAttribute("disabled"));

        editor.FindAll("button.move-down")[0].Click();

        Assert.Equal(["Ö 1", "Ö 2", "Ö 3", "N 1"], editor.FindAll(".agenda-number").Select(e => e.TextContent));
        Assert.Equal(["B", "A", "C", "N"], editor.FindAll("tbody tr").Select(r => r.QuerySelector("a")!.TextContent));
        editor.Find("#agenda-save").Click();
        Assert.Equal([b.ConsultationId, a.ConsultationId, c.ConsultationId, n.ConsultationId], saved!.ConsultationIds);
    }

    [Fact]
    public void PublicAndNonPublicParts_DoNotMix_AndLateAdditionsStayLast()
    {
        var (a, late, n) = (OutcomeFormTests.Item("A"), OutcomeFormTests.Item("L", late: true), OutcomeFormTests.Item("N", isPublic: false));
        var order = new AgendaOrder([a, late, n]);

        Assert.False(order.CanMoveUp(n));
        Assert.False(order.CanMoveDown(a));
        Assert.False(order.CanMoveUp(late));
        order.MoveUp(n);
        Assert.False(order.Changed);
        Assert.Equal("N 1", order.NumberOf(n));
    }

    [Fact]
    public void LockedAgenda_OffersNoMoves_AndSaysWhy()
    {
        var editor = _context.Render<AgendaEditor>(parameters => parameters
            .Add(p => p.Agenda, new AgendaView(Guid.NewGuid(), "FPA", "29.04.2021 15:00", "Invited", true, [OutcomeFormTests.Item("A"), OutcomeFormTests.Item("B")], Invited: true))
            .Add(p => p.Candidates, [Candidate("21-1")]));

        Assert.Empty(editor.FindAll("button.move-down"));
        Assert.Empty(editor.FindAll("button.withdraw"));
        Assert.Empty(editor.FindAll("#agenda-save"));
        Assert.Empty(editor.FindAll("#agenda-add"));
        Assert.Empty(editor.FindAll("#agenda-unlock"));
        Assert.Contains("Tagesordnung ist gesperrt", editor.Find("#agenda-locked").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void FixedAgenda_SaysWhoFixedIt_AndOffersOnlyToOpenItAgain()
    {
        bool? locked = null;
        var editor = _context.Render<AgendaEditor>(parameters => parameters
            .Add(p => p.Agenda, new AgendaView(Guid.NewGuid(), "FPA", "29.04.2021 15:00", "Scheduled", true, [OutcomeFormTests.Item("A")], "12.04.2021 10:30", "sekretariat-fpa"))
            .Add(p => p.Lock, (bool value) => locked = value));

        Assert.Contains("festgeschrieben (am 12.04.2021 10:30 von sekretariat-fpa)", editor.Find("#agenda-locked").TextContent, StringComparison.Ordinal);
        Assert.Empty(editor.FindAll("button.withdraw"));
        Assert.Empty(editor.FindAll("#agenda-lock"));
        Assert.Empty(editor.FindAll("#agenda-add"));
        editor.Find("#agenda-unlock").Click();
        Assert.False(locked);
    }

    [Fact]
    public void DraftAgenda_WithdrawsAnItem_AndIsFixedOnlyWithTheOrderSaved()
    {
        var (a, b) = (OutcomeFormTests.Item("A"), OutcomeFormTests.Item("B"));
        Guid? withdrawn = null;
        bool? locked = null;
        var editor = _context.Render<AgendaEditor>(parameters => parameters
            .Add(p => p.Agenda, new AgendaView(Guid.NewGuid(), "FPA", "29.04.2021 15:00", "Scheduled", false, [a, b]))
            .Add(p => p.Withdraw, (Guid id) => withdrawn = id)
            .Add(p => p.Lock, (bool value) => locked = value));
        Assert.Empty(editor.FindAll("#agenda-locked"));

        editor.FindAll("button.withdraw")[1].Click();
        Assert.Equal(b.ConsultationId, withdrawn);
        editor.Find("#agenda-lock").Click();
        Assert.True(locked);

        // An unsaved order would be lost: withdrawing and fixing wait until it is saved.
        editor.FindAll("button.move-down")[0].Click();
        Assert.True(editor.Find("#agenda-lock").HasAttribute("disabled"));
        Assert.All(editor.FindAll("button.withdraw"), button => Assert.True(button.HasAttribute("disabled")));
        Assert.Contains("Erst die Reihenfolge speichern", editor.Find("#agenda-unsaved").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void EditorWithoutCandidates_SaysSo_AndWithCandidatesOffersThePicker()
    {
        var agenda = new AgendaView(Guid.NewGuid(), "FPA", "29.04.2021 15:00", "Scheduled", false, [OutcomeFormTests.Item("A")]);
        var empty = _context.Render<AgendaEditor>(parameters => parameters.Add(p => p.Agenda, agenda));
        Assert.Contains("Keine Vorlage des Gremiums wartet", empty.Find("#no-candidates").TextContent, StringComparison.Ordinal);

        var offered = _context.Render<AgendaEditor>(parameters => parameters.Add(p => p.Agenda, agenda).Add(p => p.Candidates, [Candidate("21-1")]));
        Assert.Single(offered.FindAll("#candidate-select"));
        Assert.True(offered.Find("#agenda-add-button").HasAttribute("disabled"));
    }

    [Fact]
    public void Picker_AddsAPaperPastTheVorlagenfrist_OnlyAsNachtrag_AndNeverOneWhoseEarlierStepComesLater()
    {
        var (inTime, late, blocked) = (Candidate("21-1"), Candidate("21-2", deadlineMissed: true), Candidate("21-3", earlierStepAfter: "Verwaltungsausschuss (Vorberatung), 04.05.2021 15:00"));
        var picker = new AgendaPicker([inTime, late, blocked]);
        Assert.Null(picker.ToRequest());

        picker.Select(inTime.ConsultationId);
        Assert.Equal(new AddAgendaItemRequest(inTime.ConsultationId, false), picker.ToRequest());

        picker.Select(late.ConsultationId);
        Assert.True(picker.NeedsLateAddition);
        Assert.False(picker.CanAdd);
        picker.LateAddition = true;
        Assert.Equal(new AddAgendaItemRequest(late.ConsultationId, true), picker.ToRequest());

        // Choosing another paper asks again; a paper whose earlier step is still ahead cannot be added at all.
        picker.Select(blocked.ConsultationId);
        Assert.False(picker.LateAddition);
        Assert.Null(picker.ToRequest());
        picker.Select(Guid.NewGuid());
        Assert.Null(picker.Selected);
    }

    private static AgendaCandidate Candidate(string reference, bool deadlineMissed = false, string? earlierStepAfter = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), reference, $"Vorlage {reference}", "Vorberatung", "10.06.2021 15:00", "15.04.2021 15:00", deadlineMissed, earlierStepAfter);

    public ValueTask DisposeAsync() => _context.DisposeAsync();
}
