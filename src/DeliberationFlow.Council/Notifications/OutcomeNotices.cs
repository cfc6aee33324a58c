using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications.Templates;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Notifications;

/// <summary>
/// Tells the lead office (always) and the paper's followers (unless they opted out) what a consultation ended with:
/// a deferral and a referral have their own wording, every other outcome the outcome notice.
/// </summary>
public sealed class OutcomeNotices(ICouncilDb db, NotificationRecipients recipients, MailRenderer renderer)
{
    public static string KindOf(Outcome? outcome) => outcome switch
    {
        Outcome.Deferred => MailKinds.DeferralNotice,
        Outcome.Referred => MailKinds.ReferralNotice,
        _ => MailKinds.OutcomeNotice,
    };

    /// <param name="paperHasFollowers">
    /// Whether anyone follows the paper, as the step read it with its consultation (in the same transaction): false spares
    /// the step the look-up of followers, which most papers have none of.
    /// </param>
    public async Task<List<OutboxMessage>> QueueAsync(
        Consultation consultation, Organization committee, Paper paper, string? referTo, DateTimeOffset now, bool paperHasFollowers,
        CancellationToken cancellationToken)
    {
        var kind = KindOf(consultation.Outcome);
        var body = await db.Bodies.GetAsync(paper.BodyId, cancellationToken);
        var meeting = consultation.MeetingId is { } meetingId ? await db.Meetings.GetAsync(meetingId, cancellationToken) : null;
        var referredTo = referTo is null ? null
            : await db.Organizations.Where(o => o.BodyId == body.Id && o.Key == referTo).Select(o => o.Name).FirstOrDefaultAsync(cancellationToken);
        // Who is to hear of it, in order: the lead office first, then the followers (one notice per address).
        var candidates = new List<(string Key, string Address, string Name, string Language, Dictionary<string, object?> Recipient)>();
        if (paper.LeadOfficeId is { } leadId && await db.Organizations.GetAsync(leadId, cancellationToken) is { Email: { } officeAddress } office)
        {
            // The key keeps the kind of the first notice so that a step is reported to the office once, whatever its wording.
            candidates.Add(($"outcome-notice:{consultation.Id}:{office.Id}", officeAddress, office.Name, MailLanguages.German,
                MailModels.Recipient(office.Name, officeAddress, "Federführung")));
        }

        var day = DateOnly.FromDateTime(BodyClock.ToLocal(meeting?.Start ?? now, body.Zone).DateTime);
        foreach (var follower in paperHasFollowers ? await recipients.FollowersAsync(paper, committee.Id, day, cancellationToken) : [])
        {
            if (!follower.Preference.OptOut.Contains(kind))
            {
                candidates.Add(($"{kind}:{consultation.Id}:user:{follower.UserId}", follower.Address, follower.Name, follower.Preference.Language,
                    MailModels.Recipient(follower.Name, follower.Address, "Folgt der Vorlage")));
            }
        }

        var queued = new List<OutboxMessage>();
        if (candidates.Count == 0)
        {
            return queued;
        }

        // The keys name the consultation, whose outcome is recorded once: the step that records it finds it planned and
        // leaves it recorded in the same transaction as these notices, so no earlier step can have queued them and the
        // database is not asked (a round trip per step). Should that ever not hold, the keys' unique index refuses the
        // second notice and the step with it; it is never sent twice. Within this unit of work a key is checked here.
        var existing = db.OutboxMessages.Tracked().Select(m => m.DeduplicationKey).ToHashSet();

        foreach (var (key, address, name, language, recipient) in candidates)
        {
            if (existing.Contains(key) || queued.Any(m => string.Equals(m.RecipientAddress, address, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var model = new Dictionary<string, object?>
            {
                ["recipient"] = recipient,
                ["committee"] = MailModels.Committee(committee),
                ["meeting"] = MailModels.Meeting(meeting, body, language),
                ["paper"] = MailModels.Paper(paper),
                ["consultation"] = MailModels.Consultation(consultation, referredTo ?? referTo),
                ["finished"] = paper.Status == PaperStatus.Done,
                ["withdrawn"] = paper.Status == PaperStatus.Withdrawn,
                ["body"] = MailModels.Body(body),
            };
            var mail = await renderer.RenderAsync(body, kind, language, model, cancellationToken);
            var message = Notices.Create(kind, key, body.Id, address, name, mail, paper.Id, now);
            db.OutboxMessages.Add(message);
            queued.Add(message);
        }

        return queued;
    }
}
