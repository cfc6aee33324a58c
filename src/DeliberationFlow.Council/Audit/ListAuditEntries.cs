using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Audit;

public sealed record AuditEntryView(DateTimeOffset Timestamp, string Actor, string Area, string Subject, string Message);

public sealed record AuditPage(IReadOnlyList<AuditEntryView> Entries, int Total, int Page, int PageSize);

/// <summary>Filter by area, and by a text in the subject, actor or message; newest first.</summary>
public sealed record ListAuditEntriesRequest(string? Area, string? Q, int? Page, int? PageSize);

/// <summary>The body's record of admin changes, for admins (Änderungsprotokoll).</summary>
public sealed class ListAuditEntries(ICouncilDb db)
{
    public async Task<AuditPage> HandleAsync(Caller caller, ListAuditEntriesRequest request, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("The record of changes is for admins.");
        }

        var errors = new ValidationErrors();
        if (request.Area is { Length: > 0 } area && !AuditAreas.All.Contains(area))
        {
            errors.Add("area", $"Use one of: {string.Join(", ", AuditAreas.All)}.");
        }

        var (page, pageSize) = Paging.Check(errors, request.Page, request.PageSize, "entries", defaultPageSize: 50, maxPageSize: 200);

        errors.ThrowIfAny();
        var entries = db.AuditEntries.AsNoTracking().Where(e => e.BodyId == caller.BodyId);
        if (request.Area is { Length: > 0 })
        {
            entries = entries.Where(e => e.Area == request.Area);
        }

        if (request.Q?.Trim() is { Length: > 0 } text)
        {
            var needle = text.ToLowerInvariant();
            entries = entries.Where(e => e.Subject.ToLower().Contains(needle) || e.Actor.ToLower().Contains(needle) || e.Message.ToLower().Contains(needle));
        }

        var total = await entries.CountAsync(cancellationToken);
        var rows = await entries.OrderByDescending(e => e.Sequence).Skip(Paging.Offset(page, pageSize)).Take(pageSize)
            .Select(e => new AuditEntryView(e.Timestamp, e.Actor, e.Area, e.Subject, e.Message))
            .ToListAsync(cancellationToken);
        return new AuditPage(rows, total, page, pageSize);
    }
}
