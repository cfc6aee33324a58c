using DeliberationFlow.Council.Circulations;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DeliberationFlow.Server.Api;

public static class ConsultationsApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public static IServiceCollection AddCirculations(this IServiceCollection services)
    {
        services.AddOptions<CirculationOptions>().BindConfiguration(CirculationOptions.Section)
            .Validate(o => o.ReminderBefore >= TimeSpan.Zero, "Circulations:ReminderBefore is how long before the Frist the members without an answer are reminded, e.g. 1.00:00:00 for a day; 00:00:00 sends no reminder, a negative time is not one.")
            .ValidateOnStart();
        return services;
    }

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

        // The Umlaufverfahren (§ 78(3) NKomVG) of a Verwaltungsausschuss consultation: the VA sits in private, so each answer
        // reaches only the circulation's members, the committee's secretaries and admins (a 404 for anyone else).
        consultations.MapGet("/{id}/circulation", GetCirculationAsync)
            .WithSummary("The consultation's Umlaufverfahren (the open one, else the last): state, proposed resolution, Frist, answers so far")
            .ProducesProblem(StatusCodes.Status404NotFound);
        consultations.MapPost("/{id}/circulation", StartCirculationAsync)
            .WithSummary("Starts an Umlaufverfahren for a consultation waiting in a Hauptausschuss (Verwaltungsausschuss); its members are asked by mail")
            .WithDescription("Body: resolutionText (the Beschlussvorschlag) and deadline, a local date and time of the body at least a day ahead. " +
                             "A consultation on a draft agenda is taken off it; one on a fixed or sent agenda, or in a meeting begun, is a 409.")
            .ProducesChangeProblems();
        consultations.MapPost("/{id}/circulation/answer", AnswerCirculationAsync)
            .WithSummary("A member answers the open Umlaufverfahren, once: For, Against, Abstention or Objection (Widerspruch gegen das Verfahren)")
            .WithDescription("An objection makes it fail and the paper goes to the committee's next meeting; the last answer without one records the outcome.")
            .ProducesChangeProblems();
        consultations.MapPost("/{id}/circulation/cancel", CancelCirculationAsync)
            .WithSummary("The committee's secretary or an admin calls off the open Umlaufverfahren; the paper goes to the committee's next meeting")
            .ProducesChangeProblems();
        api.MapGet("/me/circulations", ListMyCirculationsAsync).WithTags("Consultations")
            .WithSummary("The open Umlaufverfahren the caller is asked in (or, for secretaries and admins, keeps), unanswered first");
        return api;
    }

    private static async Task<Ok<CirculationView>> GetCirculationAsync(Guid id, GetCirculation get, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await get.HandleAsync(http.User.ToCaller(), id, cancellationToken));

    private static async Task<Created<CirculationView>> StartCirculationAsync(
        Guid id, StartCirculationRequest request, StartCirculation start, HttpContext http, CancellationToken cancellationToken)
    {
        var view = await start.HandleAsync(http.User.ToCaller(), id, request, cancellationToken);
        return TypedResults.Created($"/api/consultations/{id}/circulation", view);
    }

    private static async Task<Ok<CirculationView>> AnswerCirculationAsync(
        Guid id, AnswerCirculationRequest request, AnswerCirculation answer, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await answer.HandleAsync(http.User.ToCaller(), id, request, cancellationToken));

    private static async Task<Ok<CirculationView>> CancelCirculationAsync(
        Guid id, CancelCirculationRequest? request, CancelCirculation cancel, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await cancel.HandleAsync(http.User.ToCaller(), id, request ?? new CancelCirculationRequest(null), cancellationToken));

    private static async Task<Ok<IReadOnlyList<CirculationView>>> ListMyCirculationsAsync(ListMyCirculations list, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await list.HandleAsync(http.User.ToCaller(), cancellationToken));

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
