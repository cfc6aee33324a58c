using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Circulations;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Council.Timers;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Consultations;

/// <summary>
/// The outcome of a consultation as the minutes record it. <see cref="ResultText"/> is the wording
/// ("einstimmig beschlossen"); <see cref="Outcome"/> the normalised value, read from the wording when omitted.
/// For "verwiesen" (Referred), <see cref="ReferTo"/> names the committee the paper goes to.
/// </summary>
public sealed record RecordOutcomeRequest(
    string? Outcome, string? ResultText, string? ResolutionText, string? ReferTo = null, int? VotesFor = null, int? VotesAgainst = null, int? Abstentions = null);

/// <summary>What recording an outcome did: the consultation as recorded, and the paper's state after the step.</summary>
public sealed record RecordOutcomeResponse(ConsultationView Consultation, PaperDetails Paper);

/// <summary>
/// Records an outcome and advances the paper's workflow in one transaction: the consultation, the burnt
/// bookmark, the next consultation, its timers, the outcome notice and the idempotency record commit together.
/// </summary>
public sealed class RecordOutcome(
    ICouncilDb db,
    WorkflowRunner runner,
    IWorkflowDefinitionStore definitions,
    Engine.Activities.IActivityRegistry activities,
    PaperReader reader,
    ConsultationPlanner planner,
    ITimerScheduler timers,
    IOutboxSignal outbox,
    OutcomeNotices notices,
    MeetingAttendance attendance,
    UrgentDecisionSteps urgentDecisions,
    CirculationSteps circulations,
    TimeProvider clock,
    ILogger<RecordOutcome> logger)
{
    private const string Operation = "record-outcome";

    public async Task<IdempotentResult<RecordOutcomeResponse>> HandleAsync(
        Caller caller, Guid consultationId, RecordOutcomeRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        // No look-up of the key before the work: a retry finds its consultation no longer planned (or, racing the
        // first attempt, collides on the consultation row or on the key at commit), and each of these paths answers
        // with the stored first answer below. A first attempt, the common case, so saves a round trip per step.
        var requestHash = Hash(consultationId, request);
        var outcome = Validate(request, idempotencyKey);
        try
        {
            // A step undone to end a deadlock is run again (see UnitOfWorkTransaction); the timers' jobs and the outbox's
            // signal follow the commit.
            var (result, run) = await db.InTransactionAsync(logger, $"The outcome of consultation {consultationId}",
                ct => RecordAsync(caller, consultationId, request, outcome, idempotencyKey, requestHash, ct), cancellationToken);
            await timers.ScheduleAsync(run.Timers, cancellationToken);
            outbox.MessagesQueued();
            return result;
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || db.IsUniqueViolation(ex))
        {
            // Someone else committed first. If it was this very request (same key), hand back its answer.
            db.ChangeTracker.Clear();
            if (idempotencyKey is not null && await FindEarlierAnswerAsync(caller, idempotencyKey, requestHash, cancellationToken) is { } first)
            {
                return first;
            }

            throw new ConflictException("Another outcome was recorded for this consultation at the same moment; reload the paper and check.");
        }
        catch (ConflictException) when (idempotencyKey is not null)
        {
            // A retry of a request that has committed finds the consultation no longer waiting: it gets the
            // first answer, not a conflict (and a different request under a used key a 400 naming the key).
            db.ChangeTracker.Clear();
            if (await FindEarlierAnswerAsync(caller, idempotencyKey, requestHash, cancellationToken) is { } first)
            {
                return first;
            }

            throw;
        }
    }

    /// <summary>
    /// Records an outcome reached outside a meeting (the Umlaufverfahren) inside the transaction of the use case that reached
    /// it: the same checks and step as an outcome recorded through the API, so the workflow advances and the journal, the
    /// timeline and the outcome notice have it; <paramref name="marked"/> marks the consultation before the answer is built.
    /// The caller commits, then hands <see cref="RunResult.Timers"/> to the scheduler and signals the outbox.
    /// </summary>
    internal async Task<(RecordOutcomeResponse Response, RunResult Run)> RecordWithinAsync(
        Caller caller, Guid consultationId, RecordOutcomeRequest request, Action<Consultation> marked, CancellationToken cancellationToken)
    {
        var outcome = Validate(request, idempotencyKey: null);
        var (result, run) = await RecordAsync(caller, consultationId, request, outcome, null, "", cancellationToken, marked);
        return (result.Value, run);
    }

    /// <summary>
    /// The outcomes the workflow waiting at <paramref name="bookmark"/> can take there, as recording one checks them; a use
    /// case that will record one later (the Umlaufverfahren) asks before it starts.
    /// </summary>
    internal async Task<IReadOnlyCollection<Outcome>> AcceptedOutcomesAsync(Bookmark bookmark, CancellationToken cancellationToken)
    {
        var instance = await db.WorkflowInstances.GetAsync(bookmark.InstanceId, cancellationToken);
        var definition = await definitions.FindPinnedAsync(instance.TenantId, instance.DefinitionId, instance.DefinitionVersion, cancellationToken);
        if (definition is null)
        {
            return [];
        }

        var activityDefinition = definition.GetActivity(bookmark.ActivityId);
        return activities.Find(activityDefinition.Type) is IOutcomeActivity waiting
            ? waiting.AcceptedOutcomes(definition, activityDefinition, bookmark).ToList()
            : [];
    }

    /// <summary>The step inside its transaction: loads, checks, runs the workflow and saves; the caller commits.</summary>
    private async Task<(IdempotentResult<RecordOutcomeResponse> Result, RunResult Run)> RecordAsync(
        Caller caller, Guid consultationId, RecordOutcomeRequest request, Outcome outcome, string? idempotencyKey, string requestHash,
        CancellationToken cancellationToken, Action<Consultation>? marked = null)
    {
        var step = await LoadStepAsync(caller, consultationId, cancellationToken);
        if (step is null || !await reader.MaySeeAsync(caller, step.Paper, cancellationToken))
        {
            throw new NotFoundException($"No consultation with id {consultationId}.");
        }

        var (consultation, paper, committee) = (step.Consultation, step.Paper, step.Committee);
        if (!caller.MayRecordFor(committee.Id))
        {
            throw new ForbiddenException($"You may record outcomes only for your own committees; '{committee.Name}' is not one of them.");
        }

        if (consultation.Status != ConsultationStatus.Planned)
        {
            // Told in the body's local time, as the secretary saw it on the clock when it was recorded.
            var zone = (await db.Bodies.AsNoTracking().SingleAsync(b => b.Id == paper.BodyId, cancellationToken)).Zone;
            var recordedAt = consultation.RecordedAt is { } at
                ? " on " + BodyClock.ToLocal(at, zone).ToString("dd.MM.yyyy 'at' HH:mm", System.Globalization.CultureInfo.InvariantCulture)
                : "";
            throw new ConflictException(
                $"The consultation in '{committee.Name}' is already {Vocabulary.Label(consultation.Status)} ({consultation.ResultText}, recorded{recordedAt} by {consultation.RecordedBy}); its outcome cannot be recorded again.");
        }

        // The Rat's Unterrichtung of an Eilentscheidung (§ 89 NKomVG) is no step of the workflow: it is recorded on its own.
        var run = step.Bookmark is null && consultation.InformsOfUrgentDecisionId is not null && step.Instance is { } informed
            ? await urgentDecisions.RecordInformedAsync(
                consultation, paper, committee, step.Meeting, step.Body, informed, request, outcome, caller.UserName, clock.GetUtcNow(), cancellationToken)
            : await ResumeWorkflowAsync(caller, step, request, outcome, cancellationToken);

        marked?.Invoke(consultation);
        var now = clock.GetUtcNow();
        PaperProgress.Apply(paper, run.Instance, now);
        var informing = await urgentDecisions.AfterOutcomeAsync(consultation, paper, step.Body, now, cancellationToken);
        if (informing.Count > 0)
        {
            run = run with { Timers = [.. run.Timers, .. informing] };
        }

        var queued = await notices.QueueAsync(consultation, committee, paper, request.ReferTo?.Trim(), now, step.HasFollowers, cancellationToken);
        if (marked is null && step.HasOpenCirculation)
        {
            // Recorded otherwise than by the circulation (in the meeting, or the paper withdrawn): an open one for the step has
            // nothing left to decide and ends here, not when its Frist passes. (The circulation's own decision marks the step.)
            await circulations.CloseForOutcomeAsync(consultation, paper, committee, step.Body, caller.UserName, now, cancellationToken);
        }

        if (queued.Count > 0)
        {
            db.Journal.Add(WorkflowJournal.Entry(run.Instance, JournalEventKind.NotificationQueued, now, caller.UserName,
                $"Beratungsergebnis an {string.Join(", ", queued.Select(n => $"{n.RecipientName} <{n.RecipientAddress}>"))}."));
        }

        timers.HandToWaitingJob(run.Timers);

        // The journal lines first (on PostgreSQL one statement, with the timers' call-off), so the answer lists them with
        // their numbers; then the step's other rows and the stored answer go in one save. The answer is built from the unit
        // of work: what this step loaded and changed is not read again. Whoever sees the journal in the answer gets it read
        // back with the write (on PostgreSQL in the same round trip).
        IReadOnlyList<JournalView>? journal = null;
        if (PaperReader.ShowsJournalTo(caller))
        {
            journal = await db.WriteJournalAsync(run.Instance.Id, cancellationToken);
        }
        else
        {
            await db.WriteJournalAsync(cancellationToken);
        }

        var details = await reader.DescribeAsync(
            caller, paper, await planner.AllConsultationsAsync(paper.Id, cancellationToken), run.Instance, step.HasSubordinated, cancellationToken, journal);
        var response = new RecordOutcomeResponse(details.Consultations.Single(c => c.Id == consultationId), details);
        if (idempotencyKey is not null)
        {
            db.IdempotencyRecords.Add(new IdempotencyRecord
            {
                Key = idempotencyKey,
                UserId = caller.UserId,
                Operation = Operation,
                RequestHash = requestHash,
                StatusCode = 200,
                ResponseJson = JsonSerializer.Serialize(response, JsonSerializerOptions.Web),
                CreatedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        return (new IdempotentResult<RecordOutcomeResponse>(response, Replayed: false), run);
    }

    /// <summary>The workflow's side of the step: what it waits for and can take here, checked, then resumed with the outcome.</summary>
    private async Task<RunResult> ResumeWorkflowAsync(Caller caller, StepRows step, RecordOutcomeRequest request, Outcome outcome, CancellationToken cancellationToken)
    {
        var committee = step.Committee;
        var bookmark = step.Bookmark
            ?? throw new ConflictException("The paper's workflow is not waiting for this consultation's outcome.");
        var instance = await db.WorkflowInstances.GetAsync(bookmark.InstanceId, cancellationToken);
        var definition = await definitions.FindPinnedAsync(instance.TenantId, instance.DefinitionId, instance.DefinitionVersion, cancellationToken)
            ?? throw new ConflictException($"Workflow '{instance.DefinitionId}' v{instance.DefinitionVersion} of this paper is no longer installed.");
        var activityDefinition = definition.GetActivity(bookmark.ActivityId);
        var accepted = activities.Find(activityDefinition.Type) is IOutcomeActivity waiting
            ? waiting.AcceptedOutcomes(definition, activityDefinition, bookmark)
            : [];
        if (!accepted.Contains(outcome))
        {
            throw RequestValidationException.For("outcome",
                $"The workflow '{definition.Name}' has no path for '{outcome}' at this consultation; possible outcomes: {string.Join(", ", accepted)}.");
        }

        if (outcome == Outcome.Referred)
        {
            await ValidateReferralAsync(caller, request.ReferTo, committee, cancellationToken);
        }

        // After the checks of the request itself, so a wrong request is told what is wrong with it whenever it comes.
        if (!OutcomeTiming.MayRecord(outcome, step.Meeting?.Start, clock.GetUtcNow()))
        {
            throw new ConflictException(
                $"The meeting of '{committee.Name}' begins {BodyClock.LocalText(step.Meeting!.Start, step.Body.Zone)}; its results can be recorded from then on. " +
                $"Before it only '{Outcome.Withdrawn}' (the paper withdrawn) or '{Outcome.RemovedFromAgenda}' (taken off the agenda) can be recorded.");
        }

        var tally = request.VotesFor is null && request.VotesAgainst is null && request.Abstentions is null
            ? null
            : new VoteTally(request.VotesFor ?? 0, request.VotesAgainst ?? 0, request.Abstentions ?? 0);
        if (step.HasAttendance && (MeetingAttendance.NeedsQuorum(outcome) || tally is not null))
        {
            var present = await attendance.ReadAsync(step.Meeting!, cancellationToken);
            if (MeetingAttendance.NeedsQuorum(outcome) && MeetingAttendance.ShowsNoQuorum(present))
            {
                throw new ConflictException(
                    $"The attendance recorded for the meeting of '{committee.Name}' on {BodyClock.LocalText(step.Meeting!.Start, step.Body.Zone)} shows no quorum " +
                    $"({present.VotingPresent} of {present.VotingSeats} voting seats taken; § 65 NKomVG needs more than half), so nothing could be decided there. " +
                    $"Record '{Outcome.Deferred}' (vertagt) to take the paper to the next meeting, or correct the attendance.");
            }

            if (tally is not null && MeetingAttendance.TallyProblem(present, tally.For, tally.Against, tally.Abstentions) is { } problem)
            {
                throw RequestValidationException.For(OutcomeInput.TallyField(request.VotesFor, request.VotesAgainst), problem);
            }
        }

        return await runner.ResumeAsync(definition, instance, bookmark,
            new Stimulus(caller.UserName, clock.GetUtcNow(),
                new OutcomeStimulus(outcome, request.ResultText!.Trim(), request.ResolutionText?.Trim(), request.ReferTo?.Trim()) { Tally = tally }),
            cancellationToken);
    }

    /// <summary>
    /// The consultation with the paper, committee, body, meeting, workflow instance, lead office and the bookmark that
    /// waits for its outcome, in one query: the step's later look-ups of these (by key, through the unit of work)
    /// then cost no round trip; seven fewer per step. It also tells whether the paper has follow-up papers (a -01
    /// Stellungnahme), which the answer lists, and followers, whom the outcome notice goes to, and whether the meeting's
    /// attendance is recorded (for the quorum): most papers and meetings have none of these, and each look-up is then one
    /// round trip less. And it brings the paper's consultations with their meetings, which the planner and the answer ask
    /// for next (<see cref="ConsultationPlanner.Know"/>): one round trip less again.
    /// </summary>
    private async Task<StepRows?> LoadStepAsync(Caller caller, Guid consultationId, CancellationToken cancellationToken)
    {
        var step = await StepQuery.For(db)(db.Context, consultationId, caller.BodyId, consultationId.ToString(), cancellationToken);
        if (step is not null)
        {
            planner.Know(step.Paper.Id, step.PaperConsultations.Select(c => c.Consultation));
        }

        return step;
    }

    // Compiled: the largest query of a step. The paper's consultations are read with their soft-deleted ones (the planner
    // places a new step after those too), and EF Core's query filters can only be set aside for a whole query: so here they
    // are, and each of the other rows states its filter itself (a deleted paper, committee, meeting or office is not found).
    private static readonly CompiledQuery<Func<DbContext, Guid, Guid, string, CancellationToken, Task<StepRows?>>> StepQuery = new(() => EF.CompileAsyncQuery(
        (DbContext db, Guid consultationId, Guid bodyId, string key, CancellationToken _) =>
            (from consultation in db.Set<Consultation>().IgnoreQueryFilters()
             where consultation.Id == consultationId && consultation.BodyId == bodyId && !consultation.Deleted
             join paper in db.Set<Paper>().Where(p => !p.Deleted) on consultation.PaperId equals paper.Id
             join committee in db.Set<Organization>().Where(o => !o.Deleted) on consultation.OrganizationId equals committee.Id
             join body in db.Set<Body>() on paper.BodyId equals body.Id
             join meeting in db.Set<Meeting>().Where(m => !m.Deleted) on consultation.MeetingId equals (Guid?)meeting.Id into meetings
             from meeting in meetings.DefaultIfEmpty()
             join instance in db.Set<WorkflowInstance>() on paper.WorkflowInstanceId equals (Guid?)instance.Id into instances
             from instance in instances.DefaultIfEmpty()
             join leadOffice in db.Set<Organization>().Where(o => !o.Deleted) on paper.LeadOfficeId equals (Guid?)leadOffice.Id into leadOffices
             from leadOffice in leadOffices.DefaultIfEmpty()
             from bookmark in db.Set<Bookmark>().Where(b => b.Key == key && b.Name == ConsultationPlanner.OutcomeBookmark).DefaultIfEmpty()
             select new StepRows(consultation, paper, committee, body, meeting, instance, leadOffice, bookmark,
                 (from c in db.Set<Consultation>()
                  where c.PaperId == paper.Id
                  join m in db.Set<Meeting>().Where(m => !m.Deleted) on c.MeetingId equals (Guid?)m.Id into ms
                  from m in ms.DefaultIfEmpty()
                  select new PaperConsultation(c, m)).ToList(),
                 db.Set<Paper>().Any(p => p.SuperordinatedPaperId == paper.Id && !p.Deleted),
                 db.Set<PaperFollower>().Any(f => f.PaperId == paper.Id),
                 db.Set<Attendance>().Any(a => a.MeetingId == consultation.MeetingId),
                 db.Set<Circulation>().Any(c => c.ConsultationId == consultation.Id && c.Status == CirculationStatus.Open)))
            .SingleOrDefault()));

    /// <summary>
    /// What <see cref="LoadStepAsync"/> brings into the unit of work (all tracked), whether the paper has follow-ups and
    /// followers, and whether an Umlaufverfahren is open for the step (nearly never: asked here, not in a statement of its own).
    /// </summary>
    private sealed record StepRows(
        Consultation Consultation, Paper Paper, Organization Committee, Body Body, Meeting? Meeting, WorkflowInstance? Instance, Organization? LeadOffice,
        Bookmark? Bookmark, List<PaperConsultation> PaperConsultations, bool HasSubordinated, bool HasFollowers, bool HasAttendance, bool HasOpenCirculation);

    private async Task ValidateReferralAsync(Caller caller, string? referTo, Organization from, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(referTo))
        {
            throw RequestValidationException.For("referTo", "For 'verwiesen' name the committee the paper is referred to (its key, e.g. \"plua\").");
        }

        var target = await db.Organizations.SingleOrDefaultAsync(
            o => o.BodyId == caller.BodyId && o.Key == referTo && o.Kind == OrganizationKind.Committee, cancellationToken);
        if (target is null || target.Id == from.Id)
        {
            var committees = await db.Organizations.Where(o => o.BodyId == caller.BodyId && o.Kind == OrganizationKind.Committee && o.Id != from.Id)
                .Select(o => o.Key).ToListAsync(cancellationToken);
            throw RequestValidationException.For("referTo", $"'{referTo}' is not another committee of this body; choose one of: {string.Join(", ", committees)}.");
        }
    }

    private async Task<IdempotentResult<RecordOutcomeResponse>?> FindEarlierAnswerAsync(
        Caller caller, string key, string requestHash, CancellationToken cancellationToken)
    {
        var record = await db.IdempotencyRecords.AsNoTracking()
            .SingleOrDefaultAsync(r => r.Key == key && r.UserId == caller.UserId && r.Operation == Operation, cancellationToken);
        if (record is null)
        {
            return null;
        }

        if (record.RequestHash != requestHash)
        {
            throw RequestValidationException.For("Idempotency-Key",
                $"The key '{key}' was already used for a different request; use a new key for a new outcome.");
        }

        return new IdempotentResult<RecordOutcomeResponse>(
            JsonSerializer.Deserialize<RecordOutcomeResponse>(record.ResponseJson, JsonSerializerOptions.Web)!, Replayed: true);
    }

    private static Outcome Validate(RecordOutcomeRequest request, string? idempotencyKey)
    {
        var errors = new ValidationErrors();
        errors.Required("resultText", request.ResultText);
        OutcomeInput.OneLine(errors, "resultText", request.ResultText, "The result is one line of text; remove line breaks and control characters.");

        Outcome? outcome = null;
        if (!string.IsNullOrWhiteSpace(request.Outcome))
        {
            if (EnumNames.TryParse<Outcome>(request.Outcome, out var parsed))
            {
                outcome = parsed;
            }
            else
            {
                errors.Add("outcome", $"Unknown outcome '{request.Outcome}'; use one of: {string.Join(", ", Enum.GetNames<Outcome>())}.");
            }
        }
        else if (!string.IsNullOrWhiteSpace(request.ResultText))
        {
            outcome = Vocabulary.NormaliseOutcome(request.ResultText);
            if (outcome is null)
            {
                errors.Add("outcome", $"The result '{request.ResultText}' is not a known wording; give 'outcome' as one of: {string.Join(", ", Enum.GetNames<Outcome>())}.");
            }
        }

        OutcomeInput.Lengths(errors, request.ResultText, request.ResolutionText);
        OutcomeInput.Votes(errors, request.VotesFor, request.VotesAgainst, request.Abstentions);

        if (idempotencyKey is { Length: > 200 })
        {
            errors.Add("Idempotency-Key", "An idempotency key has at most 200 characters.");
        }

        errors.ThrowIfAny();
        return outcome!.Value;
    }

    private static string Hash(Guid consultationId, RecordOutcomeRequest request) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            JsonSerializer.Serialize(new { consultationId, request }))));
}

/// <summary>An answer that may be the stored first answer to an earlier request with the same idempotency key.</summary>
public sealed record IdempotentResult<T>(T Value, bool Replayed);
