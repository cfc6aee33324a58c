using Bunit;
using DeliberationFlow.Council.Committees;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Server.Components.Workspace;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace DeliberationFlow.Tests.Ui.Components;

/// <summary>The outcome form of one agenda item (bUnit): quick choices, wording, tally, referral, and the request it builds.</summary>
public sealed class OutcomeFormTests : IAsyncDisposable
{
    private static readonly CommitteeView Plua = new(Guid.NewGuid(), "plua", "Planungs- und Umweltausschuss", "PlUA", "Ausschuss", 10, true, 7, 3, 3, 11, 1, 14);
    private readonly BunitContext _context = new();

    public OutcomeFormTests()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        _context.Services.AddLocalization(options => options.ResourcesPath = "Resources");
        _context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void QuickChoice_AndTally_BuildTheRequest_WithAUnanimousVote()
    {
        var entry = new OutcomeEntry(Item("21-60001"));
        var form = Render(entry);

        form.Find("button[data-outcome='Adopted']").Click();
        form.Find(".votes-for input").Input("9");
        form.Find(".votes-against input").Input("0");
        form.Find(".resolution-text textarea").Change("Der Rat beschließt.");

        Assert.Equal((Outcome.Adopted, "beschlossen"), (entry.Outcome, entry.ResultText));
        Assert.Equal("9 Ja, 0 Nein, 0 Enthaltungen – einstimmig", form.Find(".tally").TextContent);
        Assert.Empty(entry.Problems());
        var request = entry.ToRequest();
        Assert.Equal(("Adopted", "beschlossen", "Der Rat beschließt.", (int?)9, (int?)0, (int?)0, (string?)null),
            (request.Outcome, request.ResultText, request.ResolutionText, request.VotesFor, request.VotesAgainst, request.Abstentions, request.ReferTo));
    }

    [Fact]
    public void TypedWording_IsRecognised_AndOverridesAContradictingQuickChoice()
    {
        var entry = new OutcomeEntry(Item("21-60001"));
        var form = Render(entry);
        form.Find("button[data-outcome='Adopted']").Click();

        form.Find(".result-text input").Input("mehrheitlich abgelehnt");

        Assert.Null(entry.Outcome);
        Assert.Equal(Outcome.Rejected, entry.EffectiveOutcome);
        Assert.Contains("erkannt: abgelehnt", form.Markup, StringComparison.Ordinal);
        Assert.Equal(("Rejected", "mehrheitlich abgelehnt"), (entry.ToRequest().Outcome, entry.ToRequest().ResultText));
    }

    [Fact]
    public void UnknownWording_AndReferralWithoutCommittee_AreExplained_BeforeAnythingIsSent()
    {
        var entry = new OutcomeEntry(Item("21-60001"));
        var form = Render(entry);

        form.Find(".result-text input").Input("in die Fraktionen");
        Assert.Contains("keine bekannte Formulierung", form.Find(".outcome-problem").TextContent, StringComparison.Ordinal);

        form.Find("button[data-outcome='Referred']").Click();
        Assert.Equal("Bitte das Gremium wählen, an das die Vorlage verwiesen wird.", form.Find(".outcome-problem").TextContent);
        Assert.NotNull(form.Find(".refer-to"));

        entry.Refer(Plua.Key);
        Assert.Empty(entry.Problems());
        Assert.Equal(("Referred", "plua"), (entry.ToRequest().Outcome, entry.ToRequest().ReferTo));
    }

    [Fact]
    public void Defer_FillsTheWording_AndVotesWithoutYesAreRefused()
    {
        var entry = new OutcomeEntry(Item("21-60001"));
        entry.Defer();
        Assert.Equal((Outcome.Deferred, "vertagt"), (entry.Outcome, entry.ResultText));

        entry.VotesAgainst = 3;
        Assert.Equal(["Bitte auch die Ja-Stimmen angeben."], entry.Problems());
    }

    [Fact]
    public void RecordedItem_ShowsItsStatus_AndOffersNoInput()
    {
        var entry = new OutcomeEntry(Item("21-15813", status: "Erledigt"));
        var form = Render(entry);

        Assert.False(entry.IsOpen);
        Assert.Equal("Erledigt", form.Find(".status-chip").TextContent.Trim());
        Assert.Empty(form.FindAll("button[data-outcome]"));
    }

    [Fact]
    public void EachEntry_HasItsOwnIdempotencyKey_KeptAcrossSaves()
    {
        var item = Item("21-60001");
        var entry = new OutcomeEntry(item);
        var key = entry.IdempotencyKey;
        entry.Choose(Outcome.Adopted);
        _ = entry.ToRequest();

        Assert.Equal(key, entry.IdempotencyKey);
        Assert.NotEqual(key, new OutcomeEntry(item).IdempotencyKey);
    }

    [Fact]
    public void BeforeTheMeetingBegins_OnlyAWithdrawalOrRemoval_CanBeSaved_AndTheFormSaysSo()
    {
        var entry = new OutcomeEntry(Item("21-60001")) { MeetingBegun = false };
        var form = Render(entry);

        form.Find("button[data-outcome='Adopted']").Click();

        Assert.Equal("Die Sitzung hat noch nicht begonnen: vor ihrem Beginn lässt sich nur „zurückgezogen“ oder „abgesetzt“ erfassen.",
            form.Find(".outcome-problem").TextContent);
        Assert.NotEmpty(entry.Problems());

        form.Find("button[data-outcome='Withdrawn']").Click();

        Assert.Empty(form.FindAll(".outcome-problem"));
        Assert.Equal("Withdrawn", entry.ToRequest().Outcome);
    }

    private IRenderedComponent<OutcomeForm> Render(OutcomeEntry entry) =>
        _context.Render<OutcomeForm>(parameters => parameters
            .Add(p => p.Entry, entry)
            .Add(p => p.ReferralTargets, [Plua]));

    internal static AgendaItemView Item(string reference, string status = "Geplant", bool isPublic = true, bool late = false) =>
        new(isPublic ? "Ö 1" : "N 1", isPublic, Guid.NewGuid(), Guid.NewGuid(), reference, $"Vorlage {reference}", "Vorberatung", status, late, false);

    public ValueTask DisposeAsync() => _context.DisposeAsync();
}
