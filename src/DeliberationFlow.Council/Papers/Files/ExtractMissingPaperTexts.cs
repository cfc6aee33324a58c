using DeliberationFlow.Council.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Papers.Files;

/// <summary>
/// Reads the text of documents stored before texts were read at upload (<see cref="Model.PaperFileContent.TextExtractedAt"/>
/// is none), a few at a time, in the background (the scheduler's job, never a request): the same reading as an upload's
/// (<see cref="PaperFileText"/>, its time and length limits). A document is marked read also when it has no text (a scan,
/// an image), so it is read once. Each is written only if it is still waiting, so a document replaced or deleted meanwhile
/// keeps what its change gave it, and two runs at once (two nodes) do nothing twice over but the reading.
/// </summary>
public sealed class ExtractMissingPaperTexts(ICouncilDb db, TimeProvider clock, ILogger<ExtractMissingPaperTexts> logger)
{
    /// <summary>Documents per batch: each is read into memory whole (up to 20 MB) and for up to 10 seconds.</summary>
    public const int BatchSize = 10;

    /// <summary>Reads one batch of waiting documents; the answer is how many it took, 0 when none waits.</summary>
    public async Task<int> HandleAsync(CancellationToken cancellationToken)
    {
        var waiting = await (from c in db.PaperFileContents.AsNoTracking()
                             where c.TextExtractedAt == null
                             join f in db.PaperFiles.AsNoTracking() on c.FileId equals f.Id
                             orderby c.FileId
                             select new { c.FileId, f.MimeType, f.FileName })
            .Take(BatchSize).ToListAsync(cancellationToken);

        foreach (var document in waiting)
        {
            // Read one at a time, and only when the type can have a text: an image's bytes are not fetched for nothing.
            var text = "";
            if (PaperFileText.CanHaveText(document.MimeType))
            {
                var content = await db.PaperFileContents.AsNoTracking().Where(c => c.FileId == document.FileId)
                    .Select(c => c.Content).SingleOrDefaultAsync(cancellationToken);
                if (content is null)
                {
                    continue; // deleted meanwhile
                }

                text = PaperFileText.Extract(content, document.MimeType, document.FileName, logger);
            }

            await SaveAsync(document.FileId, text, cancellationToken);
        }

        return waiting.Count;
    }

    private async Task SaveAsync(Guid fileId, string text, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var written = await db.PaperFileContents.Where(c => c.FileId == fileId && c.TextExtractedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Text, text).SetProperty(c => c.TextExtractedAt, now), cancellationToken);
        if (written == 1 && text.Length > 0)
        {
            // OParl serves the text as the File's: portals that synchronise on modified fetch it again.
            await db.PaperFiles.Where(f => f.Id == fileId).ExecuteUpdateAsync(s => s.SetProperty(f => f.Modified, now), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
