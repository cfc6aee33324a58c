using DeliberationFlow.Council.Papers;
using DeliberationFlow.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DeliberationFlow.Server.Api;

public static class PapersApi
{
    public static RouteGroupBuilder MapPapersApi(this RouteGroupBuilder api)
    {
        var papers = api.MapGroup("/papers").WithTags("Papers");
        papers.MapPost("/", RegisterAsync)
            .WithSummary("Registers a paper and starts its workflow")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        papers.MapGet("/{id:guid}", GetAsync)
            .WithSummary("A paper with its Beratungsfolge, timeline and journal")
            .ProducesProblem(StatusCodes.Status404NotFound);
        papers.MapGet("/by-reference/{reference}", GetByReferenceAsync)
            .WithSummary("A paper found by its reference, e.g. 21-15513-01")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Created<PaperDetails>> RegisterAsync(
        RegisterPaperRequest request, RegisterPaper registerPaper, HttpContext http, CancellationToken cancellationToken)
    {
        var paper = await registerPaper.HandleAsync(http.User.ToCaller(), request, cancellationToken);
        return TypedResults.Created($"/api/papers/{paper.Id}", paper);
    }

    private static async Task<Ok<PaperDetails>> GetAsync(Guid id, GetPaper getPaper, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await getPaper.ByIdAsync(http.User.ToCaller(), id, cancellationToken));

    private static async Task<Ok<PaperDetails>> GetByReferenceAsync(string reference, GetPaper getPaper, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await getPaper.ByReferenceAsync(http.User.ToCaller(), reference, cancellationToken));
}
