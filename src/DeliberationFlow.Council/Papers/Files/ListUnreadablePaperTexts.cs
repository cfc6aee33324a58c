using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Papers.Files;

/// <summary>A document whose text the background job gave up reading, for the admins.</summary>
public sealed record UnreadablePaperTextView(
    Guid PaperId, string PaperReference, string PaperName, Guid FileId, string Name, string FileName, int Attempts, DateTimeOffset GivenUpAt, string? Reason);

/// <summary>
/// The body's documents whose text the background job gave up reading (<see cref="ExtractMissingPaperTexts"/>), for the
/// admins' Betrieb page: they stay without text, so the search does not find them by it, until someone replaces them.
/// Newest first; a document replaced or deleted since is not listed.
/// </summary>
public sealed class ListUnreadablePaperTexts(ICouncilDb db)
{
    public async Task<IReadOnlyList<UnreadablePaperTextView>> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("The documents whose text could not be read are listed for admins.");
        }

        return await (from c in db.PaperFileContents.AsNoTracking()
                      where c.TextGivenUpAt != null && c.TextExtractedAt == null
                      join f in db.PaperFiles.AsNoTracking() on c.FileId equals f.Id
                      where f.BodyId == caller.BodyId && !f.Deleted
                      join p in db.Papers.AsNoTracking() on f.PaperId equals p.Id
                      orderby c.TextGivenUpAt descending, f.FileName
                      select new UnreadablePaperTextView(p.Id, p.Reference, p.Name, f.Id, f.Name, f.FileName, c.TextExtractionAttempts, c.TextGivenUpAt!.Value, c.TextExtractionError))
            .Take(200).ToListAsync(cancellationToken);
    }
}
