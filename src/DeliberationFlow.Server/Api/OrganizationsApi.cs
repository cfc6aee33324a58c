using DeliberationFlow.Council.Committees;
using DeliberationFlow.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DeliberationFlow.Server.Api;

public static class OrganizationsApi
{
    public static RouteGroupBuilder MapOrganizationsApi(this RouteGroupBuilder api)
    {
        var organizations = api.MapGroup("/organizations").WithTags("Committees").RequireAuthorization(SecurityExtensions.AdminPolicy);
        organizations.MapGet("/", ListAsync)
            .WithSummary("The body's committees and offices with classification and e-mail address; imported ones marked");
        organizations.MapPost("/", CreateAsync)
            .WithSummary("Adds a committee or office: {\"key\":\"jha\",\"name\":\"Jugendhilfeausschuss\",\"kind\":\"Committee\",\"classification\":\"Ausschuss\"}")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        organizations.MapPut("/{key}", UpdateAsync)
            .WithSummary("Changes name, short name, classification or e-mail address; an imported one keeps name and classification in its source (409)")
            .ProducesChangeProblems();
        return api;
    }

    private static async Task<Ok<IReadOnlyList<OrganizationView>>> ListAsync(ManageOrganizations organizations, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await organizations.ListAsync(http.User.ToCaller(), cancellationToken));

    private static async Task<Created<OrganizationView>> CreateAsync(
        SaveOrganizationRequest request, ManageOrganizations organizations, HttpContext http, CancellationToken cancellationToken)
    {
        var organization = await organizations.CreateAsync(http.User.ToCaller(), request, cancellationToken);
        return TypedResults.Created($"/api/organizations/{organization.Key}", organization);
    }

    private static async Task<Ok<OrganizationView>> UpdateAsync(
        string key, SaveOrganizationRequest request, ManageOrganizations organizations, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await organizations.UpdateAsync(http.User.ToCaller(), key, request, cancellationToken));
}
