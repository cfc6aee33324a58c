using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DeliberationFlow.Server.Api;

/// <summary>The Eilentscheidung (§ 89 NKomVG): the Verwaltungsausschuss decides a step in the Rat's place.</summary>
public static class UrgentDecisionsApi
{
    public static RouteGroupBuilder MapUrgentDecisionsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/consultations/{id}/urgent-decision", StartAsync).WithTags("Consultations")
            .WithSummary("Eilentscheidung (§ 89 NKomVG): a step waiting in the Rat goes to the Verwaltungsausschuss's next meeting, with a reason; admins only")
            .WithDescription("Body: reason. The VA's outcome is recorded as any other and the workflow goes on past the Rat's step; the Rat is then " +
                             "informed by a Kenntnisnahme item (Unterrichtung) in its next meeting. Another committee is a 400 naming committee, " +
                             "a step already decided a 409.")
            .ProducesChangeProblems();
        return api;
    }

    private static async Task<Ok<PaperDetails>> StartAsync(
        Guid id, StartUrgentDecisionRequest request, StartUrgentDecision start, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await start.HandleAsync(http.User.ToCaller(), id, request, cancellationToken));
}
