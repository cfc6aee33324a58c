using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Papers;

/// <summary>
/// Which papers to list: <see cref="Q"/> is found in the reference or the title (case-insensitive, anywhere in them) or in
/// the text of one of the paper's documents (word by word, see <see cref="DocumentTextSearch"/>), the others narrow
/// by status (<see cref="PaperStatus"/>), paper type and a committee the paper is (or was) consulted in, by its key.
/// Pages count from 1; a page holds 25 papers unless <see cref="PageSize"/> says otherwise (at most 100).
/// </summary>
public sealed record SearchPapersRequest(string? Q = null, string? Status = null, string? PaperType = null, string? Committee = null, int? Page = null, int? PageSize = null);

/// <summary>One page of papers, newest first, and how many match in all.</summary>
public sealed record PaperList(IReadOnlyList<PaperSummary> Papers, int Total, int Page, int PageSize);

/// <summary>
/// A paper as a list shows it: what it is, where it stands, and its next step if one is planned. Found by a search
/// (<c>q</c>), it says where the search matched (<c>reference</c>, <c>title</c>, <c>document</c>) and, for a document, which
/// one with the passage around the hit.
/// </summary>
public sealed record PaperSummary(
    Guid Id, string Reference, string Name, string PaperType, DateOnly Date, string Status, string StatusLabel, bool IsPublic, NextStep? Next,
    IReadOnlyList<string>? MatchedIn = null, DocumentMatch? Document = null);

/// <summary>
/// The document of a paper whose text the search matched, and the passage around the hit in parts (<see cref="SnippetPart.Hit"/>
/// marks the words found), so a page marks them without reading markup out of a document's text. The snippet is empty
/// when the hit lies far into a long text (beyond some 30 pages), where no passage is looked for.
/// </summary>
public sealed record DocumentMatch(Guid FileId, string FileName, IReadOnlyList<SnippetPart> Snippet)
{
    /// <summary>The database's passage cut into parts at its hit marks, each run of white space (line breaks of a PDF) one space.</summary>
    public static DocumentMatch Of(DocumentTextHit hit)
    {
        var passage = string.Join(' ', (hit.Passage ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var parts = new List<SnippetPart>();
        var isHit = false;
        foreach (var piece in passage.Split(DocumentTextSearch.HitStart, DocumentTextSearch.HitEnd))
        {
            if (piece.Length > 0)
            {
                parts.Add(new SnippetPart(piece, isHit));
            }

            isHit = !isHit;
        }

        return new DocumentMatch(hit.FileId, hit.FileName, parts);
    }
}

/// <summary>A piece of a passage: words found by the search (<see cref="Hit"/>) or the text around them.</summary>
public sealed record SnippetPart(string Text, bool Hit);

/// <summary>The consultation a paper waits for: its committee and, when planned into one, the meeting's start.</summary>
public sealed record NextStep(OrganizationRef Committee, DateTimeOffset? MeetingStart);

/// <summary>
/// Lists the papers of the caller's body that the caller may see, by the rule a single paper is opened by
/// (<see cref="PaperReader.VisiblePapers"/>): public papers for everyone, non-public ones for admins, for the secretaries of
/// a committee the paper is consulted in, and for the members of such a committee. A list never names a paper its reader
/// could not open.
/// </summary>
public sealed class SearchPapers(ICouncilDb db, PaperReader reader)
{
    public async Task<PaperList> HandleAsync(Caller caller, SearchPapersRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        PaperStatus? status = null;
        if (!string.IsNullOrWhiteSpace(request.Status))
        {
            if (EnumNames.TryParse<PaperStatus>(request.Status, out var parsed))
            {
                status = parsed;
            }
            else
            {
                errors.Add("status", $"Unknown status '{request.Status}'; use one of: {string.Join(", ", Enum.GetNames<PaperStatus>())}.");
            }
        }

        var (page, pageSize) = Paging.Check(errors, request.Page, request.PageSize, "papers");

        if (request.Q is { Length: > 200 })
        {
            errors.Add("q", "Search for at most 200 characters.");
        }

        Guid? committeeId = null;
        if (!string.IsNullOrWhiteSpace(request.Committee))
        {
            var committees = await db.Organizations.AsNoTracking()
                .Where(o => o.BodyId == caller.BodyId && o.Kind == OrganizationKind.Committee)
                .Select(o => new { o.Id, o.Key }).ToListAsync(cancellationToken);
            committeeId = committees.SingleOrDefault(c => c.Key == request.Committee.Trim())?.Id;
            if (committeeId is null)
            {
                errors.Add("committee", $"No committee '{request.Committee}' in this body; use one of: {string.Join(", ", committees.Select(c => c.Key).Order(StringComparer.Ordinal))}.");
            }
        }

        errors.ThrowIfAny();

        var papers = await reader.VisiblePapersAsync(caller, cancellationToken);
        string? needle = null;
        DocumentTextSearch? inDocuments = null;
        if (request.Q?.Trim() is { Length: > 0 } text)
        {
            // Lower-cased on both sides; on SQLite lower() is .NET's (SqliteUnicodeCase), so "über" finds "Überplanung" there too.
            needle = text.ToLowerInvariant();
            inDocuments = DocumentTextSearch.Of(text);
            var lowered = needle;
            if (inDocuments is null)
            {
                papers = papers.Where(p => p.Reference.ToLower().Contains(lowered) || p.Name.ToLower().Contains(lowered));
            }
            else
            {
                // The documents' index only narrows the papers the caller may see: a non-public paper's text finds it for
                // no one who could not open it.
                var withText = db.PapersWithDocumentText(inDocuments);
                papers = papers.Where(p => p.Reference.ToLower().Contains(lowered) || p.Name.ToLower().Contains(lowered) || withText.Contains(p.Id));
            }
        }

        if (status is { } wanted)
        {
            papers = papers.Where(p => p.Status == wanted);
        }

        if (request.PaperType?.Trim() is { Length: > 0 } paperType)
        {
            papers = papers.Where(p => p.PaperType == paperType);
        }

        if (committeeId is { } consultedIn)
        {
            papers = papers.Where(p => db.Consultations.Any(c => c.PaperId == p.Id && c.OrganizationId == consultedIn));
        }

        var total = await papers.CountAsync(cancellationToken);
        var rows = await papers
            .OrderByDescending(p => p.Date).ThenByDescending(p => p.Reference)
            .Skip(Paging.Offset(page, pageSize)).Take(pageSize)
            .ToListAsync(cancellationToken);

        var ids = rows.Select(p => p.Id).ToList();
        var next = (await (from c in db.Consultations.AsNoTracking()
                           where ids.Contains(c.PaperId) && c.Status == ConsultationStatus.Planned
                           join o in db.Organizations.AsNoTracking() on c.OrganizationId equals o.Id
                           join m in db.Meetings.AsNoTracking() on c.MeetingId equals (Guid?)m.Id into meetings
                           from m in meetings.DefaultIfEmpty()
                           select new { c.PaperId, c.Position, Committee = new OrganizationRef(o.Id, o.Key, o.Name), Start = (DateTimeOffset?)m!.Start })
                          .ToListAsync(cancellationToken))
            .GroupBy(c => c.PaperId)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.Start ?? DateTimeOffset.MaxValue).ThenBy(c => c.Position).First());

        // Why each paper of the page matched; the passages only for these papers, which the caller may see.
        var hits = inDocuments is null
            ? new Dictionary<Guid, DocumentTextHit>()
            : (await db.DocumentTextHitsAsync(ids, inDocuments, cancellationToken)).ToDictionary(h => h.PaperId);
        List<string>? MatchedIn(Paper paper)
        {
            if (needle is null)
            {
                return null;
            }

            var where = new List<string>();
            if (paper.Reference.ToLowerInvariant().Contains(needle, StringComparison.Ordinal))
            {
                where.Add("reference");
            }

            if (paper.Name.ToLowerInvariant().Contains(needle, StringComparison.Ordinal))
            {
                where.Add("title");
            }

            if (hits.ContainsKey(paper.Id))
            {
                where.Add("document");
            }

            return where;
        }

        return new PaperList(
            rows.Select(p => new PaperSummary(
                p.Id, p.Reference, p.Name, p.PaperType, p.Date, p.Status.ToString(), Vocabulary.Label(p.Status), p.IsPublic,
                next.TryGetValue(p.Id, out var step) ? new NextStep(step.Committee, step.Start) : null,
                MatchedIn(p), hits.TryGetValue(p.Id, out var hit) ? DocumentMatch.Of(hit) : null)).ToList(),
            total, page, pageSize);
    }
}
