using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Timers;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Circulations;

/// <summary>A member's answer: For (Zustimmung), Against (Ablehnung), Abstention (Enthaltung) or Objection (Widerspruch gegen das Verfahren).</summary>
public sealed record AnswerCirculationRequest(string? Answer);

/// <summary>
/// A member of an open circulation answers, once. An objection ends it as failed and the paper goes to the committee's next
/// meeting; the last answer without one closes it, and the outcome is recorded by the same step as one recorded through the
/// API (<see cref="RecordOutcome"/>): adopted when more members agreed than refused, else rejected, with the tally and the
/// proposed resolution, in the answer's transaction. Each answer is in the paper's journal with who gave it and when.
/// </summary>
public sealed class AnswerCirculation(
    ICouncilDb db,
    CirculationSteps steps,
    RecordOutcome outcomes,
    CirculationNotices notices,
    ITimerScheduler timers,
    IOutboxSignal outbox,
    TimeProvider clock,
    ILogger<AnswerCirculation> logger)
{
    public async Task<CirculationView> HandleAsync(Caller caller, Guid consultationId, AnswerCirculationRequest request, CancellationToken cancellationToken)
    {
        var answer = Parse(request.Answer);
        var found = await steps.FindVisibleAsync(caller, consultationId, tracked: false, cancellationToken);
        if (!CirculationSteps.IsMember(caller, found))
        {
            throw new ForbiddenException("Only the members asked in this Umlaufverfahren answer it; secretaries and admins follow it.");
        }

        var (result, created, settledElsewhere) = await db.InTransactionAsync(logger, $"An answer to the Umlaufverfahren {found.Id}",
            ct => AnswerAsync(caller, found.Id, caller.PersonId!.Value, answer, ct), cancellationToken);
        await timers.ScheduleAsync(created, cancellationToken);
        outbox.MessagesQueued();
        if (settledElsewhere is not null)
        {
            throw new ConflictException(settledElsewhere);
        }

        return result;
    }

    private async Task<(CirculationView View, IReadOnlyList<WorkflowTimer> Timers, string? SettledElsewhere)> AnswerAsync(
        Caller caller, Guid circulationId, Guid personId, CirculationAnswer answer, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!await steps.TakeOpenAsync(circulationId, cancellationToken))
        {
            var ended = await db.Circulations.AsNoTracking().SingleAsync(c => c.Id == circulationId, cancellationToken);
            throw new ConflictException($"The Umlaufverfahren has ended ({CirculationSteps.Label(ended.Status)}: {ended.EndReason}); it takes no more answers.");
        }

        var answered = await db.CirculationVotes
            .Where(v => v.CirculationId == circulationId && v.PersonId == personId && v.Answer == null)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Answer, answer).SetProperty(v => v.AnsweredAt, now).SetProperty(v => v.AnsweredBy, caller.UserName), cancellationToken);
        if (answered == 0)
        {
            var earlier = await db.CirculationVotes.AsNoTracking().SingleAsync(v => v.CirculationId == circulationId && v.PersonId == personId, cancellationToken);
            var zone = (await db.Bodies.AsNoTracking().SingleAsync(b => b.Id == caller.BodyId, cancellationToken)).Zone;
            throw new ConflictException(
                $"You answered this Umlaufverfahren on {BodyClock.LocalText(earlier.AnsweredAt!.Value, zone)} ({CirculationSteps.Label(earlier.Answer!.Value)}); an answer is given once.");
        }

        // Read after the answer is written, with the row held: every answer committed before is in it.
        var circulation = await db.Circulations.Include(c => c.Votes).SingleAsync(c => c.Id == circulationId, cancellationToken);
        var consultation = await db.Consultations.GetAsync(circulation.ConsultationId, cancellationToken);
        var paper = await db.Papers.GetAsync(circulation.PaperId, cancellationToken);
        var committee = await db.Organizations.GetAsync(circulation.OrganizationId, cancellationToken);
        var vote = circulation.Votes.Single(v => v.PersonId == personId);
        steps.Journal(paper, consultation, caller.UserName, now, $"{committee.Name}: Umlaufverfahren, Antwort von {vote.Name}: {CirculationSteps.Label(answer)}.");

        if (consultation.Status != ConsultationStatus.Planned)
        {
            // Recorded otherwise meanwhile (the paper withdrawn): the circulation has nothing left to decide.
            var reason = $"Die Beratung ist bereits {Vocabulary.Label(consultation.Status)} ({consultation.ResultText}).";
            await steps.EndWithoutDecisionAsync(circulation, CirculationStatus.Cancelled, reason, CirculationSteps.Actor, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return (await steps.ViewAsync(caller, circulation, cancellationToken), [], $"The Umlaufverfahren has ended: {reason}");
        }

        IReadOnlyList<WorkflowTimer> created = [];
        if (answer == CirculationAnswer.Objection)
        {
            created = await steps.EndWithoutDecisionAsync(circulation, CirculationStatus.Failed,
                $"Widerspruch von {vote.Name} gegen das Umlaufverfahren.", caller.UserName, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        else if (circulation.Votes.All(v => v.Answer is not null))
        {
            created = await DecideAsync(circulation, committee, now, cancellationToken);
        }
        else
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return (await steps.ViewAsync(caller, circulation, cancellationToken), created, null);
    }

    /// <summary>
    /// Every member answered and none objected: the outcome is recorded as the secretary would record it after a meeting,
    /// by the circulation itself (a caller that keeps the committee's records), and the circulation is closed with it.
    /// </summary>
    private async Task<IReadOnlyList<WorkflowTimer>> DecideAsync(Circulation circulation, Organization committee, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (yes, no, abstentions) = (
            circulation.Votes.Count(v => v.Answer == CirculationAnswer.For),
            circulation.Votes.Count(v => v.Answer == CirculationAnswer.Against),
            circulation.Votes.Count(v => v.Answer == CirculationAnswer.Abstention));
        var adopted = yes > no;
        (circulation.Status, circulation.EndedAt, circulation.EndedBy) = (CirculationStatus.Decided, now, CirculationSteps.Actor);
        circulation.EndReason = $"Alle {circulation.Votes.Count} Mitglieder haben geantwortet: {yes} Ja, {no} Nein, {Tally.Abstentions(abstentions)}.";
        db.CallOffPendingTimers(circulation.Id.ToString(), $"Abgebrochen am {now:O}: Umlaufverfahren abgeschlossen.");

        var recorder = new Caller(Guid.Empty, CirculationSteps.Actor, circulation.BodyId, UserRole.Secretary, new HashSet<Guid> { committee.Id }, null);
        var request = new RecordOutcomeRequest(
            adopted ? nameof(Outcome.Adopted) : nameof(Outcome.Rejected), adopted ? "beschlossen" : "abgelehnt", circulation.ResolutionText,
            VotesFor: yes, VotesAgainst: no, Abstentions: abstentions);
        var (_, run) = await outcomes.RecordWithinAsync(recorder, circulation.ConsultationId, request, c => c.DecidedByCirculation = true, cancellationToken);

        // After the step, so the mail tells the outcome as recorded and where the workflow took the paper.
        var consultation = await db.Consultations.GetAsync(circulation.ConsultationId, cancellationToken);
        var paper = await db.Papers.GetAsync(circulation.PaperId, cancellationToken);
        var body = await db.Bodies.GetAsync(circulation.BodyId, cancellationToken);
        await notices.QueueEndedAsync(circulation, committee, paper, consultation, body, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return run.Timers;
    }

    private static CirculationAnswer Parse(string? text)
    {
        var value = text?.Trim();
        CirculationAnswer? answer = value?.ToUpperInvariant() switch
        {
            "FOR" or "ZUSTIMMUNG" or "JA" => CirculationAnswer.For,
            "AGAINST" or "ABLEHNUNG" or "NEIN" => CirculationAnswer.Against,
            "ABSTENTION" or "ENTHALTUNG" => CirculationAnswer.Abstention,
            "OBJECTION" or "WIDERSPRUCH" => CirculationAnswer.Objection,
            _ => null,
        };
        return answer ?? throw RequestValidationException.For("answer",
            $"{(string.IsNullOrEmpty(value) ? "Give an answer" : $"Unknown answer '{value}'")}: use one of For (Zustimmung), Against (Ablehnung), Abstention (Enthaltung) or Objection (Widerspruch gegen das Umlaufverfahren).");
    }
}
