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
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, RevalidatingCouncilAuthenticationStateProvider>();
        builder.Services.AddMudServices();
        builder.Services.AddLocalization(options => options.ResourcesPath = "Resources");
        builder.Services.AddScoped<CouncilCalls>();
        return builder;
    }

    /// <summary>Interfaces for programs, whose output must not depend on a browser's language choice.</summary>
    private static readonly string[] MachineInterfaces = ["/api", "/oparl", "/openapi", "/health", "/jobs"];

    /// <summary>Localisation for the pages only: the API's answers do not depend on the browser's language.</summary>
    public static WebApplication UseDeliberationWebUiCulture(this WebApplication app)
    {
        var localization = new RequestLocalizationOptions { DefaultRequestCulture = new RequestCulture(Cultures[0]) };
        localization.SupportedCultures = Cultures;
        localization.SupportedUICultures = Cultures;

        // German first: only an explicit choice (cookie or ?culture=en) switches; the browser's Accept-Language does not.
        localization.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
        app.UseWhen(context => !MachineInterfaces.Any(prefix => context.Request.Path.StartsWithSegments(prefix)),
            branch => branch.UseRequestLocalization(localization));
        return app;
    }

    public static WebApplication MapDeliberationWebUi(this WebApplication app)
    {
        // Styles and scripts are needed before sign-in, by the sign-in page itself.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

        // The language choice is a preference cookie only; it changes no data, so a plain link may set it.
        app.MapGet("/culture", (HttpContext context, string? culture, string? returnUrl) =>
            {
                var chosen = Cultures.FirstOrDefault(c => string.Equals(c.Name, culture, StringComparison.OrdinalIgnoreCase)
                                                          || string.Equals(c.TwoLetterISOLanguageName, culture, StringComparison.OrdinalIgnoreCase)) ?? Cultures[0];
                context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                    new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
                return Results.LocalRedirect(Components.Account.SignIn.LocalReturnUrl(returnUrl));
            })
            .AllowAnonymous()
            .ExcludeFromDescription();

        // Sign-out is a form post with an antiforgery token, so a foreign page cannot sign a user out.
        app.MapPost(SecurityExtensions.SignOutPath, async (HttpContext context, IAntiforgery antiforgery) =>
            {
                // The antiforgery middleware only records its verdict; a handler without form binding must act on it.
                var verdict = context.Features.Get<IAntiforgeryValidationFeature>();
                if (!(verdict?.IsValid ?? await antiforgery.IsRequestValidAsync(context)))
                {
                    return Results.BadRequest();
                }

                await context.SignOutAsync(IdentityConstants.ApplicationScheme);
                return Results.LocalRedirect(SecurityExtensions.SignInPath);
            })
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }
}
