using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Papers.Files;

/// <summary>
/// A paper's document with its bytes, for whoever may see the paper (the rule of <see cref="PaperReader.MaySeeAsync"/>):
/// a document of a non-public paper reaches no one the paper does not.
/// </summary>
public sealed class DownloadPaperFile(ICouncilDb db, PaperReader reader)
{
    public async Task<PaperFileDownload> HandleAsync(Caller caller, Guid paperId, Guid fileId, CancellationToken cancellationToken)
    {
        var paper = await db.Papers.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paperId && p.BodyId == caller.BodyId, cancellationToken);
        if (paper is null || !await reader.MaySeeAsync(caller, paper, cancellationToken))
        {
            throw new NotFoundException($"No paper with id {paperId}.");
        }

        return await ReadAsync(db, paper.Id, fileId, cancellationToken)
               ?? throw new NotFoundException($"Paper {paper.Reference} has no document with id {fileId}.");
    }

    /// <summary>A document of a paper with its bytes, or none (deleted, or of another paper); whoever calls has decided who may read it.</summary>
    public static async Task<PaperFileDownload?> ReadAsync(ICouncilDb db, Guid paperId, Guid fileId, CancellationToken cancellationToken) =>
        await db.PaperFiles.AsNoTracking().Where(f => f.Id == fileId && f.PaperId == paperId)
            .Join(db.PaperFileContents, f => f.Id, c => c.FileId, (f, c) => new PaperFileDownload(f.FileName, f.MimeType, f.Sha512Checksum, c.Content))
            .SingleOrDefaultAsync(cancellationToken);
}
