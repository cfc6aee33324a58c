using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Timers;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Papers;

/// <summary>The workflow to run for a paper; empty: the one serving its paper type.</summary>
public sealed record AttachWorkflowRequest(string? Workflow);

/// <summary>
/// Starts a workflow for a paper that has none, e.g. one imported from another system while still in progress. Steps
/// the paper already took there are followed by their recorded outcome; a planned one is taken over.
/// </summary>
public sealed class AttachWorkflow(
    ICouncilDb db,
    WorkflowRunner runner,
    WorkflowSelection workflows,
    PaperReader reader,
    ITimerScheduler timers,
    IOutboxSignal outbox,
    ILogger<AttachWorkflow> logger)
{
    public async Task<PaperDetails> HandleAsync(Caller caller, Guid paperId, AttachWorkflowRequest request, CancellationToken cancellationToken)
    {
        if (!caller.MayRegisterPapers)
        {
            throw new ForbiddenException("Only admins and committee secretaries attach workflows to papers.");
        }

        // The paper is read and checked inside the transaction: a deadlock victim runs again from here and sees a workflow
        // attached by the request it lost to.
        var run = await db.InTransactionAsync(logger, $"Attaching a workflow to paper {paperId}", async cancellationToken =>
        {
            var paper = await db.Papers.SingleOrDefaultAsync(p => p.Id == paperId && p.BodyId == caller.BodyId, cancellationToken)
                        ?? throw new NotFoundException($"No paper with id {paperId}.");
            await reader.EnsureMayKeepAsync(caller, paper, "attaching a workflow", cancellationToken);

            if (paper.WorkflowInstanceId is not null)
            {
                throw new ConflictException($"Paper {paper.Reference} already runs a workflow.");
            }

            if (paper.Status != PaperStatus.InProgress)
            {
                throw new ConflictException($"Paper {paper.Reference} is {Vocabulary.Label(paper.Status)}; only a paper still in progress gets a workflow.");
            }

            var definition = await workflows.FindAsync(caller.BodyId, request.Workflow, paper.PaperType, cancellationToken)
                ?? throw RequestValidationException.For(request.Workflow is null ? "paperType" : "workflow",
                    $"No published workflow for {(request.Workflow is null ? $"paper type '{paper.PaperType}'" : $"'{request.Workflow}'")}; available: {string.Join("; ", await workflows.DescribeAsync(caller.BodyId, cancellationToken))}.");

            var run = await runner.StartAsync(definition, caller.BodyId, paper.Id.ToString(), caller.UserName, cancellationToken);
            paper.WorkflowInstanceId = run.Instance.Id;
            await db.SaveChangesAsync(cancellationToken);
            return run;
        }, cancellationToken);

        await timers.ScheduleAsync(run.Timers, cancellationToken);
        outbox.MessagesQueued();
        return await reader.ReadAsync(caller, paperId, cancellationToken);
    }
}
