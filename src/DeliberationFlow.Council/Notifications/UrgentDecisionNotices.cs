using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications.Templates;

namespace DeliberationFlow.Council.Notifications;

/// <summary>
/// The mail of an Eilentscheidung (§ 89 NKomVG): the lead office and the Verwaltungsausschuss's secretaries (who prepare its
/// meeting) hear that the VA decides in the Rat's place, why, and in which meeting. Mandatory, through the outbox, in German
/// (both are offices of the administration).
/// </summary>
public sealed class UrgentDecisionNotices(ICouncilDb db, NotificationRecipients notificationRecipients, MailRenderer renderer, MailLinks links)
{
    public async Task<List<OutboxMessage>> QueueStartedAsync(
        Consultation consultation, Organization va, Organization council, Paper paper, Body body, Meeting? meeting, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recipients = new List<(string Key, string Address, string Name, Dictionary<string, object?> Recipient)>();
        if (paper.LeadOfficeId is { } leadId && await db.Organizations.GetAsync(leadId, cancellationToken) is { Email: { } officeAddress } office)
        {
            recipients.Add(($"office:{office.Id}", officeAddress, office.Name, MailModels.Recipient(office.Name, officeAddress, "Federführung")));
        }

        var secretaries = await notificationRecipients.SecretariesAsync(body.Id, va.Id, cancellationToken);
        recipients.AddRange(secretaries.Select(s => ($"user:{s.UserId}", s.Address, s.Name, s.Model())));

        var queued = new List<OutboxMessage>();
        foreach (var (key, address, name, recipient) in recipients.DistinctBy(r => r.Address.ToUpperInvariant()))
        {
            var model = new Dictionary<string, object?>
            {
                ["recipient"] = recipient,
                ["committee"] = MailModels.Committee(va),
                ["meeting"] = MailModels.Meeting(meeting, body, MailLanguages.German, links),
                ["paper"] = MailModels.Paper(paper, links),
                ["urgent"] = new Dictionary<string, object?>
                {
                    ["council"] = council.Name,
                    ["reason"] = consultation.UrgentDecisionReason,
                    ["by"] = consultation.UrgentDecisionBy,
                    ["date"] = BodyClock.ToLocal(now, body.Zone).ToString("dd.MM.yyyy", MailModels.Culture(MailLanguages.German)),
                },
                ["body"] = MailModels.Body(body),
                ["links"] = links.Model(),
            };
            var mail = await renderer.RenderAsync(body, MailKinds.UrgentDecision, MailLanguages.German, model, cancellationToken);
            var message = Notices.Create(MailKinds.UrgentDecision, $"{MailKinds.UrgentDecision}:{consultation.Id}:{now.UtcTicks}:{key}", body.Id, address, name, mail, paper.Id, now);
            db.OutboxMessages.Add(message);
            queued.Add(message);
        }

        return queued;
    }
}
