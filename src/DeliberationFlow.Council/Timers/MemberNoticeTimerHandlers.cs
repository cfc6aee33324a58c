using System.Globalization;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Notifications.Templates;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Timers;

/// <summary>The Ladungsfrist has come: invite the committee's members, with the agenda and the meeting as a calendar entry.</summary>
public sealed class InvitationTimerHandler(
    ICouncilDb db, NotificationRecipients recipients, MailRenderer renderer, MailIdentity sender, MailLinks links, CommitteeFollowerNotices followers)
    : MemberNoticeTimerHandler(db, recipients, renderer, sender, links)
{
    public override string Kind => ConsultationPlanner.InvitationTimer;

    protected override string NoticeKind => MailKinds.Invitation;

    protected override bool MarksMeetingInvited => true;

    /// <summary>The invitation publishes the agenda: those who follow the committee hear of its public part.</summary>
    protected override Task<IReadOnlyList<string>> AlsoNotifyAsync(
        Meeting meeting, Organization committee, Body body, IReadOnlyList<AgendaLine> agenda, Guid consultationId, IReadOnlyCollection<Guid> memberPersonIds,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        followers.QueueAsync(meeting, committee, body, agenda, consultationId, memberPersonIds, now, cancellationToken);
}

/// <summary>Some days before the meeting (per committee): remind the members of what is on the agenda.</summary>
public sealed class ReminderTimerHandler(ICouncilDb db, NotificationRecipients recipients, MailRenderer renderer, MailIdentity sender, MailLinks links)
    : MemberNoticeTimerHandler(db, recipients, renderer, sender, links)
{
    public override string Kind => ConsultationPlanner.ReminderTimer;

    protected override string NoticeKind => MailKinds.Reminder;

    protected override bool MarksMeetingInvited => false;

    /// <summary>
    /// A reminder is for the meeting at its start: moved after one went out, the meeting's reminder timers are set anew
    /// for the new date, and the members are reminded of that one too (keyed by the meeting alone, they found the first
    /// reminder's key and heard nothing). A move back to a start already reminded of sends nothing more.
    /// </summary>
    protected override string Occasion(Meeting meeting) => $"{meeting.Id}:{meeting.Start.UtcTicks}";
}

/// <summary>
/// A notice to every member of the committee that deliberates a consultation, sent when its timer fires — unless the
/// consultation is no longer planned, the meeting was cancelled or has begun. A member who asked for single messages
/// gets one per item; everyone else one per meeting listing its items (a later one lists only what was added since).
/// Each message's key makes a second one for the same cause impossible, so a repeated firing queues nothing new.
/// </summary>
public abstract class MemberNoticeTimerHandler(ICouncilDb db, NotificationRecipients recipients, MailRenderer renderer, MailIdentity sender, MailLinks links)
    : ITimerHandler
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public abstract string Kind { get; }

    protected abstract string NoticeKind { get; }

    protected abstract bool MarksMeetingInvited { get; }

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
        var body = await db.Bodies.GetAsync(meeting.BodyId, cancellationToken);
        var meetingDay = BodyClock.LocalDay(meeting.Start, body.Zone);
        var agenda = await InvitationAgenda.OfAsync(db, meeting, cancellationToken);
        var members = await recipients.MembersAsync(committee.Id, meetingDay, cancellationToken);
        var mandatory = MailKinds.Find(NoticeKind)!.Mandatory;

        // Every member invited (on the meeting's day) gets the whole agenda; a move's notice builds its entry the same way.
        var calendar = NoticeKind == MailKinds.Invitation ? InvitationAgenda.Calendar(meeting, committee, body, InvitationAgenda.For(meeting, agenda, invited: true), sender) : null;

        // The days from the day the message goes out to the meeting's, as the reminder words them ("morgen"). Mostly the
        // committee's reminder days; but a meeting moved after its reminder (to another time of the same day, or the
        // next) is reminded anew at once, and "morgen" on the meeting's own day would send the members a day off.
        var daysBefore = meetingDay.DayNumber - BodyClock.LocalDay(now, body.Zone).DayNumber;
        var notified = new List<string>();

        // Members whose digest, queued before under another item's timer (the meeting's timers fire together), already
        // lists this item: this paper's journal names them too, with the paper whose timer queued it.
        var alreadyNotified = new List<(string Address, Guid? CarriedBy)>();
        var locked = false;

        // Single messages first: only the digests need the meeting's row (below), and the lock lasts until commit.
        foreach (var member in members.OrderBy(m => m.Preference.DigestIn(body)))
        {
            if (!mandatory && member.Preference.OptOut.Contains(NoticeKind))
            {
                continue;
            }

            if (member.Preference.DigestIn(body) && !locked)
            {
                await Notices.TakeMeetingAsync(db, meeting.Id, cancellationToken);
                locked = true;
            }

            var (key, items, supplement, carried) = member.Preference.DigestIn(body)
                ? await DigestAsync(meeting, member, consultationId, agenda, cancellationToken)
                : await SingleAsync(meeting, consultationId, member, agenda, cancellationToken);
            if (carried is not null)
            {
                alreadyNotified.Add((member.Person.Email!, carried.PaperId));
            }

            if (key is null)
            {
                continue;
            }

            var language = member.Preference.Language;
            var model = new Dictionary<string, object?>
            {
                ["recipient"] = member.Model(),
                ["committee"] = MailModels.Committee(committee),
                ["meeting"] = MailModels.Meeting(meeting, body, language, links),
                ["items"] = items.Select(i => (object?)MailModels.Item(i.Number, i.Consultation, i.Paper, links)).ToList(),
                ["references"] = string.Join(", ", items.Select(i => i.Paper.Reference)),
                ["supplement"] = supplement,
                ["daysBefore"] = daysBefore,
                ["daysBeforeText"] = MailModels.DaysBefore(daysBefore, language),
                ["body"] = MailModels.Body(body),
                ["links"] = links.Model(),
            };
            var mail = await renderer.RenderAsync(body, NoticeKind, language, model, cancellationToken);
            var paperId = items.Count == 1 ? items[0].Paper.Id : consultation.PaperId;
            db.OutboxMessages.Add(Notices.Create(NoticeKind, key, body.Id, member.Person.Email!, member.Person.Name, mail, paperId, now,
                calendar, string.Join(",", items.Select(i => i.Consultation.Id))));
            notified.Add(member.Person.Email!);
        }

        var others = await AlsoNotifyAsync(meeting, committee, body, agenda, consultationId, members.Select(m => m.Person.Id).ToHashSet(), now, cancellationToken);
        var label = NoticeKind == MailKinds.Invitation ? "Einladung" : "Erinnerung";
        db.Journal.Add(new JournalEntry
        {
            InstanceId = timer.InstanceId,
            Timestamp = now,
            Kind = JournalEventKind.NotificationQueued,
            ActivityId = timer.ActivityId,
            Actor = "system",
            Message = await RecipientsLineAsync(label, notified, alreadyNotified, cancellationToken)
                      + (others.Count == 0 ? "" : $" Tagesordnung an Folgende des Gremiums: {string.Join(", ", others)}."),
        });

        if (MarksMeetingInvited && meeting.State == MeetingState.Scheduled)
        {
            meeting.State = MeetingState.Invited;
            meeting.Modified = now;
        }

        return TimerHandling.Fired($"{label} zu {committee.Name} am {meetingDay.ToString("dd.MM.yyyy", German)} an {members.Count} Mitglieder.");
    }

    /// <summary>
    /// What a message's key names besides its kind, recipient (and item, for single messages): the meeting, so an
    /// invitation goes out once however often its timers fire or the meeting moves (the change notice tells of a move,
    /// with the updated calendar entry).
    /// </summary>
    protected virtual string Occasion(Meeting meeting) => meeting.Id.ToString();

    /// <summary>Who else hears of the meeting when the timer fires (nobody, but for the invitation); returns their addresses.</summary>
    protected virtual Task<IReadOnlyList<string>> AlsoNotifyAsync(
        Meeting meeting, Organization committee, Body body, IReadOnlyList<AgendaLine> agenda, Guid consultationId, IReadOnlyCollection<Guid> memberPersonIds,
        DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>
    /// The journal line: everyone whose message names this item, those queued now and those whose digest came earlier
    /// under another item's timer — an auditor reads each paper's journal on its own, so "an ." would hide the invitation.
    /// </summary>
    private async Task<string> RecipientsLineAsync(
        string label, List<string> notified, List<(string Address, Guid? CarriedBy)> alreadyNotified, CancellationToken cancellationToken)
    {
        var all = notified.Concat(alreadyNotified.Select(a => a.Address)).Distinct(StringComparer.Ordinal).ToList();
        if (all.Count == 0)
        {
            return $"{label} an niemanden.";
        }

        var line = $"{label} an {string.Join(", ", all)}.";
        if (alreadyNotified.Count == 0)
        {
            return line;
        }

        // The carrying paper may have been withdrawn or deleted since; its reference still says where the message is.
        var carriers = alreadyNotified.Select(a => a.CarriedBy).OfType<Guid>().Distinct().ToList();
        var references = await db.Papers.AsNoTracking().IgnoreQueryFilters().Where(p => carriers.Contains(p.Id))
            .Select(p => p.Reference).ToListAsync(cancellationToken);
        var with = $"mit der {label} zur Sitzung" + (references.Count == 0 ? "" : $", die schon unter {string.Join(", ", references.Order(StringComparer.Ordinal))} vorgemerkt war");
        return notified.Count == 0
            ? $"{label} an {string.Join(", ", all)} — {with}."
            : $"{line} Davon {with}: {string.Join(", ", alreadyNotified.Select(a => a.Address))}.";
    }

    private async Task<(string? Key, List<AgendaLine> Items, bool Supplement, EarlierMessage? Carried)> SingleAsync(
        Meeting meeting, Guid consultationId, MemberRecipient member, List<AgendaLine> agenda, CancellationToken cancellationToken)
    {
        // With the meeting: a consultation of a cancelled meeting goes on to the next one, whose invitation must name it
        // again (keyed by the consultation alone, it found the first invitation's key and the member heard nothing).
        var key = $"{NoticeKind}:{consultationId}:{Occasion(meeting)}:{member.Person.Id}";
        var item = agenda.FirstOrDefault(a => a.Consultation.Id == consultationId);
        if (item is null || await db.OutboxMessages.AnyAsync(m => m.DeduplicationKey == key, cancellationToken))
        {
            return (null, [], false, null);
        }

        return (key, [item], false, null);
    }

    /// <summary>
    /// One message per member and meeting; items planned after it went out come in a supplement (Nachtrag). When an
    /// earlier one lists this item already, nothing is queued, and <c>Carried</c> names the paper it went out under.
    /// </summary>
    private async Task<(string? Key, List<AgendaLine> Items, bool Supplement, EarlierMessage? Carried)> DigestAsync(
        Meeting meeting, MemberRecipient member, Guid consultationId, List<AgendaLine> agenda, CancellationToken cancellationToken)
    {
        var prefix = $"{NoticeKind}:{Occasion(meeting)}:{member.Person.Id}";
        var (covered, earlier) = await Notices.SentUnderAsync(db, prefix, cancellationToken);
        if (covered.TryGetValue(consultationId, out var carriedBy))
        {
            return (null, [], false, new EarlierMessage(carriedBy));
        }

        var items = agenda.Where(a => !covered.ContainsKey(a.Consultation.Id)).ToList();
        return items.Count == 0
            ? (null, [], false, null)
            : (earlier == 0 ? prefix : $"{prefix}:{consultationId}", items, earlier > 0, null);
    }

    /// <summary>A message queued before that lists the item already; <see cref="PaperId"/> is the paper it went out under.</summary>
    private sealed record EarlierMessage(Guid? PaperId);
}
