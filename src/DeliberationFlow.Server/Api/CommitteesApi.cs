using DeliberationFlow.Council.Committees;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DeliberationFlow.Server.Api;

public static class CommitteesApi
{
    public static RouteGroupBuilder MapCommitteesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/committees", ListCommitteesAsync).WithTags("Committees").WithSummary("The committees of your body");
        api.MapGet("/meetings", ListMeetingsAsync).WithTags("Meetings")
            .WithSummary("Meetings of your body; filter by committee key and period")
            .ProducesValidationProblem();
        return api;
    }

    private static async Task<Ok<IReadOnlyList<CommitteeView>>> ListCommitteesAsync(
        ListCommittees listCommittees, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await listCommittees.HandleAsync(http.User.ToCaller(), cancellationToken));

    private static async Task<Ok<IReadOnlyList<MeetingView>>> ListMeetingsAsync(
        string? committee, DateTimeOffset? from, DateTimeOffset? until, ListMeetings listMeetings, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await listMeetings.HandleAsync(http.User.ToCaller(), new ListMeetingsRequest(committee, from, until), cancellationToken));
}
