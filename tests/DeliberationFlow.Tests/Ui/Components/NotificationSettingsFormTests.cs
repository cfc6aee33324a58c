using Bunit;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Server.Components.Portal;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace DeliberationFlow.Tests.Ui.Components;

/// <summary>The portal's notification settings form (bUnit): ticks for what is received, opt-outs in the request, mandatory kinds fixed.</summary>
public sealed class NotificationSettingsFormTests : IAsyncDisposable
{
    private static readonly PreferencesView Saved = new(
        "de", false, ["deferral-notice"],
        ["reminder", "outcome-notice", "deferral-notice", "referral-notice"],
        ["invitation", "meeting-change", "escalation"]);

    private readonly BunitContext _context = new();

    public NotificationSettingsFormTests()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        _context.Services.AddLocalization(options => options.ResourcesPath = "Resources");
        _context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void SavedOptOuts_ShowUnticked_AndMandatoryKinds_TickedAndDisabled()
    {
        var form = Render(new NotificationSettingsModel(Saved), _ => { });

        Assert.False(form.Find("[data-kind='deferral-notice'] input").HasAttribute("checked"));
        Assert.True(form.Find("[data-kind='reminder'] input").HasAttribute("checked"));
        foreach (var kind in Saved.MandatoryKinds)
        {
            var box = form.Find($"[data-kind='{kind}'] input");
            Assert.True(box.HasAttribute("checked"), kind);
            Assert.True(box.HasAttribute("disabled"), kind);
        }

        Assert.Contains("lassen sich nicht abbestellen", form.Find("#mandatory-reason").TextContent);
    }

    [Fact]
    public void Unticking_AndTicking_SendsTheOptOuts_WithLanguageAndDigest()
    {
        SavePreferencesRequest? sent = null;
        var model = new NotificationSettingsModel(Saved);
        var form = Render(model, request => sent = request);

        form.Find("[data-kind='reminder'] input").Change(false);
        form.Find("[data-kind='deferral-notice'] input").Change(true);
        form.Find("#digest input").Change(true);
        model.Language = "en";
        form.Find("form").Submit();

        Assert.NotNull(sent);
        Assert.Equal("en", sent.Language);
        Assert.True(sent.Digest);
        Assert.Equal(["reminder"], sent.OptOut);
    }

    [Fact]
    public void MandatoryKinds_AreNeverSentAsOptOuts()
    {
        var model = new NotificationSettingsModel(Saved);
        model.SetReceives("invitation", false);
        model.SetReceives("outcome-notice", false);

        Assert.True(model.Receives("invitation"));
        Assert.Equal(["outcome-notice", "deferral-notice"], model.ToRequest().OptOut);
    }

    private IRenderedComponent<NotificationSettingsForm> Render(NotificationSettingsModel model, Action<SavePreferencesRequest> onSave) =>
        _context.Render<NotificationSettingsForm>(parameters => parameters
            .Add(p => p.Model, model)
            .Add(p => p.OnSave, EventCallback.Factory.Create(this, onSave)));

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
