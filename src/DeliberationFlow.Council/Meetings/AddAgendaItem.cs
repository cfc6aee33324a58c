using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Council.Timers;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Meetings;

/// <summary>
/// Puts a paper onto the draft agenda: <c>consultationId</c> is its consultation in the meeting's committee (see the
/// candidates). A paper that came in after the Vorlagenfrist is refused unless <c>lateAddition</c> is true: the
/// committee's secretary (or an admin) then adds it deliberately as a Nachtrag, and it is marked so on the agenda.
/// </summary>
public sealed record AddAgendaItemRequest(Guid? ConsultationId, bool LateAddition = false);

/// <summary>
/// Adds an item to a meeting's draft agenda by moving the paper's planned consultation into the meeting, with its
/// invitation and reminder timers set for this meeting. Refused once the agenda is fixed or the invitation is out.
/// </summary>
public sealed class AddAgendaItem(ICouncilDb db, AgendaDraft draft, Agenda agenda, PaperReader papers, ITimerScheduler timers, TimeProvider clock)
{
    public async Task<AgendaView> HandleAsync(Caller caller, Guid meetingId, AddAgendaItemRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (meeting, committee, body) = await draft.LoadForChangeAsync(caller, meetingId, cancellationToken);
        AgendaDraft.EnsureDraft(meeting, now);
        if (request.ConsultationId is not { } consultationId)
        {
            throw RequestValidationException.For("consultationId", "Name the consultation of the paper to add (see GET /api/meetings/{id}/agenda/candidates).");
        }

        await using var change = await draft.BeginDraftChangeAsync(meeting, now, cancellationToken);
        var consultation = await db.Consultations.SingleOrDefaultAsync(c => c.Id == consultationId && c.BodyId == caller.BodyId, cancellationToken);
        var paper = consultation is null ? null : await db.Papers.SingleOrDefaultAsync(p => p.Id == consultation.PaperId, cancellationToken);
        if (consultation is null || paper is null || !await papers.MaySeeAsync(caller, paper, cancellationToken))
        {
            throw RequestValidationException.For("consultationId", $"No consultation with id {consultationId}.");
        }

        var previous = consultation.MeetingId is { } previousId ? await db.Meetings.SingleOrDefaultAsync(m => m.Id == previousId, cancellationToken) : null;
        var problem = consultation switch
        {
            _ when consultation.MeetingId == meeting.Id => $"{paper.Reference} is on this agenda already.",
            _ when consultation.OrganizationId != committee.Id => $"The consultation of {paper.Reference} belongs to another committee, not to '{committee.Name}'.",
            _ when consultation.Status != ConsultationStatus.Planned => $"The consultation of {paper.Reference} is no longer planned ({consultation.Status}).",
            _ when previous is not null && previous.Start <= meeting.Start =>
                $"{paper.Reference} is planned into the meeting on {AgendaDraft.LocalTime(previous.Start, body)} already, before this one; withdraw it there first.",
            _ => null,
        };
        if (problem is not null)
        {
            throw RequestValidationException.For("consultationId", problem);
        }

        // An Umlaufverfahren under way decides it without a meeting: call it off first (it then comes to a meeting by itself).
        if (await db.Circulations.AnyAsync(c => c.ConsultationId == consultation.Id && c.Status == CirculationStatus.Open, cancellationToken))
        {
            throw new ConflictException($"{paper.Reference} is being decided by Umlaufverfahren; call that off first (POST /api/consultations/{consultation.Id}/circulation/cancel).");
        }

        var candidate = await ListAgendaCandidates.CandidateAsync(db, consultation, paper, committee, meeting, body, cancellationToken);
        if (candidate.EarlierStepAfter is not null)
        {
            throw RequestValidationException.For("consultationId",
                $"{paper.Reference} must first be deliberated in its earlier step, {candidate.EarlierStepAfter}, which is not before this meeting.");
        }

        if (candidate.DeadlineMissed && !request.LateAddition)
        {
            throw RequestValidationException.For("lateAddition",
                $"{paper.Reference} came in after the Vorlagenfrist of this meeting ({candidate.SubmissionDeadline}); add it as a Nachtrag (lateAddition: true) if the committee's chair agrees.");
        }

        consultation.LateAddition = candidate.DeadlineMissed;
        var from = previous is null ? "ohne Termin" : $"aus der Sitzung am {AgendaDraft.LocalTime(previous.Start, body)}";
        var created = await draft.MoveAsync(consultation, paper, committee, meeting, body, now,
            $"Abgebrochen am {now:O}: die Vorlage wurde auf eine andere Tagesordnung gesetzt.", cancellationToken);
        draft.Journal(paper, consultation, caller, now,
            $"{committee.Name}: auf die Tagesordnung der Sitzung am {AgendaDraft.LocalTime(meeting.Start, body)} gesetzt ({from}){(candidate.DeadlineMissed ? " als Nachtrag nach der Vorlagenfrist" : "")}.");
        await change.SaveAsync(cancellationToken);
        await timers.ScheduleAsync(created, cancellationToken);
        return await agenda.ReadAsync(caller, meetingId, cancellationToken);
    }
}
