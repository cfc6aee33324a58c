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
public sealed class InvitationTimerHandler(ICouncilDb db) : ITimerHandler
{
    public string Kind => ConsultationPlanner.InvitationTimer;

    public async Task<TimerHandling> HandleAsync(WorkflowTimer timer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var consultationId = Guid.Parse(timer.Key, CultureInfo.InvariantCulture);
        var consultation = await db.Consultations.SingleAsync(c => c.Id == consultationId, cancellationToken);
        if (consultation.Status != ConsultationStatus.Planned || consultation.MeetingId is null)
        {
            return TimerHandling.Skip($"Die Beratung ist nicht mehr geplant ({Vocabulary.Label(consultation.Status)}).");
        }

        var meeting = await db.Meetings.SingleAsync(m => m.Id == consultation.MeetingId, cancellationToken);
        if (meeting.Cancelled)
        {
            return TimerHandling.Skip("Die Sitzung fällt aus.");
        }

        if (meeting.Start <= now)
        {
            return TimerHandling.Skip("Die Sitzung hat bereits begonnen; eine Einladung kommt zu spät.");
        }

        var committee = await db.Organizations.SingleAsync(o => o.Id == consultation.OrganizationId, cancellationToken);
        var paper = await db.Papers.SingleAsync(p => p.Id == consultation.PaperId, cancellationToken);
        var body = await db.Bodies.SingleAsync(b => b.Id == paper.BodyId, cancellationToken);
        var meetingDay = DateOnly.FromDateTime(BodyClock.ToLocal(meeting.Start, body.Zone).DateTime);

        var members = await (
                from membership in db.Memberships
                join person in db.Persons on membership.PersonId equals person.Id
                where membership.OrganizationId == committee.Id
                select new { membership, person })
            .ToListAsync(cancellationToken);
        var recipients = members
            .Where(m => m.membership.IsActiveOn(meetingDay) && !string.IsNullOrWhiteSpace(m.person.Email))
            .Select(m => m.person)
            .DistinctBy(p => p.Id)
            .ToList();

        var keys = recipients.Select(p => $"invitation:{consultationId}:{p.Id}").ToList();
        var queued = await db.OutboxMessages.Where(m => keys.Contains(m.DeduplicationKey)).Select(m => m.DeduplicationKey).ToListAsync(cancellationToken);
        var invited = recipients.Where(p => !queued.Contains($"invitation:{consultationId}:{p.Id}")).ToList();
        foreach (var person in invited)
        {
            db.OutboxMessages.Add(Notices.Invitation(consultationId, person, committee, meeting, paper, body, now));
        }

        db.Journal.Add(new JournalEntry
        {
            InstanceId = timer.InstanceId,
            Timestamp = now,
            Kind = JournalEventKind.NotificationQueued,
            ActivityId = timer.ActivityId,
            Actor = "system",
            Message = $"Einladung an {string.Join(", ", invited.Select(p => p.Email))}.",
        });

        if (meeting.State == MeetingState.Scheduled)
        {
            meeting.State = MeetingState.Invited;
            meeting.Modified = now;
        }

        return TimerHandling.Fired($"Einladung zu {committee.Name} am {meetingDay.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)} an {recipients.Count} Mitglieder.");
    }
}
