using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Papers;

namespace DeliberationFlow.Council.Meetings;

/// <summary>One item of the minutes: the agenda item and what was recorded of it (nothing yet while it is open).</summary>
public sealed record MinutesItemView(
    string Number, bool Public, Guid PaperId, string PaperReference, string PaperName, string RoleText, string Status,
    string? ResultText, string? ResolutionText, VoteTallyView? Votes, bool RemovedFromAgenda, bool LateAddition);

/// <summary>The results of a meeting (Beschlussprotokoll) as far as they are recorded.</summary>
public sealed record MinutesView(
    Guid MeetingId, string Committee, string Name, string Date, string? Location, string MeetingState, bool Begun, int Open, IReadOnlyList<MinutesItemView> Items,
    AttendanceView Attendance);

/// <summary>
/// The results of a meeting item by item, in the agenda's order and numbering, with the wording, resolution text and tally
/// recorded for each, and who attended (with the quorum): what a secretary checks and hands on, and what members look up afterwards. It rests on
/// <see cref="Agenda"/>, so a non-public item appears only for those who may see its paper, exactly as on the agenda.
/// </summary>
public sealed class MeetingMinutes(Agenda agenda, MeetingAttendance attendance, TimeProvider clock)
{
    public async Task<MinutesView> HandleAsync(Caller caller, Guid meetingId, CancellationToken cancellationToken)
    {
        var (view, meeting, recorded) = await agenda.ReadWithRecordsAsync(caller, meetingId, cancellationToken);
        var items = view.Items.Select(item =>
        {
            var consultation = recorded[item.ConsultationId];
            return new MinutesItemView(
                item.Number, item.Public, item.PaperId, item.PaperReference, item.PaperName, item.RoleText, item.Status,
                consultation.ResultText, consultation.ResolutionText, VoteTallyView.Of(consultation), item.RemovedFromAgenda, item.LateAddition);
        }).ToList();
        return new MinutesView(
            view.MeetingId, view.Committee, meeting.Name, view.Date, meeting.Location, view.MeetingState, meeting.Start <= clock.GetUtcNow(),
            items.Count(i => i.ResultText is null && !i.RemovedFromAgenda), items, await attendance.ReadAsync(meeting, cancellationToken));
    }
}
