using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DeliberationFlow.Server.Api;

public static class ConsultationsApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public static RouteGroupBuilder MapConsultationsApi(this RouteGroupBuilder api)
    {
        var consultations = api.MapGroup("/consultations").WithTags("Consultations");
        consultations.MapPost("/{id}/outcome", RecordAsync)
            .WithSummary("Records the outcome of a consultation and advances the paper's workflow")
            .WithDescription("Send an Idempotency-Key header: a repeat with the same key returns the first answer and causes no second step.")
            .ProducesChangeProblems();
        consultations.MapPost("/{id}/outcome/correction", CorrectAsync)
            .WithSummary("Corrects a recorded outcome's wording, resolution text or tally (Protokollberichtigung); the decision stays")
            .WithDescription("A reason is required and journalled with the old and the new text. A wording that names another decision is refused.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Ok<RecordOutcomeResponse>> CorrectAsync(
        Guid id, CorrectOutcomeRequest request, CorrectOutcome correct, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await correct.HandleAsync(http.User.ToCaller(), id, request, cancellationToken));

    private static async Task<Ok<RecordOutcomeResponse>> RecordAsync(
        Guid id,
        RecordOutcomeRequest request,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        RecordOutcome recordOutcome,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        var result = await recordOutcome.HandleAsync(http.User.ToCaller(), id, request, idempotencyKey, cancellationToken);
        if (result.Replayed)
        {
            http.Response.Headers[ReplayedHeader] = "true";
        }

        return TypedResults.Ok(result.Value);
    }
}
