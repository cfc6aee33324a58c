using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Papers;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Meetings;

/// <summary>
/// A paper that may go onto a meeting's draft agenda: its consultation in the committee is planned and waits for no
/// meeting yet, or for a later one of the same committee. <see cref="DeadlineMissed"/> means it came in after the
/// Vorlagenfrist and can only be added as a Nachtrag; <see cref="EarlierStepAfter"/> names the paper's earlier step
/// that this meeting would overtake (such a paper cannot be added).
/// </summary>
public sealed record AgendaCandidate(
    Guid ConsultationId,
    Guid PaperId,
    string PaperReference,
    string PaperName,
    string RoleText,
    string? PlannedFor,
    string SubmissionDeadline,
    bool DeadlineMissed,
    string? EarlierStepAfter);

/// <summary>The papers the committee's secretary may put onto a meeting's draft agenda (the picker of the agenda editor).</summary>
public sealed class ListAgendaCandidates(ICouncilDb db, AgendaDraft draft, PaperReader papers)
{
    public async Task<IReadOnlyList<AgendaCandidate>> HandleAsync(Caller caller, Guid meetingId, CancellationToken cancellationToken)
    {
        var (meeting, committee, body) = await draft.LoadForChangeAsync(caller, meetingId, cancellationToken);
        var later = await db.Meetings.AsNoTracking()
            .Where(m => m.OrganizationId == committee.Id && m.Start > meeting.Start)
            .ToDictionaryAsync(m => m.Id, cancellationToken);
        var laterIds = later.Keys.ToList();
        var consultations = await db.Consultations.AsNoTracking()
            .Where(c => c.OrganizationId == committee.Id && c.Status == ConsultationStatus.Planned
                        && (c.MeetingId == null || laterIds.Contains(c.MeetingId.Value))
                        && !db.Circulations.Any(u => u.ConsultationId == c.Id && u.Status == CirculationStatus.Open))
            .ToListAsync(cancellationToken);
        var result = new List<AgendaCandidate>();
        foreach (var consultation in consultations)
        {
            var paper = await db.Papers.AsNoTracking().SingleAsync(p => p.Id == consultation.PaperId, cancellationToken);
            if (!await papers.MaySeeAsync(caller, paper, cancellationToken))
            {
                continue;
            }

            result.Add(await CandidateAsync(db, consultation, paper, committee, meeting, body, cancellationToken));
        }

        return result.OrderBy(c => c.EarlierStepAfter is not null).ThenBy(c => c.DeadlineMissed).ThenBy(c => c.PaperReference, StringComparer.Ordinal).ToList();
    }

    /// <summary>How a consultation stands towards the meeting: deadline kept or not, and whether an earlier step of the paper would come after it.</summary>
    internal static async Task<AgendaCandidate> CandidateAsync(
        ICouncilDb db, Consultation consultation, Paper paper, Organization committee, Meeting meeting, Body body, CancellationToken cancellationToken)
    {
        var plannedFor = consultation.MeetingId is { } plannedId
            ? await db.Meetings.AsNoTracking().Where(m => m.Id == plannedId).Select(m => (DateTimeOffset?)m.Start).SingleOrDefaultAsync(cancellationToken)
            : null;
        var deadline = Deadlines.SubmissionDeadline(meeting, committee, paper, body);

        // The Beratungsfolge runs in order: an earlier step still open must be held before this meeting.
        var earlier = await db.Consultations.AsNoTracking()
            .Where(c => c.PaperId == paper.Id && c.Position < consultation.Position && c.Status == ConsultationStatus.Planned)
            .ToListAsync(cancellationToken);
        string? earlierStepAfter = null;
        foreach (var step in earlier)
        {
            var start = step.MeetingId is { } id
                ? await db.Meetings.AsNoTracking().Where(m => m.Id == id).Select(m => (DateTimeOffset?)m.Start).SingleOrDefaultAsync(cancellationToken)
                : null;
            if (start is null || start >= meeting.Start)
            {
                var stepCommittee = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == step.OrganizationId, cancellationToken);
                earlierStepAfter = $"{stepCommittee.Name} ({step.RoleText}), {(start is null ? "ohne Termin" : AgendaDraft.LocalTime(start.Value, body))}";
                break;
            }
        }

        return new AgendaCandidate(consultation.Id, paper.Id, paper.Reference, paper.Name, consultation.RoleText,
            plannedFor is null ? null : AgendaDraft.LocalTime(plannedFor.Value, body),
            AgendaDraft.LocalTime(deadline, body), deadline < paper.Created, earlierStepAfter);
    }
}
