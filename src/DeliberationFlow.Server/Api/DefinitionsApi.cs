using System.Text.Json;
using DeliberationFlow.Council.Definitions;
using DeliberationFlow.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DeliberationFlow.Server.Api;

public static class DefinitionsApi
{
    public static RouteGroupBuilder MapDefinitionsApi(this RouteGroupBuilder api)
    {
        var definitions = api.MapGroup("/workflow-definitions").WithTags("Workflow definitions").RequireAuthorization(SecurityExtensions.AdminPolicy);
        definitions.MapGet("/", ListAsync).WithSummary("The workflow definitions of your body with their version history");
        definitions.MapGet("/{id}/versions/{version}", DocumentAsync).WithSummary("The JSON document of one version")
            .ProducesProblem(StatusCodes.Status404NotFound);
        definitions.MapPut("/{id}/draft", SaveDraftAsync)
            .WithSummary("Saves a document as the draft of the next version; every problem is reported with its JSON path")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        definitions.MapPost("/{id}/versions/{version}/publish", PublishAsync).WithSummary("Publishes a draft: new papers start on it")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        definitions.MapPost("/{id}/versions/{version}/retract", RetractAsync).WithSummary("Retracts a published version; running instances carry on")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        definitions.MapPost("/{id}/versions/{version}/revert", RevertAsync).WithSummary("Copies an earlier version into a new draft")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        definitions.MapPost("/{id}/migrations", MigrateAsync)
            .WithSummary("Moves running instances to a published version; {\"dryRun\":true} only reports where each would stand")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<DefinitionSummary>>> ListAsync(ListDefinitions list, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await list.HandleAsync(http.User.ToCaller(), cancellationToken));

    private static async Task<Ok<DefinitionDocumentView>> DocumentAsync(string id, int version, ListDefinitions list, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await list.DocumentAsync(http.User.ToCaller(), id, version, cancellationToken));

    private static async Task<Ok<DefinitionVersionView>> SaveDraftAsync(string id, JsonElement document, SaveDraft save, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await save.HandleAsync(http.User.ToCaller(), id, document.GetRawText(), cancellationToken));

    private static async Task<Ok<DefinitionVersionView>> PublishAsync(string id, int version, ChangeDefinitionState change, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await change.PublishAsync(http.User.ToCaller(), id, version, cancellationToken));

    private static async Task<Ok<DefinitionVersionView>> RetractAsync(string id, int version, ChangeDefinitionState change, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await change.RetractAsync(http.User.ToCaller(), id, version, cancellationToken));

    private static async Task<Ok<DefinitionVersionView>> RevertAsync(
        string id, int version, ChangeDefinitionState change, SaveDraft save, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await change.RevertAsync(http.User.ToCaller(), id, version, save, cancellationToken));

    private static async Task<Ok<MigrationReport>> MigrateAsync(
        string id, MigrateInstancesRequest request, MigrateInstances migrate, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await migrate.HandleAsync(http.User.ToCaller(), id, request, cancellationToken));
}
