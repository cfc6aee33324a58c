namespace DeliberationFlow.Server.Api;

public static class ChangeProblems
{
    /// <summary>
    /// What a change of council data may answer instead of success, for the OpenAPI document: bad input (400, with the
    /// field), not the caller's committee (403), unknown (404), the state no longer allows it (409), or the database undid
    /// it to end deadlocks as often as it is run again (503 with Retry-After; nothing changed).
    /// </summary>
    public static RouteHandlerBuilder ProducesChangeProblems(this RouteHandlerBuilder builder) =>
        builder.ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
