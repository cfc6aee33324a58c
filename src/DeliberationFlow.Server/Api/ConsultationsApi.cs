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
        api.MapGroup("/consultations").WithTags("Consultations")
            .MapPost("/{id:guid}/outcome", RecordAsync)
            .WithSummary("Records the outcome of a consultation and advances the paper's workflow")
            .WithDescription("Send an Idempotency-Key header: a repeat with the same key returns the first answer and causes no second step.")
            .ProducesChangeProblems();
        return api;
    }

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
