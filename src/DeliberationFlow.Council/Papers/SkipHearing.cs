using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Timers;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Papers;

public sealed record SkipHearingRequest(string? Reason);

/// <summary>
/// The legal guard of § 94 NKomVG: the Stadtbezirksräte are heard before the Rat or the Verwaltungsausschuss
/// decide, so a workflow with a hearing plans no deciding step until every hearing is done. Only an admin may end
/// the hearing early, and only with a recorded reason of urgency (Eilentscheidung, § 89 NKomVG).
/// </summary>
public sealed class SkipHearing(
    ICouncilDb db, WorkflowRunner runner, IWorkflowDefinitionStore definitions, PaperReader reader, ITimerScheduler timers, IOutboxSignal outbox, TimeProvider clock,
    ILogger<SkipHearing> logger)
{
    /// <summary>
    /// The reason of urgency, a few sentences. Less than the other reasons (<see cref="InputLimits.MaxReasonLength"/>): it
    /// becomes, after the § 89 note, the result of each hearing it drops, and a result is one line of the minutes
    /// (<see cref="Consultations.OutcomeInput.MaxResultTextLength"/> characters with the note).
    /// </summary>
    public const int MaxReasonLength = 400;

    public async Task<PaperDetails> HandleAsync(Caller caller, Guid paperId, SkipHearingRequest request, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Only an admin may end a hearing early (Eilentscheidung, § 89 NKomVG).");
        }

        if (request.Reason is not { Length: >= 10 } reason || string.IsNullOrWhiteSpace(reason))
        {
            throw RequestValidationException.For("reason", "State the reason of urgency (at least 10 characters): § 89 NKomVG allows skipping the hearing only in urgent cases.");
        }

        if (reason.Length > MaxReasonLength)
        {
            throw RequestValidationException.For("reason", $"State the reason of urgency in at most {MaxReasonLength} characters; it is noted as the result of each hearing it drops.");
        }

        var run = await db.InTransactionAsync(logger, $"Skipping the hearing of paper {paperId}", async cancellationToken =>
        {
            var paper = await db.Papers.SingleOrDefaultAsync(p => p.Id == paperId && p.BodyId == caller.BodyId, cancellationToken)
                ?? throw new NotFoundException($"No paper with id {paperId}.");
            var instance = paper.WorkflowInstanceId is { } id ? await db.WorkflowInstances.GetAsync(id, cancellationToken) : null;
            var definition = instance is null ? null : await definitions.FindPinnedAsync(instance.TenantId, instance.DefinitionId, instance.DefinitionVersion, cancellationToken);
            var hearing = definition?.Activities.FirstOrDefault(a => a.Id == instance!.CurrentActivityId && a.Type == HearingActivity.TypeName);
            var bookmark = hearing is null
                ? null
                : await db.Bookmarks.FirstOrDefaultAsync(b => b.InstanceId == instance!.Id && b.ActivityId == hearing.Id, cancellationToken);
            if (bookmark is null)
            {
                throw new ConflictException($"Paper {paper.Reference} is not waiting for a hearing; there is nothing to skip.");
            }

            var run = await runner.ResumeAsync(definition!, instance!, bookmark, new Stimulus(caller.UserName, clock.GetUtcNow(), new HearingSkipStimulus(reason.Trim())), cancellationToken);
            PaperProgress.Apply(paper, run.Instance, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            return run;
        }, cancellationToken);

        await timers.ScheduleAsync(run.Timers, cancellationToken);
        outbox.MessagesQueued();
        return await reader.ReadAsync(caller, paperId, cancellationToken);
    }
}
