using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Meetings;

/// <summary>
/// Fixes the agenda (Tagesordnung festschreiben) before the invitation goes out, or opens it again while the
/// invitation has not been sent. A fixed agenda refuses ordering, adding and withdrawing; what the workflow still
/// plans into the meeting comes as a Nachtrag, as after the invitation. Each paper on the agenda notes it in its journal.
/// </summary>
public sealed class LockAgenda(ICouncilDb db, AgendaDraft draft, Agenda agenda, TimeProvider clock)
{
    public async Task<AgendaView> LockAsync(Caller caller, Guid meetingId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (meeting, committee, body) = await draft.LoadForChangeAsync(caller, meetingId, cancellationToken);
        if (meeting.AgendaLocked)
        {
            // Asked twice (a second click, a retried request): the agenda is fixed, which is what was asked for.
            return await agenda.ReadAsync(caller, meetingId, cancellationToken);
        }

        AgendaDraft.EnsureDraft(meeting, now);
        await using var change = await draft.BeginDraftChangeAsync(meeting, now, cancellationToken);
        meeting.AgendaLockedAt = now;
        meeting.AgendaLockedBy = caller.UserName;
        meeting.Modified = now;
        await JournalAsync(meeting, caller, now, $"{committee.Name}: Tagesordnung der Sitzung am {AgendaDraft.LocalTime(meeting.Start, body)} festgeschrieben.", cancellationToken);
        await change.SaveAsync(cancellationToken);
        return await agenda.ReadAsync(caller, meetingId, cancellationToken);
    }

    public async Task<AgendaView> UnlockAsync(Caller caller, Guid meetingId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (meeting, committee, body) = await draft.LoadForChangeAsync(caller, meetingId, cancellationToken);
        if (meeting.State != MeetingState.Scheduled)
        {
            throw new ConflictException("The invitation has gone out; the agenda stays locked. Later changes are Nachträge or Absetzungen.");
        }

        if (meeting.AgendaLockedAt is null)
        {
            return await agenda.ReadAsync(caller, meetingId, cancellationToken);
        }

        meeting.AgendaLockedAt = null;
        meeting.AgendaLockedBy = null;
        meeting.Modified = now;
        await JournalAsync(meeting, caller, now, $"{committee.Name}: Festschreibung der Tagesordnung der Sitzung am {AgendaDraft.LocalTime(meeting.Start, body)} aufgehoben.", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return await agenda.ReadAsync(caller, meetingId, cancellationToken);
    }

    private async Task JournalAsync(Meeting meeting, Caller caller, DateTimeOffset now, string message, CancellationToken cancellationToken)
    {
        var consultations = await db.Consultations.AsNoTracking()
            .Where(c => c.MeetingId == meeting.Id && c.Status == ConsultationStatus.Planned).ToListAsync(cancellationToken);
        var paperIds = consultations.Select(c => c.PaperId).ToList();
        var paperRows = await db.Papers.AsNoTracking().Where(p => paperIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        foreach (var consultation in consultations)
        {
            draft.Journal(paperRows[consultation.PaperId], consultation, caller, now, message);
        }
    }
}
