using DeliberationFlow.Council.Instances;
using DeliberationFlow.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DeliberationFlow.Server.Api;

public static class InstancesApi
{
    public static RouteGroupBuilder MapInstancesApi(this RouteGroupBuilder api)
    {
        var instances = api.MapGroup("/workflow-instances").WithTags("Workflow instances").RequireAuthorization(SecurityExtensions.AdminPolicy);
        instances.MapGet("/", ListAsync)
            .WithSummary("Workflow instances of your body; ?status=Faulted lists the incidents")
            .ProducesValidationProblem();
        instances.MapPost("/{id}/incident", ResolveAsync)
            .WithSummary("Resolves the incident of a faulted instance: {\"action\":\"retry\"} or {\"action\":\"skip\",\"outcome\":\"…\"}")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<WorkflowInstanceView>>> ListAsync(
        string? status, ListWorkflowInstances list, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await list.HandleAsync(http.User.ToCaller(), status, cancellationToken));

    private static async Task<Ok<WorkflowInstanceView>> ResolveAsync(
        Guid id, ResolveIncidentRequest request, ResolveIncident resolve, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await resolve.HandleAsync(http.User.ToCaller(), id, request, cancellationToken));
}
