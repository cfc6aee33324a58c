using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Papers.Files;

/// <summary>
/// Deletes a paper's document. The file's row stays, marked deleted, so that the OParl interface serves it as deleted and
/// portals which mirrored it drop it (OParl 1.1, 2.8); its bytes are deleted at once, as a document uploaded by mistake
/// (to the wrong paper, with personal data) must not linger. The journal records who deleted what.
/// </summary>
public sealed class DeletePaperFile(ICouncilDb db, PaperReader reader, TimeProvider clock)
{
    public async Task HandleAsync(Caller caller, Guid paperId, Guid fileId, CancellationToken cancellationToken)
    {
        var paper = await KeptPaper.FindAsync(db, reader, caller, paperId, "deleting its documents", cancellationToken);
        var file = await db.PaperFiles.SingleOrDefaultAsync(f => f.Id == fileId && f.PaperId == paper.Id, cancellationToken)
                   ?? throw new NotFoundException($"Paper {paper.Reference} has no document with id {fileId}.");
        var now = clock.GetUtcNow();
        file.Deleted = true;
        file.Modified = now;
        paper.Modified = now;
        // Deleted by its key in the same save, without reading the bytes first.
        db.PaperFileContents.Remove(db.PaperFileContents.Attach(new PaperFileContent { FileId = file.Id, Content = [] }).Entity);
        await PaperFileRules.JournalAsync(db, paper, caller, now, $"Dokument gelöscht: {PaperFileRules.Describe(file)}.", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }
}
