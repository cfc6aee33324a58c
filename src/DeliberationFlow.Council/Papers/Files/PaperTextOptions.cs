namespace DeliberationFlow.Council.Papers.Files;

/// <summary>
/// How the background job reads the text of documents stored before texts were read at upload (configuration section
/// <c>PaperTexts</c>; see <see cref="ExtractMissingPaperTexts"/>). Checked at start, naming the key.
/// </summary>
public sealed class PaperTextOptions
{
    public const string Section = "PaperTexts";

    /// <summary>The longest reason of a failed reading kept for the admins; longer ones are cut.</summary>
    public const int MaxErrorLength = 1000;

    /// <summary>
    /// Readings begun per document before the job gives up on it. A reading that fails for a passing cause (memory
    /// short, the service stopped) is tried again in a later run; one that fails every time (a PDF that crashes or hangs
    /// the reader) would otherwise be taken again on every run, forever, ahead of the documents behind it.
    /// </summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// The longest one reading may take. PdfPig stops between pages after 10 seconds (<see cref="PaperFileText"/>) but
    /// cannot be stopped inside a page or while it opens the file, so a reading past this limit is abandoned: the job
    /// goes on with the next document and gives up on this one at once, as trying again would only leave another
    /// reading running.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(1);
}
