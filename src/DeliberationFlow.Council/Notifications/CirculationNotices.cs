using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Circulations;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications.Templates;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Notifications;

/// <summary>
/// The mails of an Umlaufverfahren, through the outbox like every other: the request to answer, to each member asked (in
/// the member's language, with the links to where they answer), the reminder before the Frist to those who have not answered,
/// the notice to every member asked that it ended (and how), and the notice that it failed, to the committee's secretaries.
/// All are mandatory: a member cannot opt out of being asked to decide, nor of hearing what became of it.
/// </summary>
public sealed class CirculationNotices(ICouncilDb db, NotificationRecipients recipients, MailRenderer renderer, MailLinks links)
{
    /// <summary>Queues the request to every member of the circulation who has an e-mail address; returns their names and addresses.</summary>
    public Task<List<OutboxMessage>> QueueRequestAsync(
        Circulation circulation, Organization committee, Paper paper, Consultation consultation, Body body, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        QueueToMembersAsync(MailKinds.CirculationRequest, circulation, committee, paper, consultation, body, null, _ => true, now, cancellationToken);

    /// <summary>
    /// Reminds the members who have not answered yet, before the Frist (the reminder's timer, in its transaction), with the
    /// link to the portal's list, as the request has.
    /// </summary>
    public Task<List<OutboxMessage>> QueueReminderAsync(
        Circulation circulation, Organization committee, Paper paper, Consultation consultation, Body body, DateTimeOffset now, CancellationToken cancellationToken) =>
        QueueToMembersAsync(MailKinds.CirculationReminder, circulation, committee, paper, consultation, body, null, v => v.Answer is null, now, cancellationToken);

    /// <summary>
    /// Tells every member asked that the circulation has ended, in the transaction that ends it: decided (with the outcome and
    /// the tally), failed or cancelled (with the reason), and where the paper is now: the step it waits at (this one first,
    /// as after a failed circulation; else the next the workflow planned) and that step's meeting.
    /// </summary>
    public async Task<List<OutboxMessage>> QueueEndedAsync(
        Circulation circulation, Organization committee, Paper paper, Consultation consultation, Body body, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Loaded into the unit of work, where the ending step's own changes are (a step planned by the workflow, not saved yet).
        await db.Consultations.Where(c => c.PaperId == paper.Id).LoadAsync(cancellationToken);
        var waiting = db.Consultations.Tracked()
            .Where(c => c.PaperId == paper.Id && c.Status == ConsultationStatus.Planned && !c.Deleted)
            .OrderBy(c => c.Id == consultation.Id ? 0 : 1).ThenBy(c => c.Position).FirstOrDefault();
        var nextCommittee = waiting is null ? null
            : waiting.OrganizationId == committee.Id ? committee : await db.Organizations.GetAsync(waiting.OrganizationId, cancellationToken);
        var nextMeeting = waiting?.MeetingId is { } meetingId ? await db.Meetings.GetAsync(meetingId, cancellationToken) : null;
        return await QueueToMembersAsync(MailKinds.CirculationEnded, circulation, committee, paper, consultation, body,
            language => new()
            {
                ["committee"] = nextCommittee?.Name ?? "",
                ["meeting"] = MailModels.Meeting(nextMeeting, body, language, links),
            },
            _ => true, now, cancellationToken);
    }

    private async Task<List<OutboxMessage>> QueueToMembersAsync(
        string kind, Circulation circulation, Organization committee, Paper paper, Consultation consultation, Body body,
        Func<string, Dictionary<string, object?>>? next, Func<CirculationVote, bool> asked, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The members as they sat on the day it started, which is when the votes were fixed: one who has left since was
        // still asked, and hears how it ended.
        var votes = circulation.Votes.Where(asked).Select(v => v.PersonId).ToHashSet();
        if (votes.Count == 0)
        {
            return [];
        }

        var members = (await recipients.MembersAsync(committee.Id, BodyClock.LocalDay(circulation.StartedAt, body.Zone), cancellationToken))
            .Where(m => votes.Contains(m.Person.Id)).ToList();
        var queued = new List<OutboxMessage>();
        foreach (var member in members.DistinctBy(m => m.Person.Email!.ToUpperInvariant()))
        {
            var language = member.Preference.Language;
            var model = Model(circulation, committee, paper, consultation, body, language);
            model["recipient"] = member.Model();
            if (next is not null)
            {
                model["next"] = next(language);
            }

            var mail = await renderer.RenderAsync(body, kind, language, model, cancellationToken);
            var message = Notices.Create(kind, $"{kind}:{circulation.Id}:{member.Person.Id}", body.Id, member.Person.Email!, member.Person.Name, mail, paper.Id, now);
            db.OutboxMessages.Add(message);
            queued.Add(message);
        }

        return queued;
    }

    /// <summary>Tells the committee's secretaries (active accounts with an address) that the circulation failed and where the paper goes now.</summary>
    public async Task QueueFailedAsync(
        Circulation circulation, Organization committee, Paper paper, Body body, Meeting? next, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var secretaries = await recipients.SecretariesAsync(body.Id, committee.Id, cancellationToken);
        var consultation = await db.Consultations.GetAsync(circulation.ConsultationId, cancellationToken);
        foreach (var secretary in secretaries)
        {
            var model = Model(circulation, committee, paper, consultation, body, MailLanguages.German);
            model["recipient"] = secretary.Model();
            model["meeting"] = MailModels.Meeting(next, body, MailLanguages.German, links);
            var mail = await renderer.RenderAsync(body, MailKinds.CirculationFailed, MailLanguages.German, model, cancellationToken);
            db.OutboxMessages.Add(Notices.Create(MailKinds.CirculationFailed, $"{MailKinds.CirculationFailed}:{circulation.Id}:user:{secretary.UserId}", body.Id,
                secretary.Address, secretary.Name, mail, paper.Id, now));
        }
    }

    private Dictionary<string, object?> Model(Circulation circulation, Organization committee, Paper paper, Consultation consultation, Body body, string language)
    {
        var culture = MailModels.Culture(language);
        var deadline = BodyClock.ToLocal(circulation.Deadline, body.Zone);
        return new()
        {
            ["committee"] = MailModels.Committee(committee),
            ["paper"] = MailModels.Paper(paper, links),
            ["consultation"] = MailModels.Consultation(consultation),
            ["circulation"] = new Dictionary<string, object?>
            {
                ["resolution"] = circulation.ResolutionText,
                ["deadlineDate"] = deadline.ToString(language == MailLanguages.English ? "dd/MM/yyyy" : "dd.MM.yyyy", culture),
                ["deadlineTime"] = deadline.ToString("HH:mm", culture),
                ["members"] = circulation.Votes.Count,
                // Where a member answers: the portal lists every open Umlaufverfahren of theirs (so does the paper's page, paper.link).
                ["link"] = links.Portal,
                ["reason"] = circulation.EndReason ?? "",
                ["startedBy"] = circulation.StartedBy,
                ["status"] = CirculationSteps.Label(circulation.Status),
                ["decided"] = circulation.Status == CirculationStatus.Decided,
                ["answered"] = circulation.Votes.Count(v => v.Answer is not null),
            },
            ["body"] = MailModels.Body(body),
            ["links"] = links.Model(),
        };
    }
}
