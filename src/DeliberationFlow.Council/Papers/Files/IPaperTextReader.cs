using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Papers.Files;

/// <summary>
/// Reads a stored document's text for the background job (<see cref="ExtractMissingPaperTexts"/>): a service rather than
/// the static <see cref="PaperFileText"/> so that the job's handling of a reading that throws or never ends can be
/// tested with such a document.
/// </summary>
public interface IPaperTextReader
{
    /// <summary>The text as <see cref="PaperFileText.Extract"/> reads it; may throw or hang on a pathological document.</summary>
    string Read(byte[] content, string mimeType, string fileName);
}

/// <summary>The reading of uploads (<see cref="PaperFileText"/>: PdfPig for PDFs, TXT and CSV as they are).</summary>
public sealed class PaperTextReader(ILogger<PaperTextReader> logger) : IPaperTextReader
{
    public string Read(byte[] content, string mimeType, string fileName) => PaperFileText.Extract(content, mimeType, fileName, logger);
}
