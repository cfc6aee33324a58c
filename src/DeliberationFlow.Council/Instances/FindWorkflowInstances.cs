using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Instances;

/// <summary>What the studio's instance list filters by: state, a committee the paper is consulted in, overdue only, and a text in reference or definition.</summary>
public sealed record WorkflowInstanceFilter(string? Status = null, string? Committee = null, bool OverdueOnly = false, string? Search = null);

/// <summary>An instance with what an admin scans for: the committees still to deliberate, and whether a meeting passed without an outcome.</summary>
public sealed record WorkflowInstanceOverview(WorkflowInstanceView Instance, string PaperName, IReadOnlyList<string> OpenCommittees, DateTimeOffset? OverdueSince)
{
    public bool Overdue => OverdueSince is not null;
}

/// <summary>
/// The instances of the admin's body for the studio, filtered. "Overdue" means: a consultation is still planned
/// although its meeting has begun — the outcome was not recorded, so the instance cannot go on.
/// </summary>
public sealed class FindWorkflowInstances(ICouncilDb db, TimeProvider clock)
{
    public const int Limit = 500;

    public async Task<IReadOnlyList<WorkflowInstanceOverview>> HandleAsync(Caller caller, WorkflowInstanceFilter filter, CancellationToken cancellationToken)
    {
        AdminOnly.Check(caller);
        var query = db.WorkflowInstances.AsNoTracking().Where(i => i.TenantId == caller.BodyId);
        if (filter.Status is { Length: > 0 })
        {
            if (!Enum.TryParse<WorkflowStatus>(filter.Status, ignoreCase: true, out var status) || !Enum.IsDefined(status))
            {
                throw RequestValidationException.For("status", $"Unknown status '{filter.Status}'; use one of: {string.Join(", ", Enum.GetNames<WorkflowStatus>())}.");
            }

            query = query.Where(i => i.Status == status);
        }

        if (filter.Search is { Length: > 0 } search)
        {
            var ids = db.Papers.Where(p => p.BodyId == caller.BodyId && p.Reference.Contains(search)).Select(p => p.WorkflowInstanceId);
            query = query.Where(i => i.DefinitionId.Contains(search) || ids.Contains(i.Id));
        }

        if (filter.Committee is { Length: > 0 } committee)
        {
            var consulted = from c in db.Consultations
                            join o in db.Organizations on c.OrganizationId equals o.Id
                            join p in db.Papers on c.PaperId equals p.Id
                            where o.BodyId == caller.BodyId && o.Key == committee
                            select p.WorkflowInstanceId;
            query = query.Where(i => consulted.Contains(i.Id));
        }

        var instances = await query.OrderByDescending(i => i.UpdatedAt).Take(Limit).ToListAsync(cancellationToken);
        return await OverviewAsync(caller, instances, filter.OverdueOnly, cancellationToken);
    }

    public async Task<WorkflowInstanceOverview> GetAsync(Caller caller, Guid instanceId, CancellationToken cancellationToken)
    {
        AdminOnly.Check(caller);
        var instance = await db.WorkflowInstances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == instanceId && i.TenantId == caller.BodyId, cancellationToken)
                       ?? throw new NotFoundException($"No workflow instance with id {instanceId}.");
        return (await OverviewAsync(caller, [instance], overdueOnly: false, cancellationToken)).SingleOrDefault()
               ?? throw new NotFoundException($"Workflow instance {instanceId} belongs to no paper.");
    }

    private async Task<IReadOnlyList<WorkflowInstanceOverview>> OverviewAsync(
        Caller caller, List<WorkflowInstance> instances, bool overdueOnly, CancellationToken cancellationToken)
    {
        var ids = instances.Select(i => (Guid?)i.Id).ToList();
        var papers = await db.Papers.AsNoTracking().Where(p => ids.Contains(p.WorkflowInstanceId)).ToDictionaryAsync(p => p.WorkflowInstanceId!.Value, cancellationToken);
        var paperIds = papers.Values.Select(p => p.Id).ToList();
        var open = await (from c in db.Consultations.AsNoTracking()
                          join o in db.Organizations on c.OrganizationId equals o.Id
                          join m in db.Meetings on c.MeetingId equals m.Id into meetings
                          from m in meetings.DefaultIfEmpty()
                          where paperIds.Contains(c.PaperId) && c.Status == ConsultationStatus.Planned
                          select new { c.PaperId, o.Key, Start = m == null ? (DateTimeOffset?)null : m.Start })
            .ToListAsync(cancellationToken);
        var byPaper = open.ToLookup(c => c.PaperId);
        var now = clock.GetUtcNow();
        var result = new List<WorkflowInstanceOverview>();
        foreach (var instance in instances.Where(i => papers.ContainsKey(i.Id)))
        {
            var paper = papers[instance.Id];
            var consultations = byPaper[paper.Id].ToList();
            var overdueSince = consultations.Where(c => c.Start is { } start && start <= now).Select(c => c.Start).Min();
            if (overdueOnly && overdueSince is null)
            {
                continue;
            }

            result.Add(new WorkflowInstanceOverview(ListWorkflowInstances.View(instance, paper), paper.Name,
                consultations.Select(c => c.Key).Distinct().Order(StringComparer.Ordinal).ToList(), overdueSince));
        }

        return result;
    }
}
