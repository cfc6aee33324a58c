using System.Security.Claims;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Server.Security;
using idunno.Authentication.Basic;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace DeliberationFlow.Server.Security;

public static class SecurityExtensions
{
    public const string AdminPolicy = "admin";

    /// <summary>
    /// HTTP Basic authentication against the users table; every endpoint requires a signed-in user unless it
    /// says otherwise (only the health checks do).
    /// </summary>
    public static WebApplicationBuilder AddDeliberationSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        builder.Services.AddScoped<UserCredentials>();
        builder.Services.AddSingleton<VerifiedCredentials>();
        builder.Services
            .AddAuthentication(BasicAuthenticationDefaults.AuthenticationScheme)
            .AddBasic(options =>
            {
                options.Realm = "DeliberationFlow";

                // TLS is terminated in front of the service (reverse proxy); set false where the service itself must see HTTPS.
                options.AllowInsecureProtocol = builder.Configuration.GetValue("Authentication:AllowBasicOverHttp", true);
                options.Events = new BasicAuthenticationEvents
                {
                    OnValidateCredentials = async context =>
                    {
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
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(nameof(UserRole.Admin)));
        return builder;
    }
}
