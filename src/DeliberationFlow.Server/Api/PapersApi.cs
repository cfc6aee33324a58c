using DeliberationFlow.Council.Notifications;
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
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        papers.MapGet("/", SearchAsync)
            .WithSummary("The papers the caller may see, newest first: search in reference and title, by status, paper type and committee, a page at a time")
            .ProducesValidationProblem();
        papers.MapGet("/registration-choices", RegistrationChoicesAsync)
            .WithSummary("What a registration can name: the body's offices, the paper types its published workflows serve, and those workflows")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        papers.MapGet("/{id}", GetAsync)
            .WithSummary("A paper with its Beratungsfolge, timeline and journal")
            .ProducesProblem(StatusCodes.Status404NotFound);
        // The rest of the path: many councils' references hold a slash (Karlsruhe's 2025/0916, Bonn's 0916/2025).
        papers.MapGet("/by-reference/{**reference}", GetByReferenceAsync)
            .WithSummary("A paper found by its reference, e.g. 21-15513-01 or 2025/0916 (the slash as it is or as %2F)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        papers.MapPut("/{id}", EditAsync)
            .WithSummary("Corrects a paper's title, lead and participating offices, date and publicity (secretaries and admins); the journal records it")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        papers.MapPost("/{id}/hearing-skip", SkipHearingAsync)
            .WithSummary("Ends a waiting hearing early with a reason of urgency (Eilentscheidung, § 89 NKomVG); admins only")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        papers.MapGet("/{id}/deliveries", DeliveriesAsync)
            .WithSummary("The delivery log of the paper's e-mails: status, attempts, SMTP answer")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        papers.MapGet("/{id}/projection", ProjectAsync)
            .WithSummary("The Beratungsfolge with the remaining steps projected into the committees' next possible meetings")
            .ProducesProblem(StatusCodes.Status404NotFound);
        papers.MapPost("/{id}/workflow", AttachWorkflowAsync)
            .WithSummary("Starts a workflow for a paper without one, e.g. imported from another system while still in progress")
            .ProducesChangeProblems();
        api.MapPost("/projections", ProjectNewAsync).WithTags("Papers")
            .WithSummary("Projects a paper not registered yet: registered on this day, when does it reach each committee?")
            .ProducesValidationProblem();
        return api;
    }

    private static async Task<Ok<PaperList>> SearchAsync(
        string? q, string? status, string? paperType, string? committee, int? page, int? pageSize, SearchPapers search, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await search.HandleAsync(http.User.ToCaller(), new SearchPapersRequest(q, status, paperType, committee, page, pageSize), cancellationToken));

    private static async Task<Ok<RegistrationChoices>> RegistrationChoicesAsync(GetRegistrationChoices choices, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await choices.HandleAsync(http.User.ToCaller(), cancellationToken));

    private static async Task<Ok<PaperDetails>> EditAsync(Guid id, EditPaperRequest request, EditPaper edit, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await edit.HandleAsync(http.User.ToCaller(), id, request, cancellationToken));

    private static async Task<Ok<PaperDetails>> SkipHearingAsync(Guid id, SkipHearingRequest request, SkipHearing skip, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await skip.HandleAsync(http.User.ToCaller(), id, request, cancellationToken));

    private static async Task<Ok<PaperDetails>> AttachWorkflowAsync(Guid id, AttachWorkflowRequest request, AttachWorkflow attach, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await attach.HandleAsync(http.User.ToCaller(), id, request, cancellationToken));

    private static async Task<Ok<IReadOnlyList<DeliveryView>>> DeliveriesAsync(Guid id, ListDeliveries list, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await list.HandleAsync(http.User.ToCaller(), id, cancellationToken));

    private static async Task<Ok<Projection>> ProjectAsync(Guid id, ProjectBeratungsfolge project, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await project.ForPaperAsync(http.User.ToCaller(), id, cancellationToken));

    private static async Task<Ok<Projection>> ProjectNewAsync(ProjectNewPaperRequest request, ProjectBeratungsfolge project, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await project.ForNewPaperAsync(http.User.ToCaller(), request, cancellationToken));

    private static async Task<Created<PaperDetails>> RegisterAsync(
        RegisterPaperRequest request, RegisterPaper registerPaper, HttpContext http, CancellationToken cancellationToken)
    {
        var paper = await registerPaper.HandleAsync(http.User.ToCaller(), request, cancellationToken);
        return TypedResults.Created($"/api/papers/{paper.Id}", paper);
    }

    private static async Task<Ok<PaperDetails>> GetAsync(Guid id, GetPaper getPaper, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await getPaper.ByIdAsync(http.User.ToCaller(), id, cancellationToken));

    // Kestrel decodes every escape of a path but %2F (it would turn into a segment's end), so a client that escapes the
    // reference whole sends 2025%2F0916 and the route value keeps it.
    private static async Task<Ok<PaperDetails>> GetByReferenceAsync(string reference, GetPaper getPaper, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await getPaper.ByReferenceAsync(http.User.ToCaller(), reference.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase), cancellationToken));
}
