using System.Diagnostics;
using System.Text;
using DeliberationFlow.Engine.Runtime;
using Microsoft.Extensions.Logging;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace DeliberationFlow.Council.Papers.Files;

/// <summary>
/// The text of a document, read once when it is uploaded or replaced and kept beside its bytes: OParl serves it as the
/// File's <c>text</c>, so portals can search and show a Vorlage without opening its PDF. PDFs are read with PdfPig, text
/// files as the UTF-8 they were checked to be; other types (office formats, images) have no text here.
/// </summary>
public static class PaperFileText
{
    /// <summary>
    /// At most this many characters (about 1 MB) are kept: a Vorlage of 50 pages has some 150,000, so only a document
    /// of many hundred pages is cut, and an OParl page of files stays a size a portal can fetch.
    /// </summary>
    public const int MaxLength = 1_000_000;

    /// <summary>
    /// Reading stops after the page that passes this much time: the upload waits for it, and a hostile PDF (thousands of
    /// pages of tiny glyphs) must not hold a request for minutes. A real Vorlage is read in well under a second.
    /// </summary>
    private static readonly TimeSpan ReadingBudget = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The document's text, cut to <see cref="MaxLength"/>, or empty when it has none or it cannot be read. A damaged or
    /// encrypted PDF is still a document its uploader wants stored: a failure is logged, never thrown.
    /// </summary>
    public static string Extract(byte[] content, string mimeType, string fileName, ILogger logger)
    {
        try
        {
            var text = Kind(mimeType) switch
            {
                "application/pdf" => FromPdf(content),
                "text/plain" or "text/csv" => Encoding.UTF8.GetString(content, 0, (int)Math.Min(content.LongLength, MaxLength * 4L)),
                _ => "",
            };
            return Texts.Cut(Clean(text), MaxLength);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "The text of {FileName} ({MimeType}, {Size} bytes) could not be read; the document is stored without it.",
                fileName, mimeType, content.LongLength);
            return "";
        }
    }

    /// <summary>Whether a document of this type can have a text here (PDF, TXT, CSV); office formats and images have none.</summary>
    public static bool CanHaveText(string mimeType) => Kind(mimeType) is "application/pdf" or "text/plain" or "text/csv";

    private static string Kind(string mimeType) => mimeType.Split(';')[0];

    /// <summary>
    /// The pages' text in the order it was written, a blank line between pages; reading stops once enough is there, or
    /// once the reading budget is spent (what was read is kept).
    /// </summary>
    private static string FromPdf(byte[] content)
    {
        using var document = PdfDocument.Open(content);
        var text = new StringBuilder();
        var started = Stopwatch.GetTimestamp();
        foreach (var page in document.GetPages())
        {
            if (text.Length > 0)
            {
                text.Append("\n\n");
            }

            text.Append(ContentOrderTextExtractor.GetText(page));
            if (text.Length > MaxLength || Stopwatch.GetElapsedTime(started) > ReadingBudget)
            {
                break;
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Without control characters but line breaks and tabs: PostgreSQL refuses a NUL in a text column, and a PDF's text
    /// may hold one (a font without a mapping to Unicode); trimmed, so a scan without text layer is empty.
    /// </summary>
    private static string Clean(string text)
    {
        if (!text.Any(c => char.IsControl(c) && c is not '\n' and not '\t' and not '\r'))
        {
            return text.Trim();
        }

        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsControl(c) || c is '\n' or '\t' or '\r')
            {
                clean.Append(c);
            }
        }

        return clean.ToString().Trim();
    }
}
