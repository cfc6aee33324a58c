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
        api.MapPut("/committees/{key}/deadlines", SaveDeadlinesAsync).WithTags("Committees")
            .WithSummary("Sets a committee's Vorlagenfrist and Ladungsfrist, normal and urgent (admins); steps planned from then on use them")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/meetings", ListMeetingsAsync).WithTags("Meetings")
            .WithSummary("Meetings of your body, earliest first: by committee key and a period of their start (from, until), a page at a time (page, pageSize: 25, at most 100)")
            .ProducesValidationProblem();
        api.MapPost("/committees/{key}/meetings", ScheduleMeetingsAsync).WithTags("Meetings")
            .WithSummary("Adds a meeting or a series (iCalendar RRULE, e.g. FREQ=MONTHLY;BYDAY=4TU, with exceptions) to a committee's calendar")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/meetings/{id}/agenda", AgendaAsync).WithTags("Meetings")
            .WithSummary("The meeting's agenda: public part (Ö 1 …), then non-public (N 1 …), Nachträge and Absetzungen marked")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/meetings/{id}/minutes", MinutesAsync).WithTags("Meetings")
            .WithSummary("The meeting's results item by item (Beschlussprotokoll): wording, resolution text and votes as recorded; non-public items only for those who may see them")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/meetings/{id}/attendance", AttendanceAsync).WithTags("Meetings")
            .WithSummary("Who attended (Anwesenheit): the committee's members on the meeting's day with their status, voting seats taken and the quorum (§ 65 NKomVG)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/meetings/{id}/attendance", RecordAttendanceAsync).WithTags("Meetings")
            .WithSummary("Records attendance once the meeting has begun: {\"entries\":[{\"personId\":\"…\",\"status\":\"Present|Excused|Absent\"}]}; the committee's secretaries and admins")
            .ProducesChangeProblems();
        api.MapPut("/meetings/{id}/agenda/order", ReorderAgendaAsync).WithTags("Meetings")
            .WithSummary("Orders the draft agenda until it is fixed or the invitation goes out")
            .ProducesChangeProblems();
        api.MapGet("/meetings/{id}/agenda/candidates", AgendaCandidatesAsync).WithTags("Meetings")
            .WithSummary("Papers that may go onto the draft agenda: planned in the committee without a meeting or for a later one; deadline missed and earlier steps marked")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/meetings/{id}/agenda/items", AddAgendaItemAsync).WithTags("Meetings")
            .WithSummary("Adds a paper to the draft agenda: {\"consultationId\":\"…\"}; after the Vorlagenfrist only with \"lateAddition\":true (Nachtrag)")
            .ProducesChangeProblems();
        api.MapPost("/meetings/{id}/agenda/items/{consultationId}/withdraw", WithdrawAgendaItemAsync).WithTags("Meetings")
            .WithSummary("Takes an item off the draft agenda (absetzen): {\"reason\":\"…\"} (optional); the paper goes to the committee's next meeting")
            .ProducesChangeProblems();
        api.MapPut("/meetings/{id}/agenda/lock", LockAgendaAsync).WithTags("Meetings")
            .WithSummary("Fixes the agenda (Tagesordnung festschreiben) before the invitation goes out")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/meetings/{id}/agenda/lock", UnlockAgendaAsync).WithTags("Meetings")
            .WithSummary("Opens a fixed agenda again while the invitation has not gone out")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/meetings/{id}/change", ChangeMeetingAsync).WithTags("Meetings")
            .WithSummary("Cancels or moves a meeting: {\"action\":\"cancel\",\"reason\":\"…\"} or {\"action\":\"move\",\"newStart\":\"2021-05-06T15:00\",\"reason\":\"…\"}; its consultations are re-planned and everyone concerned is told")
            .ProducesChangeProblems();
        return api;
    }

    private static async Task<Ok<CommitteeView>> SaveDeadlinesAsync(
        string key, SaveCommitteeDeadlinesRequest request, CommitteeDeadlines deadlines, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await deadlines.SaveAsync(http.User.ToCaller(), key, request, cancellationToken));

    private static async Task<Ok<IReadOnlyList<CommitteeView>>> ListCommitteesAsync(
        ListCommittees listCommittees, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await listCommittees.HandleAsync(http.User.ToCaller(), cancellationToken));

    private static async Task<Ok<MinutesView>> MinutesAsync(Guid id, MeetingMinutes minutes, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await minutes.HandleAsync(http.User.ToCaller(), id, cancellationToken));

    private static async Task<Ok<AttendanceView>> AttendanceAsync(Guid id, MeetingAttendance attendance, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await attendance.ReadAsync(http.User.ToCaller(), id, cancellationToken));

    private static async Task<Ok<AttendanceView>> RecordAttendanceAsync(
        Guid id, RecordAttendanceRequest request, MeetingAttendance attendance, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await attendance.RecordAsync(http.User.ToCaller(), id, request, cancellationToken));

    private static async Task<Ok<AgendaView>> AgendaAsync(Guid id, Agenda agenda, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await agenda.ReadAsync(http.User.ToCaller(), id, cancellationToken));

    private static async Task<Ok<AgendaView>> ReorderAgendaAsync(
        Guid id, ReorderAgendaRequest request, Agenda agenda, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await agenda.ReorderAsync(http.User.ToCaller(), id, request, cancellationToken));

    private static async Task<Ok<IReadOnlyList<AgendaCandidate>>> AgendaCandidatesAsync(
        Guid id, ListAgendaCandidates candidates, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await candidates.HandleAsync(http.User.ToCaller(), id, cancellationToken));

    private static async Task<Ok<AgendaView>> AddAgendaItemAsync(
        Guid id, AddAgendaItemRequest request, AddAgendaItem add, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await add.HandleAsync(http.User.ToCaller(), id, request, cancellationToken));

    private static async Task<Ok<AgendaView>> WithdrawAgendaItemAsync(
        Guid id, Guid consultationId, WithdrawAgendaItemRequest? request, WithdrawAgendaItem withdraw, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await withdraw.HandleAsync(http.User.ToCaller(), id, consultationId, request ?? new WithdrawAgendaItemRequest(null), cancellationToken));

    private static async Task<Ok<AgendaView>> LockAgendaAsync(Guid id, LockAgenda lockAgenda, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await lockAgenda.LockAsync(http.User.ToCaller(), id, cancellationToken));

    private static async Task<Ok<AgendaView>> UnlockAgendaAsync(Guid id, LockAgenda lockAgenda, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await lockAgenda.UnlockAsync(http.User.ToCaller(), id, cancellationToken));

    private static async Task<Ok<ScheduledMeetings>> ScheduleMeetingsAsync(
        string key, ScheduleMeetingsRequest request, ScheduleMeetings schedule, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await schedule.HandleAsync(http.User.ToCaller(), key, request, cancellationToken));

    private static async Task<Ok<MeetingChangeReport>> ChangeMeetingAsync(
        Guid id, ChangeMeetingRequest request, ChangeMeeting change, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await change.HandleAsync(http.User.ToCaller(), id, request, cancellationToken));

    private static async Task<Ok<MeetingList>> ListMeetingsAsync(
        string? committee, DateTimeOffset? from, DateTimeOffset? until, int? page, int? pageSize, ListMeetings listMeetings, HttpContext http,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await listMeetings.HandleAsync(http.User.ToCaller(), new ListMeetingsRequest(committee, from, until, page, pageSize), cancellationToken));
}
