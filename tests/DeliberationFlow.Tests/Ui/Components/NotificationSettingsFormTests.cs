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
        "de", false, false, ["deferral-notice"],
        ["reminder", "outcome-notice", "deferral-notice", "referral-notice"],
        ["invitation", "meeting-change", "escalation"], DigestDefault: true);

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
        form.Find("[data-delivery='digest'] input").Click();
        model.Language = "en";
        form.Find("form").Submit();

        Assert.NotNull(sent);
        Assert.Equal("en", sent.Language);
        Assert.Equal((Deliveries.Digest, null), (sent.Delivery, sent.Digest));
        Assert.Equal(["reminder"], sent.OptOut);
    }

    /// <summary>
    /// A member who never chose has "follow the body" chosen, and it says what the body's default is now; saving sends it
    /// as such, so the member keeps following when an admin changes the default. A member who chose one message per item
    /// sees that chosen, and returns to the body's default by choosing it.
    /// </summary>
    [Fact]
    public void FollowingTheBodysDefault_IsAChoiceOfItsOwn_ThatSaysWhatTheDefaultIsNow()
    {
        var unchosen = Saved with { Digest = false, DigestFromBody = true, DigestDefault = false };
        SavePreferencesRequest? sent = null;
        var form = Render(new NotificationSettingsModel(unchosen), request => sent = request);
        Assert.True(form.Find("[data-delivery='bodyDefault'] input").HasAttribute("checked"));
        Assert.Equal("Einstellung der Körperschaft folgen (derzeit: eine Nachricht je Tagesordnungspunkt)",
            form.Find("[data-delivery='bodyDefault']").TextContent.Trim());
        form.Find("form").Submit();
        Assert.Equal((Deliveries.BodyDefault, null), (sent!.Delivery, sent.Digest));

        var chosen = Render(new NotificationSettingsModel(Saved), request => sent = request);
        Assert.True(chosen.Find("[data-delivery='perItem'] input").HasAttribute("checked"));
        Assert.False(chosen.Find("[data-delivery='bodyDefault'] input").HasAttribute("checked"));
        Assert.Contains("derzeit: eine Sammelnachricht je Sitzung", chosen.Find("[data-delivery='bodyDefault']").TextContent, StringComparison.Ordinal);
        chosen.Find("[data-delivery='bodyDefault'] input").Click();
        chosen.Find("form").Submit();
        Assert.Equal(Deliveries.BodyDefault, sent!.Delivery);
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
