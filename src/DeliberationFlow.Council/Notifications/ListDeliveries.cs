using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Papers;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Notifications;

/// <summary>One message and what became of it: when it was sent, how often it was tried, what the server said.</summary>
public sealed record DeliveryView(
    Guid Id,
    string Kind,
    string Recipient,
    string Subject,
    string Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt,
    DateTimeOffset? NextAttemptAt,
    int? SmtpStatusCode,
    string? LastError);

/// <summary>The delivery log of a paper's messages (also the digests that list it), for admins and the secretaries who keep the paper (Caller.MayKeepPaperConsultedIn).</summary>
public sealed class ListDeliveries(ICouncilDb db, PaperReader reader)
{
    public async Task<IReadOnlyList<DeliveryView>> HandleAsync(Caller caller, Guid paperId, CancellationToken cancellationToken)
    {
        if (caller.Role == UserRole.Councillor)
        {
            throw new ForbiddenException("The delivery log is for admins and committee secretaries.");
        }

        var paper = await db.Papers.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paperId && p.BodyId == caller.BodyId, cancellationToken)
                    ?? throw new NotFoundException($"No paper with id {paperId}.");
        await reader.EnsureMayKeepAsync(caller, paper, "its delivery log (which names every recipient)", cancellationToken);

        // A digest (one invitation or reminder per member and meeting) belongs to the paper whose timer sent it and names
        // the items of every other paper it lists: those papers' logs show it too.
        // The ids are formatted here, as the digest wrote them (Guid.ToString(): lower-case), not by the database:
        // SQLite keeps a Guid as upper-case text, and the match below (instr / strpos) is case-sensitive.
        var items = (await db.Consultations.AsNoTracking().IgnoreQueryFilters().Where(c => c.PaperId == paperId)
            .Select(c => c.Id).ToListAsync(cancellationToken)).Select(id => id.ToString()).ToList();
        var messages = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.BodyId == paper.BodyId && (m.PaperId == paperId || (m.Items != null && items.Any(item => m.Items.Contains(item)))))
            .ToListAsync(cancellationToken);
        return messages.OrderBy(m => m.CreatedAt).ThenBy(m => m.RecipientAddress, StringComparer.Ordinal).Select(m => new DeliveryView(
            m.Id, m.Kind, m.RecipientAddress, m.Subject, m.Status.ToString(), m.Attempts, m.CreatedAt, m.SentAt,
            m.Status == OutboxStatus.Pending ? m.NextAttemptAt : null, m.SmtpStatusCode, m.LastError)).ToList();
    }
}
