using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications.Templates;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Notifications;

/// <summary>
/// The mails of an Umlaufverfahren, through the outbox like every other: the request to answer, to each member asked (in
/// the member's language, with the links to where they answer), and the notice that it failed, to the committee's
/// secretaries. Both are mandatory: a member cannot opt out of being asked to decide.
/// </summary>
public sealed class CirculationNotices(ICouncilDb db, NotificationRecipients recipients, MailRenderer renderer, MailLinks links)
{
    /// <summary>Queues the request to every member of the circulation who has an e-mail address; returns their names and addresses.</summary>
    public async Task<List<OutboxMessage>> QueueRequestAsync(
        Circulation circulation, Organization committee, Paper paper, Consultation consultation, Body body, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var asked = circulation.Votes.Select(v => v.PersonId).ToHashSet();
        var members = (await recipients.MembersAsync(committee.Id, BodyClock.LocalDay(now, body.Zone), cancellationToken))
            .Where(m => asked.Contains(m.Person.Id)).ToList();
        var queued = new List<OutboxMessage>();
        foreach (var member in members.DistinctBy(m => m.Person.Email!.ToUpperInvariant()))
        {
            var language = member.Preference.Language;
            var model = Model(circulation, committee, paper, consultation, body, language);
            model["recipient"] = member.Model();
            var mail = await renderer.RenderAsync(body, MailKinds.CirculationRequest, language, model, cancellationToken);
            var message = Notices.Create(MailKinds.CirculationRequest, $"{MailKinds.CirculationRequest}:{circulation.Id}:{member.Person.Id}", body.Id,
                member.Person.Email!, member.Person.Name, mail, paper.Id, now);
            db.OutboxMessages.Add(message);
            queued.Add(message);
        }

        return queued;
    }

    /// <summary>Tells the committee's secretaries (active accounts with an address) that the circulation failed and where the paper goes now.</summary>
    public async Task QueueFailedAsync(
        Circulation circulation, Organization committee, Paper paper, Body body, Meeting? next, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var secretaries = (await db.Users.AsNoTracking()
                .Where(u => u.BodyId == body.Id && u.Role == UserRole.Secretary && u.Email != null && u.DeactivatedAt == null).ToListAsync(cancellationToken))
            .Where(u => u.CommitteeIds.Contains(committee.Id))
            .DistinctBy(u => u.Email!.ToUpperInvariant());
        var consultation = await db.Consultations.GetAsync(circulation.ConsultationId, cancellationToken);
        foreach (var secretary in secretaries)
        {
            var model = Model(circulation, committee, paper, consultation, body, MailLanguages.German);
            model["recipient"] = MailModels.Recipient(secretary.DisplayName, secretary.Email!, "Sitzungsdienst");
            model["meeting"] = MailModels.Meeting(next, body, MailLanguages.German, links);
            var mail = await renderer.RenderAsync(body, MailKinds.CirculationFailed, MailLanguages.German, model, cancellationToken);
            db.OutboxMessages.Add(Notices.Create(MailKinds.CirculationFailed, $"{MailKinds.CirculationFailed}:{circulation.Id}:user:{secretary.Id}", body.Id,
                secretary.Email!, secretary.DisplayName, mail, paper.Id, now));
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
            },
            ["body"] = MailModels.Body(body),
            ["links"] = links.Model(),
        };
    }
}
