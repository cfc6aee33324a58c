using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeliberationFlow.Council.Papers.Files;

/// <summary>
/// Replaces a paper's Vorlage (its main file) with a corrected document, or sets it when the paper has none yet. The file
/// keeps its id, so its OParl URL and the paper's <c>mainFile</c> stay; its bytes, name, size, checksum (the download's
/// ETag) and <c>modified</c> change. The old bytes are not kept; the journal names both documents.
/// </summary>
public sealed class ReplaceMainFile(ICouncilDb db, PaperReader reader, TimeProvider clock, IOptions<PaperFileOptions> options, ILogger<ReplaceMainFile> logger)
{
    public async Task<PaperFileView> HandleAsync(Caller caller, Guid paperId, PaperFileUpload upload, CancellationToken cancellationToken)
    {
        var paper = await KeptPaper.FindAsync(db, reader, caller, paperId, "replacing its Vorlage", cancellationToken);
        var accepted = await PaperFileRules.CheckAsync(upload with { Role = null }, options.Value.MaxSizeBytes, PaperFileRole.Main, cancellationToken);
        var text = PaperFileText.Extract(accepted.Content, accepted.MimeType, accepted.FileName, logger);
        var now = clock.GetUtcNow();
        var body = await db.Bodies.GetAsync(paper.BodyId, cancellationToken);
        var file = await db.PaperFiles.SingleOrDefaultAsync(f => f.PaperId == paper.Id && f.Role == PaperFileRole.Main, cancellationToken);
        string? before = null;
        if (file is null)
        {
            file = PaperFileRules.AddFile(db, paper, accepted, text, PaperFileRole.Main, caller, BodyClock.LocalDay(now, body.Zone), now);
        }
        else
        {
            before = PaperFileRules.Describe(file);
            // Written by its key, without reading the old bytes first; the old text goes with them.
            var content = db.PaperFileContents.Attach(new PaperFileContent { FileId = file.Id, Content = accepted.Content, Text = text, TextExtractedAt = now });
            content.Property(c => c.Content).IsModified = true;
            content.Property(c => c.Text).IsModified = true;
            content.Property(c => c.TextExtractedAt).IsModified = true;
            (file.Name, file.FileName, file.MimeType, file.Sha512Checksum, file.UploadedBy) =
                (accepted.Name, accepted.FileName, accepted.MimeType, accepted.Sha512Checksum, caller.UserName);
            file.Size = accepted.Content.LongLength;
            file.Date = BodyClock.LocalDay(now, body.Zone);
            file.Modified = now;
        }

        paper.Modified = now;
        await PaperFileRules.JournalAsync(db, paper, caller, now, before is null
            ? $"Dokument hinzugefügt: {PaperFileRules.Describe(file)}."
            : $"Vorlage ersetzt: {before} → {PaperFileRules.Describe(file)}.", cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            throw new ConflictException($"Paper {paper.Reference} got its Vorlage at the same moment from someone else; look at it and replace it again if need be.");
        }

        return PaperFileView.Of(file);
    }
}
