using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Timers;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Meetings;

/// <summary>Why the item leaves the draft agenda, as the secretary words it (optional).</summary>
public sealed record WithdrawAgendaItemRequest(string? Reason);

/// <summary>
/// Takes an item off the draft agenda (absetzen) before the agenda is fixed: the paper's consultation goes to the
/// committee's next meeting the deadlines allow, or waits for one, so it is not lost and can be put back. After the
/// agenda is fixed, an item is taken off in the meeting itself by recording the outcome "abgesetzt"
/// (<see cref="Outcome.RemovedFromAgenda"/>), and the agenda then shows it as such.
/// </summary>
public sealed class WithdrawAgendaItem(ICouncilDb db, AgendaDraft draft, Agenda agenda, MeetingPlanner planner, ITimerScheduler timers, TimeProvider clock)
{
    public async Task<AgendaView> HandleAsync(Caller caller, Guid meetingId, Guid consultationId, WithdrawAgendaItemRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (meeting, committee, body) = await draft.LoadForChangeAsync(caller, meetingId, cancellationToken);
        AgendaDraft.EnsureDraft(meeting, now);
        if (request.Reason is { Length: > InputLimits.MaxReasonLength })
        {
            throw RequestValidationException.For("reason", $"Keep the reason to {InputLimits.MaxReasonLength} characters.");
        }

        await using var change = await draft.BeginDraftChangeAsync(meeting, now, cancellationToken);
        var consultation = await db.Consultations.SingleOrDefaultAsync(c => c.Id == consultationId && c.MeetingId == meeting.Id, cancellationToken)
            ?? throw new NotFoundException($"No item with consultation id {consultationId} on the agenda of this meeting.");
        if (consultation.Status != ConsultationStatus.Planned)
        {
            throw new ConflictException($"The consultation is no longer planned ({consultation.Status}); it is not on the draft agenda.");
        }

        var paper = await db.Papers.GetAsync(consultation.PaperId, cancellationToken);
        var next = await planner.FindNextAsync(committee, paper, meeting.Start, cancellationToken);
        // The next meeting's agenda may be fixed or invited already: the paper then comes there as a Nachtrag, as planning
        // marks it (ConsultationPlanner), after the items already numbered.
        consultation.LateAddition = next?.AgendaLocked == true;
        var created = await draft.MoveAsync(consultation, paper, committee, next, body, now,
            $"Abgebrochen am {now:O}: von der Tagesordnung abgesetzt.", cancellationToken);
        var where = next is null ? "noch ohne Termin" : $"jetzt in der Sitzung am {AgendaDraft.LocalTime(next.Start, body)}";
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "" : $" Grund: {request.Reason.Trim()}";
        draft.Journal(paper, consultation, caller, now,
            $"{committee.Name}: von der Tagesordnung der Sitzung am {AgendaDraft.LocalTime(meeting.Start, body)} abgesetzt; Beratung {where}.{reason}");
        await change.SaveAsync(cancellationToken);
        await timers.ScheduleAsync(created, cancellationToken);
        return await agenda.ReadAsync(caller, meetingId, cancellationToken);
    }
}
