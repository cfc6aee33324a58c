using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Council.Timers;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Consultations;

/// <summary>Why the Rat cannot be asked in time (Eilentscheidung, § 89 NKomVG), a few sentences.</summary>
public sealed record StartUrgentDecisionRequest(string? Reason);

/// <summary>
/// Eilentscheidung (§ 89 Satz 1 NKomVG): in an urgent case where the Rat's decision cannot be obtained in time, the
/// Hauptausschuss (the Verwaltungsausschuss) decides in its place. An admin — in practice the HVB's office acts, and admins
/// are the closest role; a committee's secretary may not take a decision away from the Rat — moves a step waiting in the
/// Rat to the VA with the reason of urgency: the consultation keeps its id and so its workflow bookmark (keyed on the
/// consultation), and the workflow goes on past the Rat's step once the VA's outcome is recorded through the normal path
/// (<see cref="RecordOutcome"/>; an Umlaufverfahren of the VA may decide it too). It is planned into the VA's next meeting
/// the committee's urgent Vorlagenfrist still allows, its invitation and reminder moved as a re-planned item's are. The Rat
/// is informed afterwards (<see cref="UrgentDecisionSteps"/>). The HVB's own Eilentscheidung with a deputy (§ 89 Satz 3)
/// is not modelled.
/// </summary>
public sealed class StartUrgentDecision(
    ICouncilDb db,
    PaperReader reader,
    AgendaDraft draft,
    UrgentDecisionNotices notices,
    ITimerScheduler timers,
    IOutboxSignal outbox,
    TimeProvider clock,
    ILogger<StartUrgentDecision> logger)
{
    /// <summary>The OParl classification of the Rat (the body's Vertretung, OParl <c>Parlament</c>), as the demo and imports set it.</summary>
    public const string CouncilClassification = "Parlament";

    /// <summary>How the timeline and the Beratungsfolge mark the step decided in the Rat's place.</summary>
    public const string Marking = "Eilentscheidung nach § 89 NKomVG anstelle des Rates";

    public async Task<PaperDetails> HandleAsync(Caller caller, Guid consultationId, StartUrgentDecisionRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (paperId, created) = await db.InTransactionAsync(logger, $"The Eilentscheidung for consultation {consultationId}",
            ct => MoveAsync(caller, consultationId, request, now, ct), cancellationToken);
        await timers.ScheduleAsync(created, cancellationToken);
        outbox.MessagesQueued();
        return await reader.ReadAsync(caller, paperId, cancellationToken);
    }

    public static bool IsCouncil(Organization committee) =>
        committee.Kind == OrganizationKind.Committee && string.Equals(committee.Classification, CouncilClassification, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Who may ask for it and the input are checked here, on the rows the step goes on with: read once, in the transaction,
    /// rather than once before it to check and again inside to change. A refused request rolls back having written nothing.
    /// </summary>
    private async Task<(Guid PaperId, IReadOnlyList<WorkflowTimer> Timers)> MoveAsync(
        Caller caller, Guid consultationId, StartUrgentDecisionRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var consultation = await db.Consultations.SingleOrDefaultAsync(c => c.Id == consultationId && c.BodyId == caller.BodyId, cancellationToken);
        var paper = consultation is null ? null : await db.Papers.SingleOrDefaultAsync(p => p.Id == consultation.PaperId, cancellationToken);
        if (consultation is null || paper is null || !await reader.MaySeeAsync(caller, paper, cancellationToken))
        {
            throw new NotFoundException($"No consultation with id {consultationId}.");
        }

        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Only an admin (for the HVB) may have the Verwaltungsausschuss decide in the Rat's place (Eilentscheidung, § 89 NKomVG).");
        }

        var council = await db.Organizations.GetAsync(consultation.OrganizationId, cancellationToken);
        var errors = new ValidationErrors();
        if (!IsCouncil(council))
        {
            errors.Add("committee",
                $"'{council.Name}' is classified '{council.Classification ?? "(none)"}'; the Verwaltungsausschuss decides urgently only in the place of the Rat " +
                $"(classified '{CouncilClassification}', § 89 NKomVG).");
        }

        errors.Required("reason", request.Reason);
        errors.MaxLength("reason", request.Reason, InputLimits.MaxReasonLength, "The reason of urgency");
        errors.ThrowIfAny();
        var reason = request.Reason!.Trim();

        var body = await db.Bodies.GetAsync(paper.BodyId, cancellationToken);
        if (consultation.Status != ConsultationStatus.Planned)
        {
            throw new ConflictException(
                $"The consultation in '{council.Name}' is already {Vocabulary.Label(consultation.Status)} ({consultation.ResultText}); there is nothing left to decide urgently.");
        }

        var key = consultationId.ToString();
        if (paper.WorkflowInstanceId is not { } instanceId
            || !await db.Bookmarks.AsNoTracking().AnyAsync(b => b.Key == key && b.Name == ConsultationPlanner.OutcomeBookmark, cancellationToken))
        {
            throw new ConflictException("The paper's workflow is not waiting for this consultation's outcome, so no Eilentscheidung can take its place.");
        }

        if (consultation.MeetingId is { } meetingId && await db.Meetings.GetAsync(meetingId, cancellationToken) is { Cancelled: false } current && current.Start <= now)
        {
            throw new ConflictException(
                $"The meeting of '{council.Name}' on {BodyClock.LocalText(current.Start, body.Zone)} has begun with this paper on its agenda; the Rat decides it there.");
        }

        var committees = await db.Organizations
            .Where(o => o.BodyId == body.Id && o.Kind == OrganizationKind.Committee && o.Classification != null).ToListAsync(cancellationToken);
        var va = committees.Where(o => o.MeetsInPrivate).OrderBy(o => o.Key, StringComparer.Ordinal).FirstOrDefault()
            ?? throw new ConflictException("The body has no Hauptausschuss (a committee classified 'Hauptausschuss', the Verwaltungsausschuss) to decide in the Rat's place.");

        // The VA's next meeting whose urgent Vorlagenfrist has not passed now (the case is urgent: the Vorlage is final
        // today); a fixed or invited agenda takes it as a Nachtrag, as a re-planned item is.
        var candidates = await db.Meetings.AsNoTracking()
            .Where(m => m.OrganizationId == va.Id && !m.Cancelled && m.Start > now).OrderBy(m => m.Start).Take(50).ToListAsync(cancellationToken);
        var target = candidates.FirstOrDefault(m => Deadlines.SubmissionDeadline(m, va, urgent: true, body) >= now);

        consultation.UrgentDecisionInsteadOfId = council.Id;
        consultation.UrgentDecisionBy = caller.UserName;
        consultation.UrgentDecisionAt = now;
        consultation.UrgentDecisionReason = reason;
        consultation.OrganizationId = va.Id;
        consultation.LateAddition = target?.AgendaLocked == true;
        var created = await draft.MoveAsync(consultation, paper, va, target, body, now, $"Abgebrochen am {now:O}: Eilentscheidung nach § 89 NKomVG.", cancellationToken);

        var where = target is null ? "noch ohne Termin (der Verwaltungsausschuss hat keine Sitzung, die die Fristen zulassen)"
            : $"in der Sitzung am {BodyClock.LocalText(target.Start, body.Zone)}{(consultation.LateAddition ? " (Nachtrag)" : "")}";
        db.Journal.Add(new JournalEntry
        {
            InstanceId = instanceId, Timestamp = now, Kind = JournalEventKind.ActivityExecuted, ActivityId = consultation.ActivityId, Actor = caller.UserName,
            Message = $"Eilentscheidung nach § 89 NKomVG: {va.Name} entscheidet anstelle von '{council.Name}', {where}. Grund: {reason}",
        });
        db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.UrgentDecision, paper.Reference,
            $"Eilentscheidung nach § 89 NKomVG: {paper.Reference} „{paper.Name}“ an {va.Name} anstelle von '{council.Name}'. Grund: {reason}", now));

        var queued = await notices.QueueStartedAsync(consultation, va, council, paper, body, target, now, cancellationToken);
        if (queued.Count > 0)
        {
            db.Journal.Add(new JournalEntry
            {
                InstanceId = instanceId, Timestamp = now, Kind = JournalEventKind.NotificationQueued, ActivityId = consultation.ActivityId, Actor = caller.UserName,
                Message = $"Eilentscheidung an {string.Join(", ", queued.Select(n => $"{n.RecipientName} <{n.RecipientAddress}>"))}.",
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        return (paper.Id, created);
    }
}
