using DeliberationFlow.Council.Audit;
using DeliberationFlow.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DeliberationFlow.Server.Api;

public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync).WithTags("Audit")
            .WithSummary("The body's record of admin changes (accounts and members' own deliveries, committees, mail templates and the body's settings, workflows, persons, imports), newest first (admins)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<Ok<AuditPage>> ListAsync(
        string? area, string? q, int? page, int? pageSize, ListAuditEntries list, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await list.HandleAsync(http.User.ToCaller(), new ListAuditEntriesRequest(area, q, page, pageSize), cancellationToken));
}
