using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications.Templates;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Notifications;

/// <summary>
/// A consultation a workflow waits for whose meeting passed more than the committee's <see cref="Organization.EscalationDays"/>
/// ago without an outcome is reported once to the committee's secretaries and the paper's lead office. Run by the every-minute
/// reconciliation; the message keys make a second report of the same step impossible.
/// </summary>
public sealed class EscalateOverdueSteps(ICouncilDb db, NotificationRecipients notificationRecipients, MailRenderer renderer, MailLinks links, TimeProvider clock)
{
    public async Task<int> HandleAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var earliest = now.AddDays(-1);
        var overdue = await (from consultation in db.Consultations
                             join meeting in db.Meetings on consultation.MeetingId equals meeting.Id
                             join committee in db.Organizations on consultation.OrganizationId equals committee.Id
                             // Only steps a workflow waits for: an import brings the source's history, whose steps
                             // without a recorded result in long-past meetings are nobody's task here.
                             where consultation.Status == ConsultationStatus.Planned && consultation.ActivityId != null
                                   && !meeting.Cancelled && meeting.Start < earliest
                             select new { consultation, meeting, committee }).AsNoTracking().ToListAsync(cancellationToken);
        overdue = overdue.Where(o => o.meeting.Start.AddDays(o.committee.EscalationDays) <= now).ToList();
        if (overdue.Count == 0)
        {
            return 0;
        }

        // The reports already sent for these papers only (by the outbox's paper index), not every report of the
        // installation's history, which this every-minute job would otherwise read in full each time.
        var paperIds = overdue.Select(o => (Guid?)o.consultation.PaperId).Distinct().ToList();
        var reported = (await db.OutboxMessages.AsNoTracking().Where(m => m.Kind == MailKinds.Escalation && paperIds.Contains(m.PaperId))
                .Select(m => m.DeduplicationKey).ToListAsync(cancellationToken))
            .Select(k => k.Split(':')[1]).ToHashSet();
        var queued = 0;
        foreach (var step in overdue.Where(o => !reported.Contains(o.consultation.Id.ToString())))
        {
            var paper = await db.Papers.GetAsync(step.consultation.PaperId, cancellationToken);
            var body = await db.Bodies.GetAsync(paper.BodyId, cancellationToken);
            var recipients = (await notificationRecipients.SecretariesAsync(body.Id, step.committee.Id, cancellationToken))
                .Select(s => (Key: $"user:{s.UserId}", s.Address, s.Name, Role: "Sitzungsdienst"))
                .ToList();
            if (paper.LeadOfficeId is { } leadId && await db.Organizations.GetAsync(leadId, cancellationToken) is { Email: { } officeAddress } office)
            {
                recipients.Add(($"office:{office.Id}", officeAddress, office.Name, "Federführung"));
            }

            var daysOverdue = (int)(now - step.meeting.Start).TotalDays;
            foreach (var recipient in recipients.DistinctBy(r => r.Address.ToUpperInvariant()))
            {
                var model = new Dictionary<string, object?>
                {
                    ["recipient"] = MailModels.Recipient(recipient.Name, recipient.Address, recipient.Role),
                    ["committee"] = MailModels.Committee(step.committee),
                    ["meeting"] = MailModels.Meeting(step.meeting, body, MailLanguages.German, links),
                    ["paper"] = MailModels.Paper(paper, links),
                    ["consultation"] = MailModels.Consultation(step.consultation),
                    ["daysOverdue"] = daysOverdue,
                    ["body"] = MailModels.Body(body),
                    ["links"] = links.Model(),
                };
                var mail = await renderer.RenderAsync(body, MailKinds.Escalation, MailLanguages.German, model, cancellationToken);
                db.OutboxMessages.Add(Notices.Create(MailKinds.Escalation, $"{MailKinds.Escalation}:{step.consultation.Id}:{recipient.Key}",
                    body.Id, recipient.Address, recipient.Name, mail, paper.Id, now));
                queued++;
            }
        }

        if (queued > 0)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
            {
                // Another node reported the same steps first.
                db.ChangeTracker.Clear();
                return 0;
            }
        }

        return queued;
    }
}
