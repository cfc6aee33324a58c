using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications.Templates;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Notifications;

/// <summary>
/// Tells the lead office (always) and the paper's followers (unless they opted out) what a consultation ended with:
/// a deferral and a referral have their own wording, every other outcome the outcome notice. A correction of the recorded
/// outcome (Protokollberichtigung) goes to the same people.
/// </summary>
public sealed class OutcomeNotices(ICouncilDb db, NotificationRecipients recipients, MailRenderer renderer, MailLinks links)
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
        var referredTo = referTo is null ? null
            : await db.Organizations.Where(o => o.BodyId == body.Id && o.Key == referTo).Select(o => o.Name).FirstOrDefaultAsync(cancellationToken);

        // The key keeps the kind of the first notice so that a step is reported to the office once, whatever its wording.
        // The keys name the consultation, whose outcome is recorded once: the step that records it finds it planned and
        // leaves it recorded in the same transaction as these notices, so no earlier step can have queued them and the
        // database is not asked (a round trip per step). Should that ever not hold, the keys' unique index refuses the
        // second notice and the step with it; it is never sent twice.
        return await QueueToAsync(new Notice(kind, $"outcome-notice:{consultation.Id}", $"{kind}:{consultation.Id}", (_, _) => { }),
            consultation, committee, paper, body, referredTo ?? referTo, now, paperHasFollowers, cancellationToken);
    }

    /// <summary>
    /// Tells the same people of a correction of the recorded outcome (Protokollberichtigung): what it said before, what it
    /// says now, why, who and when. Each correction is its own notice (the consultation's revision is in the key).
    /// </summary>
    public async Task<List<OutboxMessage>> QueueCorrectionAsync(
        Consultation consultation, Organization committee, Paper paper, RecordedOutcome before, string reason, string correctedBy, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var body = await db.Bodies.GetAsync(paper.BodyId, cancellationToken);
        var after = RecordedOutcome.Of(consultation);
        var prefix = $"{MailKinds.OutcomeCorrection}:{consultation.Id}:r{consultation.Revision}";
        var notice = new Notice(MailKinds.OutcomeCorrection, prefix, prefix, (model, language) => model["correction"] = new Dictionary<string, object?>
        {
            ["reason"] = reason,
            ["before"] = before.Describe(language),
            ["after"] = after.Describe(language),
            ["by"] = correctedBy,
            ["date"] = BodyClock.ToLocal(now, body.Zone).ToString(language == MailLanguages.English ? "dd/MM/yyyy" : "dd.MM.yyyy", MailModels.Culture(language)),
        });
        return await QueueToAsync(notice, consultation, committee, paper, body, null, now, paperHasFollowers: true, cancellationToken);
    }

    /// <summary>A kind of notice about a consultation: its keys' beginnings (lead office, followers) and what it adds to the model.</summary>
    private sealed record Notice(string Kind, string OfficeKeyPrefix, string FollowerKeyPrefix, Action<Dictionary<string, object?>, string> Extend);

    /// <summary>The notice to the lead office (always) and the followers who have not opted out of its kind, one per address.</summary>
    private async Task<List<OutboxMessage>> QueueToAsync(
        Notice notice, Consultation consultation, Organization committee, Paper paper, Body body, string? referredTo, DateTimeOffset now,
        bool paperHasFollowers, CancellationToken cancellationToken)
    {
        var meeting = consultation.MeetingId is { } meetingId ? await db.Meetings.GetAsync(meetingId, cancellationToken) : null;
        // Who is to hear of it, in order: the lead office first, then the followers (one notice per address).
        var candidates = new List<(string Key, string Address, string Name, string Language, Dictionary<string, object?> Recipient)>();
        if (paper.LeadOfficeId is { } leadId && await db.Organizations.GetAsync(leadId, cancellationToken) is { Email: { } officeAddress } office)
        {
            candidates.Add(($"{notice.OfficeKeyPrefix}:{office.Id}", officeAddress, office.Name, MailLanguages.German,
                MailModels.Recipient(office.Name, officeAddress, "Federführung")));
        }

        var day = BodyClock.LocalDay(meeting?.Start ?? now, body.Zone);
        foreach (var follower in paperHasFollowers ? await recipients.FollowersAsync(paper, committee.Id, day, cancellationToken) : [])
        {
            if (!follower.Preference.OptOut.Contains(notice.Kind))
            {
                candidates.Add(($"{notice.FollowerKeyPrefix}:user:{follower.UserId}", follower.Address, follower.Name, follower.Preference.Language,
                    MailModels.Recipient(follower.Name, follower.Address, "Folgt der Vorlage")));
            }
        }

        var queued = new List<OutboxMessage>();
        if (candidates.Count == 0)
        {
            return queued;
        }

        // Within this unit of work a key is checked here.
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
                ["meeting"] = meeting is null && consultation.DecidedByCirculation
                    ? MailModels.Circulation(consultation, body, language)
                    : MailModels.Meeting(meeting, body, language, links),
                ["paper"] = MailModels.Paper(paper, links),
                ["consultation"] = MailModels.Consultation(consultation, referredTo),
                ["finished"] = paper.Status == PaperStatus.Done,
                ["withdrawn"] = paper.Status == PaperStatus.Withdrawn,
                ["body"] = MailModels.Body(body),
                ["links"] = links.Model(),
            };
            notice.Extend(model, language);
            var mail = await renderer.RenderAsync(body, notice.Kind, language, model, cancellationToken);
            var message = Notices.Create(notice.Kind, key, body.Id, address, name, mail, paper.Id, now);
            db.OutboxMessages.Add(message);
            queued.Add(message);
        }

        return queued;
    }
}
