using System.Globalization;
using DeliberationFlow.Server.Components;
using DeliberationFlow.Server.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;

namespace DeliberationFlow.Server.Web;

/// <summary>The web UI: Blazor Server components with MudBlazor, German first (English available via the culture cookie or browser).</summary>
public static class WebUiExtensions
{
    public static readonly CultureInfo[] Cultures = [new("de-DE"), new("en")];

    public static WebApplicationBuilder AddDeliberationWebUi(this WebApplicationBuilder builder)
    {
        // Run from a build folder (not published), MudBlazor's and the framework's files stay in their packages; the
        // runtime manifest points there. Development does this by itself; published output has no such manifest.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddMudServices();
        builder.Services.AddLocalization();
        builder.Services.AddScoped<CouncilCalls>();
        return builder;
    }

    /// <summary>Localisation for the pages only: the API's answers do not depend on the browser's language.</summary>
    public static WebApplication UseDeliberationWebUiCulture(this WebApplication app)
    {
        var localization = new RequestLocalizationOptions { DefaultRequestCulture = new RequestCulture(Cultures[0]) };
        localization.SupportedCultures = Cultures;
        localization.SupportedUICultures = Cultures;

        // German first: only an explicit choice (cookie or ?culture=en) switches; the browser's Accept-Language does not.
        localization.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api"), branch => branch.UseRequestLocalization(localization));
        return app;
    }

    public static WebApplication MapDeliberationWebUi(this WebApplication app)
    {
        // Styles and scripts are needed before sign-in, by the sign-in page itself.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

        // Sign-out is a form post with an antiforgery token, so a foreign page cannot sign a user out.
        app.MapPost(SecurityExtensions.SignOutPath, async (HttpContext context) =>
            {
                await context.SignOutAsync(IdentityConstants.ApplicationScheme);
                return Results.LocalRedirect(SecurityExtensions.SignInPath);
            })
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }
}
