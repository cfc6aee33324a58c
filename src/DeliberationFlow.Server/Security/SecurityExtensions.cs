using System.Security.Claims;
using DeliberationFlow.Council.Access;
using idunno.Authentication.Basic;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace DeliberationFlow.Server.Security;

public static class SecurityExtensions
{
    public const string AdminPolicy = "admin";

    /// <summary>The admins of the body that runs the installation (see <see cref="InstallationOperatorRequirement"/>).</summary>
    public const string OperatorPolicy = "operator";

    /// <summary>Chooses HTTP Basic or the sign-in cookie per request.</summary>
    public const string SelectingScheme = "deliberationflow";

    /// <summary>Where the browser is sent to sign in.</summary>
    public const string SignInPath = "/account/signin";

    public const string SignOutPath = "/account/signout";

    public const string AccessDeniedPath = "/account/denied";

    /// <summary>
    /// Two ways in, one set of accounts (the users table): HTTP Basic for the API and the ASP.NET Core Identity
    /// cookie for the web UI. Every endpoint requires a signed-in user unless it says otherwise.
    /// </summary>
    public static WebApplicationBuilder AddDeliberationSecurity(this WebApplicationBuilder builder)
    {
        builder.AddSharedKeyRing();
        builder.Services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        builder.Services.AddSingleton<IPasswords, IdentityPasswords>();
        builder.Services.AddScoped<UserCredentials>();

        // A cookie is checked against its account every minute: a changed password, role, committee or a deactivation
        // (all in the security stamp) ends the session within that minute rather than Identity's default half hour.
        builder.Services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.FromMinutes(1));
        builder.Services.AddSingleton<VerifiedCredentials>();
        builder.Services
            .AddIdentityCore<UserAccount>()
            .AddUserStore<CouncilUserStore>()
            .AddClaimsPrincipalFactory<CouncilClaimsPrincipalFactory>()
            .AddSignInManager();
        builder.Services
            .AddAuthentication(options =>
            {
                options.DefaultScheme = SelectingScheme;
                options.DefaultChallengeScheme = SelectingScheme;
            })
            .AddPolicyScheme(SelectingScheme, "Basic for the API, cookie for the browser", options =>
            {
                // The API answers only to Basic: a cookie never authorises an API call, so cross-site requests
                // cannot act through it. Pages and the jobs dashboard use the cookie, unless Basic is sent.
                options.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)
                    || context.Request.Path.StartsWithSegments("/api")
                        ? BasicAuthenticationDefaults.AuthenticationScheme
                        : IdentityConstants.ApplicationScheme;
            })
            .AddCookie(IdentityConstants.ApplicationScheme, options =>
            {
                options.LoginPath = SignInPath;
                options.LogoutPath = SignOutPath;
                options.AccessDeniedPath = AccessDeniedPath;
                options.Cookie.Name = "DeliberationFlow.Auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = SecurityStampValidator.ValidatePrincipalAsync;

                // Browsers are sent to the sign-in page; programs (no text/html in Accept) get 401/403 as from the API.
                options.Events.OnRedirectToLogin = context =>
                {
                    if (AcceptsHtml(context.Request))
                    {
                        context.Response.Redirect(context.RedirectUri);
                    }
                    else
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        context.Response.Headers.WWWAuthenticate = "Basic realm=\"DeliberationFlow\", charset=\"UTF-8\"";
                    }

                    return Task.CompletedTask;
                };
                options.Events.OnRedirectToAccessDenied = context =>
                {
                    if (AcceptsHtml(context.Request))
                    {
                        context.Response.Redirect(context.RedirectUri);
                    }
                    else
                    {
                        context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    }

                    return Task.CompletedTask;
                };
            })
            .AddBasic(options =>
            {
                options.Realm = "DeliberationFlow";

                // TLS is often ended in front of the service (reverse proxy); false where the service sees HTTPS itself
                // or is told of it by the proxy (deploy/README.md). The handler's own flag only changes its challenge
                // (421 instead of 401), it still accepts credentials sent in plain text, so these are refused here.
                var allowOverHttp = builder.Configuration.GetValue("Authentication:AllowBasicOverHttp", true);
                options.AllowInsecureProtocol = allowOverHttp;
                options.Events = new BasicAuthenticationEvents
                {
                    OnValidateCredentials = async context =>
                    {
                        if (!allowOverHttp && !context.HttpContext.Request.IsHttps)
                        {
                            context.Fail("Basic credentials are accepted only over HTTPS.");
                            return;
                        }

                        var credentials = context.HttpContext.RequestServices.GetRequiredService<UserCredentials>();
                        var user = await credentials.VerifyAsync(context.Username, context.Password, context.HttpContext.RequestAborted);
                        if (user is null)
                        {
                            context.Fail("Unknown user or wrong password.");
                            return;
                        }

                        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(CouncilClaims.For(user), context.Scheme.Name));
                        context.Success();
                    },
                };
            });

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(nameof(UserRole.Admin)))
            .AddPolicy(OperatorPolicy, policy => policy.AddRequirements(new InstallationOperatorRequirement(builder.Configuration["Operations:OperatorBody"])));
        builder.Services.AddSingleton<IAuthorizationHandler, InstallationOperatorHandler>();
        return builder;
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.Headers.Accept.Any(value => value?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);
}
