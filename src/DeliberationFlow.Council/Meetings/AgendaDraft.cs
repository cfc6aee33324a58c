using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace DeliberationFlow.Council.Meetings;

/// <summary>
/// What the agenda use cases (order, add, withdraw, lock) share: the meeting is loaded for its committee's
/// secretary or an admin only, a fixed agenda refuses changes, and each change is written to the paper's journal.
/// </summary>
public sealed class AgendaDraft(ICouncilDb db, ConsultationPlanner planner)
{
    public async Task<(Meeting Meeting, Organization Committee, Body Body)> LoadForChangeAsync(Caller caller, Guid meetingId, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.SingleOrDefaultAsync(m => m.Id == meetingId && m.BodyId == caller.BodyId, cancellationToken)
            ?? throw new NotFoundException($"No meeting with id {meetingId}.");
        var committee = await db.Organizations.GetAsync(meeting.OrganizationId, cancellationToken);
        if (!caller.MayRecordFor(committee.Id))
        {
            throw new ForbiddenException($"You may arrange agendas only of your own committees; '{committee.Name}' is not one of them.");
        }

        var body = await db.Bodies.GetAsync(meeting.BodyId, cancellationToken);
        return (meeting, committee, body);
    }

    /// <summary>Refuses a change of a fixed agenda or of a meeting that is cancelled or already under way.</summary>
    public static void EnsureDraft(Meeting meeting, DateTimeOffset now)
    {
        if (meeting.State != MeetingState.Scheduled)
        {
            throw new ConflictException("The invitation has gone out and the agenda is locked; later changes are Nachträge or Absetzungen (record 'abgesetzt' as the outcome).");
        }

        if (meeting.AgendaLockedAt is not null)
        {
            throw new ConflictException($"The agenda was fixed by {meeting.AgendaLockedBy} on {meeting.AgendaLockedAt:yyyy-MM-dd HH:mm} UTC; unlock it first (DELETE /api/meetings/{meeting.Id}/agenda/lock).");
        }

        if (meeting.Cancelled || meeting.Start <= now)
        {
            throw new ConflictException("The meeting is cancelled or under way already; its agenda cannot be changed any more.");
        }
    }

    /// <summary>
    /// Begins an agenda change (order, add, withdraw, fix) by claiming the meeting row with a conditional update in the
    /// change's transaction: the change goes ahead only while the agenda is still a draft in the database, not merely as
    /// it was read. A fix or an invitation committed in between turns the change into a 409 before anything is changed;
    /// one still in flight holds the row, so the two take turns. The claim leaves the meeting's <c>modified</c> as it is:
    /// OParl serves it, and a change to the non-public part must not show there (a public item's change moves it through
    /// the item, see <see cref="MoveAsync"/>). What the change does next (the consultation, the timers
    /// it calls off and sets anew, the journal) happens in this transaction and is written by
    /// <see cref="DraftChange.SaveAsync"/>; a change refused on the way is rolled back whole.
    /// </summary>
    public async Task<DraftChange> BeginDraftChangeAsync(Meeting meeting, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var stillDraft = await db.Meetings
                .Where(m => m.Id == meeting.Id && m.AgendaLockedAt == null && m.State == MeetingState.Scheduled && !m.Cancelled)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Modified, m => m.Modified), cancellationToken);
            if (stillDraft == 0)
            {
                throw new ConflictException("The agenda was fixed or the invitation sent while this change was being made; reload the agenda and check.");
            }

            return new DraftChange(db, transaction);
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>An agenda change under way: its transaction holds the meeting row until it is saved or dropped.</summary>
    public sealed class DraftChange(ICouncilDb db, IDbContextTransaction transaction) : IAsyncDisposable
    {
        public async Task SaveAsync(CancellationToken cancellationToken)
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        public ValueTask DisposeAsync() => transaction.DisposeAsync();
    }

    public static string LocalTime(DateTimeOffset instant, Body body) => BodyClock.LocalText(instant, body.Zone);

    /// <summary>A line in the paper's journal (its timeline), when a workflow instance carries the paper.</summary>
    public void Journal(Paper paper, Consultation consultation, Caller caller, DateTimeOffset now, string message)
    {
        if (paper.WorkflowInstanceId is { } instanceId)
        {
            db.Journal.Add(new JournalEntry
            {
                InstanceId = instanceId, Timestamp = now, Kind = JournalEventKind.ActivityExecuted, ActivityId = consultation.ActivityId,
                Actor = caller.UserName, Message = message,
            });
        }
    }

    /// <summary>
    /// Moves a consultation into another meeting (or none): its pending invitation and reminder are called off and set
    /// anew for the new meeting, as a moved meeting's are (<see cref="ConsultationPlanner.TimersOf"/>). The new timers
    /// are returned to be handed to the scheduler after the commit.
    /// </summary>
    public async Task<IReadOnlyList<WorkflowTimer>> MoveAsync(
        Consultation consultation, Paper paper, Organization committee, Meeting? target, Body body, DateTimeOffset now, string note, CancellationToken cancellationToken)
    {
        // The meeting the item leaves serves one public item fewer in OParl, so it counts as changed; an item of a
        // non-public paper leaves no trace there. The meeting it goes to shows the item, and its time, as served.
        if (paper.IsPublic && consultation.MeetingId is { } leftId && leftId != target?.Id
            && await db.Meetings.FindAsync([leftId], cancellationToken) is { Publicity: not MeetingPublicity.NonPublic } left)
        {
            left.Modified = now;
        }

        consultation.MeetingId = target?.Id;
        consultation.AgendaOrder = null;
        consultation.Modified = now;
        consultation.Revision++;
        planner.CancelPendingTimers(consultation.Id, note);

        if (target is null || paper.WorkflowInstanceId is not { } instanceId)
        {
            return [];
        }

        var created = ConsultationPlanner.NewTimers(instanceId, consultation, target, committee, paper, body, now, await planner.RemindsAsync(consultation, paper, cancellationToken));
        db.Timers.AddRange(created);
        return created;
    }
}
