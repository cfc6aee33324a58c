using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications.Templates;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Notifications;

/// <summary>An item of a meeting's agenda as the invitation numbers it (Ö 1 …, N 1 …).</summary>
public sealed record AgendaLine(string Number, Consultation Consultation, Paper Paper);

/// <summary>
/// When a meeting is invited, those who follow its committee (<see cref="FollowCommittees"/>) hear of its public agenda:
/// one message per follower and meeting, and a supplement (Nachtrag) for public items planned after it went out. Nothing
/// non-public reaches them: a meeting held in private sends nothing, and of a mixed one only the public part. Members of
/// the committee get the invitation instead, deactivated accounts nothing, and a follower who turned the kind off nothing.
/// </summary>
public sealed class CommitteeFollowerNotices(ICouncilDb db, MailRenderer renderer, MailLinks links)
{
    /// <returns>
    /// The addresses whose agenda notice names the item fired for: written to now, or earlier under another item's timer
    /// of the same meeting (the journal of each paper names them, as it names the members).
    /// </returns>
    public async Task<IReadOnlyList<string>> QueueAsync(
        Meeting meeting, Organization committee, Body body, IReadOnlyList<AgendaLine> agenda, Guid firedFor, IReadOnlyCollection<Guid> memberPersonIds,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var published = InvitationAgenda.For(meeting, agenda, invited: false).ToList();
        if (published.All(a => a.Consultation.Id != firedFor))
        {
            return []; // the item whose invitation fired is not public: nothing new for followers
        }

        var followers = await (from follower in db.CommitteeFollowers
                               join user in db.Users on follower.UserId equals user.Id
                               where follower.OrganizationId == committee.Id && user.BodyId == body.Id && user.DeactivatedAt == null
                               select user).AsNoTracking().ToListAsync(cancellationToken);
        if (followers.Count == 0)
        {
            return [];
        }

        var personIds = followers.Where(u => u.PersonId != null).Select(u => u.PersonId!.Value).ToList();
        var persons = await db.Persons.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var userIds = followers.Select(u => u.Id).ToList();
        var preferences = await db.NotificationPreferences.AsNoTracking().Where(p => userIds.Contains(p.UserId)).ToDictionaryAsync(p => p.UserId, cancellationToken);

        await Notices.TakeMeetingAsync(db, meeting.Id, cancellationToken);

        var written = new List<string>();
        foreach (var user in followers)
        {
            var person = user.PersonId is { } id ? persons.GetValueOrDefault(id) : null;
            var address = user.Email ?? person?.Email;
            var preference = preferences.GetValueOrDefault(user.Id) ?? new NotificationPreference();
            if (string.IsNullOrWhiteSpace(address) || (person is not null && memberPersonIds.Contains(person.Id)) || preference.OptOut.Contains(MailKinds.AgendaNotice))
            {
                continue;
            }

            var prefix = $"{MailKinds.AgendaNotice}:{meeting.Id}:{user.Id}";
            var (covered, earlier) = await Notices.SentUnderAsync(db, prefix, cancellationToken);
            if (covered.ContainsKey(firedFor))
            {
                written.Add(address);
                continue;
            }

            var items = published.Where(a => !covered.ContainsKey(a.Consultation.Id)).ToList();
            if (items.Count == 0)
            {
                continue;
            }

            var name = person?.Name ?? user.DisplayName;
            var model = new Dictionary<string, object?>
            {
                ["recipient"] = MailModels.Recipient(name, address),
                ["committee"] = MailModels.Committee(committee),
                ["meeting"] = MailModels.Meeting(meeting, body, preference.Language, links),
                ["items"] = items.Select(i => (object?)MailModels.Item(i.Number, i.Consultation, i.Paper, links)).ToList(),
                ["references"] = string.Join(", ", items.Select(i => i.Paper.Reference)),
                ["supplement"] = earlier > 0,
                ["body"] = MailModels.Body(body),
                ["links"] = links.Model(),
            };
            var mail = await renderer.RenderAsync(body, MailKinds.AgendaNotice, preference.Language, model, cancellationToken);
            db.OutboxMessages.Add(Notices.Create(MailKinds.AgendaNotice, earlier == 0 ? prefix : $"{prefix}:{firedFor}", body.Id, address, name, mail,
                items.Count == 1 ? items[0].Paper.Id : published.First(a => a.Consultation.Id == firedFor).Paper.Id, now, items: string.Join(",", items.Select(i => i.Consultation.Id))));
            written.Add(address);
        }

        return written;
    }
}
