using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Papers;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Meetings;

public sealed record AgendaItemView(
    string Number,
    bool Public,
    Guid ConsultationId,
    Guid PaperId,
    string PaperReference,
    string PaperName,
    string RoleText,
    string Status,
    bool LateAddition,
    bool RemovedFromAgenda,
    bool Planned = true);

/// <summary>
/// The agenda as shown and served. <see cref="Locked"/>: fixed by the secretary (<see cref="LockedAt"/>, <see cref="LockedBy"/>,
/// local time of the body) or by the invitation (<see cref="Invited"/>); only a fix without invitation can be undone.
/// </summary>
public sealed record AgendaView(
    Guid MeetingId, string Committee, string Date, string MeetingState, bool Locked, IReadOnlyList<AgendaItemView> Items,
    string? LockedAt = null, string? LockedBy = null, bool Invited = false);

/// <summary>An agenda and the rows it was drawn from: its meeting and the consultations of its items, by id.</summary>
public sealed record AgendaRecords(AgendaView View, Meeting Meeting, IReadOnlyDictionary<Guid, Consultation> Consultations);

public sealed record ReorderAgendaRequest(IReadOnlyList<Guid>? ConsultationIds);

/// <summary>
/// The agenda of a meeting, drawn from the consultations planned into it: the public part (Ö 1, Ö 2 …), then the
/// non-public part (N 1 …). Until the secretary fixes it (<see cref="LockAgenda"/>) or the invitation goes out, the
/// order may be changed and items added or withdrawn (<see cref="AddAgendaItem"/>, <see cref="WithdrawAgendaItem"/>);
/// after that it is locked, and what comes or goes is shown as such (Nachtrag, abgesetzt). Non-public items are left
/// out for users who may not see the paper.
/// </summary>
public sealed class Agenda(ICouncilDb db, PaperReader papers, AgendaDraft draft, TimeProvider clock)
{
    public async Task<AgendaView> ReadAsync(Caller caller, Guid meetingId, CancellationToken cancellationToken) =>
        (await ReadWithRecordsAsync(caller, meetingId, cancellationToken)).View;

    /// <summary>The agenda with the meeting and the consultations it was drawn from, for views built on it (the minutes).</summary>
    public async Task<AgendaRecords> ReadWithRecordsAsync(Caller caller, Guid meetingId, CancellationToken cancellationToken)
    {
        var (meeting, committee, body) = await LoadAsync(caller, meetingId, cancellationToken);
        var locked = meeting.AgendaLocked;
        var consultations = await db.Consultations.AsNoTracking().Where(c => c.MeetingId == meeting.Id).ToListAsync(cancellationToken);
        var paperIds = consultations.Select(c => c.PaperId).ToList();
        var paperRows = await db.Papers.AsNoTracking().Where(p => paperIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);

        // A draft agenda leaves out what was taken off it. Once the meeting has begun it is a draft no more (no change is
        // accepted, see AgendaDraft.EnsureDraft): it is the record of what was dealt with, and an item recorded abgesetzt
        // in the meeting stays in it, in its place. Items already off the draft when the meeting began had no place on
        // it; they follow their part unnumbered, marked abgesetzt, so the numbers stay those the meeting went by.
        var begun = meeting.Start <= clock.GetUtcNow();
        var entries = new List<(Consultation Consultation, Paper Paper, bool Public, bool Removed, bool Unnumbered)>();
        foreach (var consultation in consultations)
        {
            var paper = paperRows[consultation.PaperId];
            var removed = consultation.Status is ConsultationStatus.Withdrawn or ConsultationStatus.Skipped
                          || consultation.Outcome == Outcome.RemovedFromAgenda
                          || (consultation.Status == ConsultationStatus.Deferred && consultation.RecordedAt < meeting.Start);
            var offTheDraft = removed && !locked;
            if ((offTheDraft && !begun) || !await papers.MaySeeAsync(caller, paper, cancellationToken))
            {
                continue;
            }

            var unnumbered = offTheDraft && (consultation.RecordedAt ?? consultation.Modified) < meeting.Start;
            entries.Add((consultation, paper, paper.IsPublic && meeting.Publicity != MeetingPublicity.NonPublic, removed, unnumbered));
        }

        var items = new List<AgendaItemView>();
        foreach (var part in new[] { true, false })
        {
            var number = 0;
            foreach (var entry in entries.Where(e => e.Public == part)
                         .OrderBy(e => e.Unnumbered)
                         .ThenBy(e => e.Consultation.LateAddition)
                         .ThenBy(e => e.Consultation.AgendaOrder ?? int.MaxValue)
                         .ThenBy(e => e.Consultation.Created))
            {
                items.Add(new AgendaItemView(
                    entry.Unnumbered ? "" : $"{(part ? "Ö" : "N")} {++number}", part, entry.Consultation.Id, entry.Paper.Id, entry.Paper.Reference, entry.Paper.Name,
                    entry.Consultation.RoleText, Vocabulary.Label(entry.Consultation.Status), entry.Consultation.LateAddition, entry.Removed,
                    entry.Consultation.Status == ConsultationStatus.Planned));
            }
        }

        var view = new AgendaView(meeting.Id, committee.Name, BodyClock.LocalText(meeting.Start, body.Zone),
            meeting.State.ToString(), locked, items,
            meeting.AgendaLockedAt is { } lockedAt ? AgendaDraft.LocalTime(lockedAt, body) : null, meeting.AgendaLockedBy, meeting.State != MeetingState.Scheduled);
        return new AgendaRecords(view, meeting, entries.ToDictionary(e => e.Consultation.Id, e => e.Consultation));
    }

    /// <summary>Puts the named consultations first, in this order; the others follow as before. Refused once the agenda is fixed or the invitation is out.</summary>
    public async Task<AgendaView> ReorderAsync(Caller caller, Guid meetingId, ReorderAgendaRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (meeting, committee, body) = await draft.LoadForChangeAsync(caller, meetingId, cancellationToken);
        AgendaDraft.EnsureDraft(meeting, now);
        await using var change = await draft.BeginDraftChangeAsync(meeting, now, cancellationToken);

        var ids = request.ConsultationIds ?? [];
        var consultations = await db.Consultations.Where(c => c.MeetingId == meeting.Id).ToListAsync(cancellationToken);
        var unknown = ids.Where(id => consultations.All(c => c.Id != id)).ToList();
        if (ids.Count == 0 || unknown.Count > 0 || ids.Distinct().Count() != ids.Count)
        {
            throw RequestValidationException.For("consultationIds",
                unknown.Count > 0 ? $"Not on this agenda: {string.Join(", ", unknown)}." : "List each consultation of the agenda at most once, at least one.");
        }

        // Only a step whose place changes is written: one kept in its place (the same order sent again) would otherwise be
        // stamped, and OParl would serve it, its public paper and its meeting as changed though nothing served had.
        for (var i = 0; i < ids.Count; i++)
        {
            var consultation = consultations.Single(c => c.Id == ids[i]);
            if (consultation.AgendaOrder != i + 1)
            {
                consultation.AgendaOrder = i + 1;
                consultation.Revision++;
            }
        }

        foreach (var other in consultations.Where(c => !ids.Contains(c.Id)))
        {
            other.AgendaOrder = null;
        }

        // Each paper whose place changed notes it in its journal, as adding and withdrawing do.
        var moved = consultations.Where(c => db.Entry(c).Property(x => x.AgendaOrder).IsModified).ToList();
        var paperIds = consultations.Select(c => c.PaperId).ToList();
        var papers = await db.Papers.AsNoTracking().Where(p => paperIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);

        // OParl serves an item's place only as the agenda item of a public paper in a meeting held in public (the item
        // and its meeting move with the step's stamp). In a meeting held in private, or for a non-public paper, the order
        // is served nowhere, so the step's modified, and with it its public paper's, stays as it was.
        foreach (var consultation in consultations.Where(c => meeting.Publicity == MeetingPublicity.NonPublic || !papers[c.PaperId].IsPublic))
        {
            db.KeepModified(consultation);
        }

        foreach (var consultation in moved)
        {
            draft.Journal(papers[consultation.PaperId], consultation, caller, now,
                $"{committee.Name}: Reihenfolge der Tagesordnung der Sitzung am {AgendaDraft.LocalTime(meeting.Start, body)} geändert.");
        }

        await change.SaveAsync(cancellationToken);
        return await ReadAsync(caller, meetingId, cancellationToken);
    }

    private async Task<(Meeting, Organization, Body)> LoadAsync(Caller caller, Guid meetingId, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.SingleOrDefaultAsync(m => m.Id == meetingId && m.BodyId == caller.BodyId, cancellationToken)
            ?? throw new NotFoundException($"No meeting with id {meetingId}.");
        var committee = await db.Organizations.GetAsync(meeting.OrganizationId, cancellationToken);
        var body = await db.Bodies.GetAsync(meeting.BodyId, cancellationToken);
        return (meeting, committee, body);
    }
}
