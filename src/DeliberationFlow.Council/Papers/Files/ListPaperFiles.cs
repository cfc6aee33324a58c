using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Papers.Files;

/// <summary>A paper's documents, the Vorlage first, for whoever may see the paper (without their bytes).</summary>
public sealed class ListPaperFiles(ICouncilDb db, PaperReader reader)
{
    public async Task<IReadOnlyList<PaperFileView>> HandleAsync(Caller caller, Guid paperId, CancellationToken cancellationToken)
    {
        var paper = await db.Papers.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paperId && p.BodyId == caller.BodyId, cancellationToken);
        if (paper is null || !await reader.MaySeeAsync(caller, paper, cancellationToken))
        {
            throw new NotFoundException($"No paper with id {paperId}.");
        }

        var files = await db.PaperFiles.AsNoTracking().Where(f => f.PaperId == paper.Id).ToListAsync(cancellationToken);
        return files.OrderBy(f => f.Role == PaperFileRole.Main ? 0 : 1).ThenBy(f => f.Created).ThenBy(f => f.Id).Select(PaperFileView.Of).ToList();
    }
}
