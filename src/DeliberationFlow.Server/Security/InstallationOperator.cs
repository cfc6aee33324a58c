using System.Security.Claims;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Server.Security;

/// <summary>
/// The installation's operators: the admins of the body that runs it. The Hangfire dashboard shows the jobs of every body
/// of an installation (timers, mail delivery, their failures with their messages) and lets one requeue or delete them, so
/// where one installation serves several municipalities (a municipal IT service provider) it is not for each
/// municipality's admins. The operating body is the one named by <c>Operations:OperatorBody</c> (its key); when that is
/// not set, the body created first, which is the only body of most installations.
/// </summary>
public sealed class InstallationOperatorRequirement(string? operatorBodyKey) : IAuthorizationRequirement
{
    public string? OperatorBodyKey { get; } = string.IsNullOrWhiteSpace(operatorBodyKey) ? null : operatorBodyKey.Trim();
}

/// <summary>
/// Reads the operating body on every check: the dashboard polls a few times a minute, and a body added or renamed
/// takes effect without a restart. It reads in a scope of its own: in the web UI an <c>AuthorizeView</c> checks the policy
/// whenever the page renders again, in the circuit's scope, while the page itself may be querying its database context
/// (the operations page loading a delivery log); sharing that context failed the page with "a second operation".
/// </summary>
internal sealed class InstallationOperatorHandler(IServiceScopeFactory scopes, ILogger<InstallationOperatorHandler> logger)
    : AuthorizationHandler<InstallationOperatorRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, InstallationOperatorRequirement requirement)
    {
        if (!context.User.IsInRole(nameof(UserRole.Admin)) || context.User.FindFirstValue(CouncilClaims.Body) is not { } claimed
            || !Guid.TryParse(claimed, out var body))
        {
            return;
        }

        // Bodies are few; ordering them here keeps the query the same on SQLite, which cannot order by a DateTimeOffset.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ICouncilDb>();
        var bodies = await db.Bodies.AsNoTracking().Select(b => new { b.Id, b.Key, b.Created }).ToListAsync();
        var operatorBody = requirement.OperatorBodyKey is { } key
            ? bodies.SingleOrDefault(b => string.Equals(b.Key, key, StringComparison.OrdinalIgnoreCase))
            : bodies.OrderBy(b => b.Created).ThenBy(b => b.Id).FirstOrDefault();
        if (operatorBody is null && requirement.OperatorBodyKey is not null)
        {
            logger.LogWarning("Operations:OperatorBody names '{Key}', but there is no body with that key; nobody may open the job dashboard.", requirement.OperatorBodyKey);
        }

        if (operatorBody?.Id == body)
        {
            context.Succeed(requirement);
        }
    }
}
