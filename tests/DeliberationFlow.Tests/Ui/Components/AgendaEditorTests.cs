using Bunit;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Server.Components.Workspace;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace DeliberationFlow.Tests.Ui.Components;

/// <summary>Ordering the draft agenda (bUnit): moves stay within the public or non-public part, and saving hands over the new order.</summary>
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
            .Add(p => p.Agenda, new AgendaView(Guid.NewGuid(), "FPA", "29.04.2021 15:00", "Invited", true, [OutcomeFormTests.Item("A"), OutcomeFormTests.Item("B")])));

        Assert.Empty(editor.FindAll("button.move-down"));
        Assert.Empty(editor.FindAll("#agenda-save"));
        Assert.Contains("Tagesordnung ist gesperrt", editor.Find("#agenda-locked").TextContent, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _context.DisposeAsync();
}
