using System.Globalization;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeliberationFlow.Council.Papers.Files;

/// <summary>
/// Reads the text of documents stored before texts were read at upload (<see cref="Model.PaperFileContent.TextExtractedAt"/>
/// is none), a few at a time, in the background (the scheduler's job, never a request): the same reading as an upload's
/// (<see cref="PaperFileText"/>, its time and length limits). A document is marked read also when it has no text (a scan,
/// an image), so it is read once. Each is written only if it is still waiting, so a document replaced or deleted meanwhile
/// keeps what its change gave it, and two runs at once (two nodes) do nothing twice over but the reading.
/// <para>
/// A reading that throws, never ends or takes the process down must not be taken again on every run, forever, ahead of
/// the documents behind it: each reading is counted before it begins (<see cref="Model.PaperFileContent.TextExtractionAttempts"/>),
/// lasts at most <see cref="PaperTextOptions.Timeout"/>, and after <see cref="PaperTextOptions.MaxAttempts"/> the job gives
/// up on the document (<see cref="Model.PaperFileContent.TextGivenUpAt"/>) with a warning naming it; the admins see those
/// on the Betrieb page (<see cref="ListUnreadablePaperTexts"/>).
/// </para>
/// </summary>
public sealed class ExtractMissingPaperTexts(
    ICouncilDb db, IPaperTextReader reader, IOptions<PaperTextOptions> options, TimeProvider clock, ILogger<ExtractMissingPaperTexts> logger)
{
    /// <summary>Documents per batch: each is read into memory whole (up to 20 MB) and for up to 10 seconds.</summary>
    public const int BatchSize = 10;

    private sealed record WaitingDocument(Guid FileId, string MimeType, string FileName, string PaperReference, int Attempts);

    /// <summary>Reads one batch of waiting documents; the answer is how many it took, 0 when none waits.</summary>
    public async Task<int> HandleAsync(CancellationToken cancellationToken)
    {
        var waiting = await (from c in db.PaperFileContents.AsNoTracking()
                             where c.TextExtractedAt == null && c.TextGivenUpAt == null
                             join f in db.PaperFiles.AsNoTracking() on c.FileId equals f.Id
                             join p in db.Papers.AsNoTracking() on f.PaperId equals p.Id
                             orderby c.FileId
                             select new WaitingDocument(c.FileId, f.MimeType, f.FileName, p.Reference, c.TextExtractionAttempts))
            .Take(BatchSize).ToListAsync(cancellationToken);

        foreach (var document in waiting)
        {
            if (PaperFileText.CanHaveText(document.MimeType))
            {
                await ReadAsync(document, cancellationToken);
            }
            else
            {
                // An image's bytes are not fetched for nothing: it has no text here.
                await SaveAsync(document.FileId, "", cancellationToken);
            }
        }

        return waiting.Count;
    }

    /// <summary>One document's reading: counted first, bounded in time, and given up on after the last attempt.</summary>
    private async Task ReadAsync(WaitingDocument document, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (document.Attempts >= settings.MaxAttempts)
        {
            // Every reading began and none ended, not even with an error: the process stopped during each (a crash or a kill).
            await GiveUpAsync(document, document.Attempts,
                $"The service stopped while reading it, {document.Attempts} time(s).", null, cancellationToken);
            return;
        }

        // Counted in a write of its own, committed before the reading begins: a document that takes the process down
        // with it has its attempt counted all the same. Only from the count that was read, so two nodes do not both read.
        var attempt = document.Attempts + 1;
        var counted = await db.PaperFileContents
            .Where(c => c.FileId == document.FileId && c.TextExtractedAt == null && c.TextGivenUpAt == null && c.TextExtractionAttempts == document.Attempts)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.TextExtractionAttempts, attempt), cancellationToken);
        if (counted == 0)
        {
            return; // read, replaced, deleted or taken by another node meanwhile
        }

        var content = await db.PaperFileContents.AsNoTracking().Where(c => c.FileId == document.FileId)
            .Select(c => c.Content).SingleOrDefaultAsync(cancellationToken);
        if (content is null)
        {
            return; // deleted meanwhile
        }

        // PdfPig cannot be cancelled: the reading runs on a thread of its own, and the job stops waiting for it after the
        // time limit (the thread ends when the reading does, or with the process).
        var reading = Task.Run(() => reader.Read(content, document.MimeType, document.FileName), CancellationToken.None);
        string text;
        try
        {
            text = await reading.WaitAsync(settings.Timeout, clock, cancellationToken);
        }
        catch (TimeoutException) when (!reading.IsCompleted)
        {
            // Trying again would only leave another reading running beside this one: given up at once.
            await GiveUpAsync(document, attempt, $"The reading took longer than {settings.Timeout.ToString("c", CultureInfo.InvariantCulture)} and was abandoned.", null, CancellationToken.None);
            return;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The service stops: this attempt says nothing about the document, so it is not counted.
            await db.PaperFileContents.Where(c => c.FileId == document.FileId && c.TextExtractionAttempts == attempt)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.TextExtractionAttempts, document.Attempts), CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            var reason = $"{ex.GetType().Name}: {ex.Message}";
            if (attempt >= settings.MaxAttempts)
            {
                await GiveUpAsync(document, attempt, reason, ex, CancellationToken.None);
            }
            else
            {
                logger.LogWarning(ex, "The text of {FileName} (paper {Reference}) could not be read in attempt {Attempt} of {MaxAttempts}; the next run tries again.",
                    document.FileName, document.PaperReference, attempt, settings.MaxAttempts);
                await db.PaperFileContents.Where(c => c.FileId == document.FileId)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.TextExtractionError, Texts.Cut(reason, PaperTextOptions.MaxErrorLength)), CancellationToken.None);
            }

            return;
        }

        await SaveAsync(document.FileId, text, cancellationToken);
    }

    private async Task GiveUpAsync(WaitingDocument document, int attempts, string reason, Exception? error, CancellationToken cancellationToken)
    {
        logger.LogWarning(error, "Gave up reading the text of {FileName} (paper {Reference}, file {FileId}) after {Attempts} attempt(s): {Reason} It stays without text, listed for the admins on the Betrieb page, until it is replaced.",
            document.FileName, document.PaperReference, document.FileId, attempts, reason);
        var now = clock.GetUtcNow();
        await db.PaperFileContents.Where(c => c.FileId == document.FileId && c.TextExtractedAt == null && c.TextGivenUpAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.TextGivenUpAt, now)
                .SetProperty(c => c.TextExtractionError, Texts.Cut(reason, PaperTextOptions.MaxErrorLength)), cancellationToken);
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
