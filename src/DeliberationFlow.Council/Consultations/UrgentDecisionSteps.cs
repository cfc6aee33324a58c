using System.Globalization;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Consultations;

/// <summary>
/// What follows an Eilentscheidung (§ 89 NKomVG, <see cref="StartUrgentDecision"/>) once the Verwaltungsausschuss has
/// decided: the Rat is informed (Unterrichtung, § 89 Satz 2) by a Kenntnisnahme item in its next meeting, a consultation of
/// its own that no workflow activity plans or waits for — so it neither blocks nor re-runs the paper's workflow — and that
/// is recorded "zur Kenntnis genommen" through the outcome endpoint like any other.
/// </summary>
public sealed class UrgentDecisionSteps(ICouncilDb db, MeetingPlanner meetings)
{
    /// <summary>The role of the Rat's item, as the Beratungsfolge and the agenda show it.</summary>
    public const string InformingRole = "Unterrichtung über die Eilentscheidung nach § 89 NKomVG";

    /// <summary>
    /// Marks the Unterrichtung as no activity of the workflow: not null, so a later step of the Rat never adopts it as an
    /// imported paper's step and a decision on the Rat's outcome (OutcomeDecision) never counts it.
    /// </summary>
    public const string InformingActivityId = "§89-unterrichtung";

    /// <summary>
    /// After an outcome was recorded, in the same unit of work. A step the workflow planned anew in the VA for the activity
    /// an Eilentscheidung took (the next meeting after a deferral, or the VA again when the committee it referred the paper to
    /// has spoken) keeps the marking. Decided, the Rat's Unterrichtung is planned (its invitation and reminder returned to be
    /// scheduled after the commit); a referral decides nothing yet, so the Rat is informed once the returning step is decided.
    /// </summary>
    public async Task<IReadOnlyList<WorkflowTimer>> AfterOutcomeAsync(Consultation consultation, Paper paper, Body body, DateTimeOffset now, CancellationToken cancellationToken)
    {
        KeepMarking(consultation, paper);
        if (consultation.UrgentDecisionInsteadOfId is not { } councilId || consultation.Status != ConsultationStatus.Done
            || consultation.Outcome == Outcome.Referred || paper.WorkflowInstanceId is not { } instanceId)
        {
            return [];
        }

        var council = await db.Organizations.GetAsync(councilId, cancellationToken);
        return await PlanInformingAsync(council, paper, body, consultation.Id, instanceId, consultation.RecordedBy ?? "", now, now, cancellationToken);
    }

    /// <summary>
    /// Plans the Rat's Unterrichtung of the Eilentscheidung <paramref name="decidedId"/> into its next meeting from
    /// <paramref name="notBefore"/> on (or none yet); returns its invitation and reminder, added to the unit of work.
    /// </summary>
    private async Task<IReadOnlyList<WorkflowTimer>> PlanInformingAsync(
        Organization council, Paper paper, Body body, Guid decidedId, Guid instanceId, string actor, DateTimeOffset notBefore, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var meeting = await meetings.FindNextAsync(council, paper, notBefore, cancellationToken);
        // After every step of the paper, soft-deleted ones (of an imported paper) and those this unit of work added included.
        var stored = await db.Consultations.IgnoreQueryFilters().Where(c => c.PaperId == paper.Id).MaxAsync(c => (int?)c.Position, cancellationToken) ?? 0;
        var position = Math.Max(stored, db.Consultations.Tracked().Where(c => c.PaperId == paper.Id).Select(c => c.Position).DefaultIfEmpty(0).Max()) + 1;
        var informing = new Consultation
        {
            Id = Guid.CreateVersion7(now),
            BodyId = paper.BodyId,
            PaperId = paper.Id,
            OrganizationId = council.Id,
            MeetingId = meeting?.Id,
            Position = position,
            Role = ConsultationRole.Noting,
            RoleText = InformingRole,
            Authoritative = false,
            LateAddition = meeting?.AgendaLocked == true,
            ActivityId = InformingActivityId,
            InformsOfUrgentDecisionId = decidedId,
            Created = now,
            Modified = now,
        };
        db.Consultations.Add(informing);

        var where = meeting is null ? "noch ohne Termin" : $"in der Sitzung am {BodyClock.LocalText(meeting.Start, body.Zone)}";
        db.Journal.Add(new JournalEntry
        {
            InstanceId = instanceId, Timestamp = now, Kind = JournalEventKind.ActivityExecuted, ActivityId = InformingActivityId, Actor = actor,
            Message = $"{council.Name}: Unterrichtung über die Eilentscheidung nach § 89 NKomVG eingeplant, {where} (Kenntnisnahme).",
        });
        if (meeting is null)
        {
            return [];
        }

        var created = ConsultationPlanner.NewTimers(instanceId, informing, meeting, council, paper, body, now);
        db.Timers.AddRange(created);
        return created;
    }

    /// <summary>
    /// Marks the step the workflow just planned for the activity of <paramref name="consultation"/> when an earlier step of
    /// that activity in the same committee was an Eilentscheidung: the VA still decides in the Rat's place, whether the
    /// paper comes back after a deferral or after the committee the VA referred it to has given its recommendation (that
    /// committee's own step only advises and is not marked). The paper's steps are all in the unit of work (the outcome's
    /// first query brings them), so this reads nothing.
    /// </summary>
    private void KeepMarking(Consultation consultation, Paper paper)
    {
        var steps = db.Consultations.Tracked().Where(c => c.PaperId == paper.Id && c.ActivityId == consultation.ActivityId && c.ActivityId != null).ToList();
        foreach (var next in steps.Where(c => c.Status == ConsultationStatus.Planned && c.UrgentDecisionInsteadOfId is null))
        {
            var marked = steps.Where(c => c.Id != next.Id && c.OrganizationId == next.OrganizationId && c.UrgentDecisionInsteadOfId is not null)
                .OrderByDescending(c => c.Position).FirstOrDefault();
            if (marked is not null)
            {
                next.UrgentDecisionInsteadOfId = marked.UrgentDecisionInsteadOfId;
                next.UrgentDecisionBy = marked.UrgentDecisionBy;
                next.UrgentDecisionAt = marked.UrgentDecisionAt;
                next.UrgentDecisionReason = marked.UrgentDecisionReason;
            }
        }
    }

    /// <summary>
    /// Records the Rat's Unterrichtung: "zur Kenntnis genommen", from the meeting's start on; or, when the Rat did not get
    /// to it, "vertagt" (or "abgesetzt", also before the meeting), which plans it anew into the Rat's next meeting, as a
    /// deferred step is, so the Rat is still informed and the secretary can act on an overdue one. Anything else is a 400
    /// naming the outcome: the Rat does not decide the matter again. No workflow resumes; the returned timers are those of
    /// an Unterrichtung planned anew.
    /// </summary>
    public async Task<RunResult> RecordInformedAsync(
        Consultation consultation, Paper paper, Organization committee, Meeting? meeting, Body body, WorkflowInstance instance, RecordOutcomeRequest request,
        Outcome outcome, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (outcome is not (Outcome.Noted or Outcome.Deferred or Outcome.RemovedFromAgenda))
        {
            throw RequestValidationException.For("outcome",
                $"The Rat is informed of an Eilentscheidung, it does not decide it again: record '{Outcome.Noted}' (zur Kenntnis genommen), " +
                $"or '{Outcome.Deferred}' (vertagt) or '{Outcome.RemovedFromAgenda}' (abgesetzt) to inform it in its next meeting.");
        }

        if (!OutcomeTiming.MayRecord(outcome, meeting?.Start, now))
        {
            throw new ConflictException(
                $"The meeting of '{committee.Name}' begins {BodyClock.LocalText(meeting!.Start, body.Zone)}; the Unterrichtung can be recorded from then on.");
        }

        consultation.Outcome = outcome;
        consultation.ResultText = request.ResultText!.Trim();
        consultation.ResolutionText = request.ResolutionText?.Trim();
        consultation.RecordedAt = now;
        consultation.RecordedBy = actor;
        consultation.Status = outcome == Outcome.Noted ? ConsultationStatus.Done : ConsultationStatus.Deferred;
        consultation.Modified = now;
        consultation.Revision++;
        db.CallOffPendingTimers(consultation.Id.ToString(), $"Abgebrochen: Ergebnis erfasst am {now:O}.");
        db.Journal.Add(new JournalEntry
        {
            InstanceId = instance.Id, Timestamp = now, Kind = JournalEventKind.ActivityCompleted, ActivityId = InformingActivityId, Actor = actor,
            Outcome = outcome.ToString(),
            Message = $"{committee.Name}{(meeting is null ? "" : ", " + meeting.Start.ToString("O", CultureInfo.InvariantCulture))}: Unterrichtung über die Eilentscheidung – {consultation.ResultText}",
        });
        if (outcome == Outcome.Noted || consultation.InformsOfUrgentDecisionId is not { } decidedId)
        {
            return new RunResult(instance, []);
        }

        // A meeting after this one (abgesetzt before it: not this one again).
        var notBefore = meeting is null || meeting.Start < now ? now : meeting.Start;
        return new RunResult(instance, await PlanInformingAsync(committee, paper, body, decidedId, instance.Id, actor, notBefore, now, cancellationToken));
    }
}
