using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Workflows;

/// <summary>
/// The paper as conditions and templates see it: plain values only, so no expression or template can
/// reach into the service's objects.
/// </summary>
public sealed class PaperModel(ICouncilDb db, ConsultationPlanner planner)
{
    public async Task<Dictionary<string, object?>> DescribeAsync(Paper paper, CancellationToken cancellationToken)
    {
        var consultations = await planner.AllConsultationsAsync(paper.Id, cancellationToken);
        var organizationIds = consultations.Select(c => c.OrganizationId).Concat(paper.ParticipatingOfficeIds).Append(paper.LeadOfficeId ?? Guid.Empty).ToList();
        var organizations = await db.Organizations.AsNoTracking().Where(o => organizationIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
        var body = await db.Bodies.AsNoTracking().SingleAsync(b => b.Id == paper.BodyId, cancellationToken);
        return new Dictionary<string, object?>
        {
            ["reference"] = paper.Reference,
            ["name"] = paper.Name,
            ["type"] = paper.PaperType,
            ["date"] = paper.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["isPublic"] = paper.IsPublic,
            ["body"] = body.Name,
            ["leadOffice"] = paper.LeadOfficeId is { } lead && organizations.TryGetValue(lead, out var office) ? office.Key : null,
            ["leadOfficeName"] = paper.LeadOfficeId is { } leadId && organizations.TryGetValue(leadId, out var leadOffice) ? leadOffice.Name : null,
            ["participatingOffices"] = paper.ParticipatingOfficeIds.Where(organizations.ContainsKey).Select(id => organizations[id].Key).ToList(),
            ["consultations"] = consultations.OrderBy(c => c.Position).Select(c => new Dictionary<string, object?>
            {
                ["committee"] = organizations[c.OrganizationId].Key,
                ["committeeName"] = organizations[c.OrganizationId].Name,
                ["role"] = c.Role.ToString(),
                ["status"] = c.Status.ToString(),
                ["outcome"] = c.Outcome?.ToString(),
                ["result"] = c.ResultText,
            }).ToList(),
        };
    }
}
