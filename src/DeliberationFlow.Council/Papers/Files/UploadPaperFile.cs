using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeliberationFlow.Council.Papers.Files;

/// <summary>
/// Adds a document to a paper: the Vorlage itself (<c>main</c>, OParl <c>mainFile</c>) or an attachment
/// (<c>auxiliary</c>). Without a role the first document is the Vorlage and every further one an attachment. Who keeps the
/// paper may add (<see cref="KeptPaper"/>); the paper's journal records it, and the paper counts as changed, as OParl
/// embeds its files.
/// </summary>
public sealed class UploadPaperFile(ICouncilDb db, PaperReader reader, TimeProvider clock, IOptions<PaperFileOptions> options, ILogger<UploadPaperFile> logger)
{
    public async Task<PaperFileView> HandleAsync(Caller caller, Guid paperId, PaperFileUpload upload, CancellationToken cancellationToken)
    {
        var paper = await KeptPaper.FindAsync(db, reader, caller, paperId, "adding documents", cancellationToken);
        var accepted = await PaperFileRules.CheckAsync(upload, options.Value.MaxSizeBytes, fixedRole: null, cancellationToken);
        var hasMain = await db.PaperFiles.AnyAsync(f => f.PaperId == paper.Id && f.Role == PaperFileRole.Main, cancellationToken);
        var role = accepted.Role ?? (hasMain ? PaperFileRole.Auxiliary : PaperFileRole.Main);
        if (role == PaperFileRole.Main && hasMain)
        {
            throw new ConflictException($"Paper {paper.Reference} has its Vorlage already; replace it with PUT /api/papers/{paper.Id}/files/main, or add this one as auxiliary.");
        }

        var now = clock.GetUtcNow();
        var body = await db.Bodies.GetAsync(paper.BodyId, cancellationToken);
        var text = PaperFileText.Extract(accepted.Content, accepted.MimeType, accepted.FileName, logger);
        var file = PaperFileRules.AddFile(db, paper, accepted, text, role, caller, BodyClock.LocalDay(now, body.Zone), now);
        paper.Modified = now;
        await PaperFileRules.JournalAsync(db, paper, caller, now, $"Dokument hinzugefügt: {PaperFileRules.Describe(file)}.", cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            // Two first uploads at the same moment: the other one became the Vorlage.
            throw new ConflictException($"Paper {paper.Reference} has its Vorlage already; replace it with PUT /api/papers/{paper.Id}/files/main, or add this one as auxiliary.");
        }

        return PaperFileView.Of(file);
    }
}
