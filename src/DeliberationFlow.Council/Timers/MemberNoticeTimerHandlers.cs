using System.Globalization;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Timers;

/// <summary>The Ladungsfrist has come: invite the committee's members to the meeting that will deliberate the paper.</summary>
public sealed class InvitationTimerHandler(ICouncilDb db) : MemberNoticeTimerHandler(db)
{
    public override string Kind => ConsultationPlanner.InvitationTimer;

    protected override string NoticeKind => "invitation";

    protected override bool MarksMeetingInvited => true;

    protected override OutboxMessage Compose(Guid consultationId, Person member, Organization committee, Meeting meeting, Paper paper, Body body, DateTimeOffset now) =>
        Notices.Invitation(consultationId, member, committee, meeting, paper, body, now);
}

/// <summary>The day before the meeting: remind the committee's members that the paper is on tomorrow's agenda.</summary>
public sealed class ReminderTimerHandler(ICouncilDb db) : MemberNoticeTimerHandler(db)
{
    public override string Kind => ConsultationPlanner.ReminderTimer;

    protected override string NoticeKind => "reminder";

    protected override bool MarksMeetingInvited => false;

    protected override OutboxMessage Compose(Guid consultationId, Person member, Organization committee, Meeting meeting, Paper paper, Body body, DateTimeOffset now) =>
        Notices.Reminder(consultationId, member, committee, meeting, paper, body, now);
}

/// <summary>
/// A notice to every member of the committee that deliberates a consultation, sent when its timer fires —
/// unless the consultation is no longer planned, the meeting was cancelled or has begun. One outbox row per
/// member and notice, so a repeated firing never queues a second mail.
/// </summary>
public abstract class MemberNoticeTimerHandler(ICouncilDb db) : ITimerHandler
{
    public abstract string Kind { get; }

    protected abstract string NoticeKind { get; }

    protected abstract bool MarksMeetingInvited { get; }

    protected abstract OutboxMessage Compose(Guid consultationId, Person member, Organization committee, Meeting meeting, Paper paper, Body body, DateTimeOffset now);

    public async Task<TimerHandling> HandleAsync(WorkflowTimer timer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var consultationId = Guid.Parse(timer.Key, CultureInfo.InvariantCulture);
        var consultation = await db.Consultations.GetAsync(consultationId, cancellationToken);
        if (consultation.Status != ConsultationStatus.Planned || consultation.MeetingId is null)
        {
            return TimerHandling.Skip($"Die Beratung ist nicht mehr geplant ({Vocabulary.Label(consultation.Status)}).");
        }

        var meeting = await db.Meetings.GetAsync(consultation.MeetingId, cancellationToken);
        if (meeting.Cancelled)
        {
            return TimerHandling.Skip("Die Sitzung fällt aus.");
        }

        if (meeting.Start <= now)
        {
            return TimerHandling.Skip("Die Sitzung hat bereits begonnen; die Nachricht kommt zu spät.");
        }

        var committee = await db.Organizations.GetAsync(consultation.OrganizationId, cancellationToken);
        var paper = await db.Papers.GetAsync(consultation.PaperId, cancellationToken);
        var body = await db.Bodies.GetAsync(paper.BodyId, cancellationToken);
        var meetingDay = DateOnly.FromDateTime(BodyClock.ToLocal(meeting.Start, body.Zone).DateTime);

        var recipients = await db.ReachableOnAsync(committee.Id, meetingDay, cancellationToken);

        var keys = recipients.Select(p => $"{NoticeKind}:{consultationId}:{p.Id}").ToList();
        var queued = await db.OutboxMessages.Where(m => keys.Contains(m.DeduplicationKey)).Select(m => m.DeduplicationKey).ToListAsync(cancellationToken);
        var notified = recipients.Where(p => !queued.Contains($"{NoticeKind}:{consultationId}:{p.Id}")).ToList();
        foreach (var person in notified)
        {
            db.OutboxMessages.Add(Compose(consultationId, person, committee, meeting, paper, body, now));
        }

        db.Journal.Add(new JournalEntry
        {
            InstanceId = timer.InstanceId,
            Timestamp = now,
            Kind = JournalEventKind.NotificationQueued,
            ActivityId = timer.ActivityId,
            Actor = "system",
            Message = $"{(NoticeKind == "invitation" ? "Einladung" : "Erinnerung")} an {string.Join(", ", notified.Select(p => p.Email))}.",
        });

        if (MarksMeetingInvited && meeting.State == MeetingState.Scheduled)
        {
            meeting.State = MeetingState.Invited;
            meeting.Modified = now;
        }

        return TimerHandling.Fired($"{(NoticeKind == "invitation" ? "Einladung" : "Erinnerung")} zu {committee.Name} am {meetingDay.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)} an {recipients.Count} Mitglieder.");
    }
}
