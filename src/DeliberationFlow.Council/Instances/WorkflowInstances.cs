using System.Globalization;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Timers;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Instances;

/// <summary>A running or finished workflow instance as an admin watches it.</summary>
public sealed record WorkflowInstanceView(
    Guid Id,
    Guid PaperId,
    string PaperReference,
    string DefinitionId,
    int Version,
    string Status,
    string? CurrentActivityId,
    string? Fault,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt);

/// <summary>Lists the instances of the admin's body, e.g. the faulted ones (incidents).</summary>
public sealed class ListWorkflowInstances(ICouncilDb db)
{
    public async Task<IReadOnlyList<WorkflowInstanceView>> HandleAsync(Caller caller, string? status, CancellationToken cancellationToken)
    {
        AdminOnly.Check(caller);
        var query = db.WorkflowInstances.AsNoTracking().Where(i => i.TenantId == caller.BodyId);
        if (status is { Length: > 0 })
        {
            if (!Enum.TryParse<WorkflowStatus>(status, ignoreCase: true, out var parsed) || int.TryParse(status, CultureInfo.InvariantCulture, out _))
            {
                throw RequestValidationException.For("status", $"Unknown status '{status}'; use one of: {string.Join(", ", Enum.GetNames<WorkflowStatus>())}.");
            }

            query = query.Where(i => i.Status == parsed);
        }

        var instances = await query.OrderByDescending(i => i.UpdatedAt).Take(500).ToListAsync(cancellationToken);
        var ids = instances.Select(i => (Guid?)i.Id).ToList();
        var papers = await db.Papers.AsNoTracking().Where(p => ids.Contains(p.WorkflowInstanceId))
            .ToDictionaryAsync(p => p.WorkflowInstanceId!.Value, cancellationToken);
        return instances.Where(i => papers.ContainsKey(i.Id)).Select(i => View(i, papers[i.Id])).ToList();
    }

    internal static WorkflowInstanceView View(WorkflowInstance instance, Paper paper) => new(
        instance.Id, paper.Id, paper.Reference, instance.DefinitionId, instance.DefinitionVersion, instance.Status.ToString(),
        instance.CurrentActivityId, instance.Fault, instance.CreatedAt, instance.UpdatedAt, instance.FinishedAt);
}

/// <summary>What to do with an incident: run the faulted activity again, or leave it through an outcome.</summary>
public sealed record ResolveIncidentRequest(string? Action, string? Outcome);

/// <summary>
/// Resolves an incident of a faulted instance, in one transaction like any step: "retry" runs the faulted
/// activity again (after its cause was mended), "skip" leaves it through the given outcome.
/// </summary>
public sealed class ResolveIncident(
    ICouncilDb db,
    WorkflowRunner runner,
    IWorkflowDefinitionStore definitions,
    ITimerScheduler timers,
    IOutboxSignal outbox,
    TimeProvider clock,
    ILogger<ResolveIncident> logger)
{
    public async Task<WorkflowInstanceView> HandleAsync(Caller caller, Guid instanceId, ResolveIncidentRequest request, CancellationToken cancellationToken)
    {
        AdminOnly.Check(caller);
        var errors = new ValidationErrors();
        if (request.Action is not ("retry" or "skip"))
        {
            errors.Add("action", "Use \"retry\" to run the faulted activity again or \"skip\" to leave it through an outcome.");
        }

        if (request.Action == "skip")
        {
            errors.Required("outcome", request.Outcome);
        }

        errors.ThrowIfAny();

        var (run, paper) = await ResolveAsync(caller, instanceId, request, cancellationToken);
        await timers.ScheduleAsync(run.Timers, cancellationToken);
        outbox.MessagesQueued();
        return ListWorkflowInstances.View(run.Instance, paper);
    }

    private async Task<(RunResult Run, Paper Paper)> ResolveAsync(Caller caller, Guid instanceId, ResolveIncidentRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await TransactAsync(caller, instanceId, request, cancellationToken);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || db.IsUniqueViolation(ex))
        {
            // The instance carries a revision (and a waiting step a unique bookmark): another resolution (a second click,
            // another admin) or a step committed since it was read, and this one was undone.
            db.ChangeTracker.Clear();
            throw new ConflictException("The instance was changed at the same moment (the incident resolved by someone else?); reload it and check.");
        }
    }

    private Task<(RunResult Run, Paper Paper)> TransactAsync(Caller caller, Guid instanceId, ResolveIncidentRequest request, CancellationToken cancellationToken) =>
        db.InTransactionAsync(logger, $"Resolving the incident of instance {instanceId}", async cancellationToken =>
        {
            var instance = await db.WorkflowInstances.SingleOrDefaultAsync(i => i.Id == instanceId && i.TenantId == caller.BodyId, cancellationToken)
                ?? throw new NotFoundException($"No workflow instance with id {instanceId}.");
            var definition = await definitions.FindPinnedAsync(instance.TenantId, instance.DefinitionId, instance.DefinitionVersion, cancellationToken)
                ?? throw new ConflictException($"Workflow '{instance.DefinitionId}' v{instance.DefinitionVersion} is no longer installed.");
            if (instance.Status != WorkflowStatus.Faulted)
            {
                throw new ConflictException($"The instance is {instance.Status}; only a faulted instance has an incident to resolve.");
            }

            if (request.Action == "skip" && definition.FindConnection(instance.CurrentActivityId!, request.Outcome!) is null)
            {
                throw RequestValidationException.For("outcome",
                    $"'{instance.CurrentActivityId}' has no connection for '{request.Outcome}'; use one of: {string.Join(", ", definition.ConnectedOutcomes(instance.CurrentActivityId!))}.");
            }

            var run = request.Action == "retry"
                ? await runner.RetryAsync(definition, instance, caller.UserName, cancellationToken)
                : await runner.SkipAsync(definition, instance, request.Outcome!, caller.UserName, cancellationToken);
            var paper = await db.Papers.SingleAsync(p => p.WorkflowInstanceId == instance.Id, cancellationToken);
            PaperProgress.Apply(paper, run.Instance, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            return (run, paper);
        }, cancellationToken);
}

internal static class AdminOnly
{
    public static void Check(Caller caller)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Only admins watch workflow instances and resolve their incidents.");
        }
    }
}
