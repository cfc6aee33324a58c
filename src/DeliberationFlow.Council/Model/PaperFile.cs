namespace DeliberationFlow.Council.Model;

/// <summary>
/// A paper's document (OParl File): the Vorlage itself (<see cref="PaperFileRole.Main"/>, OParl <c>mainFile</c>) or an
/// attachment (<c>auxiliaryFile</c>). The bytes are a row of their own (<see cref="PaperFileContent"/>), so listing a
/// paper's files, or the body's, never reads them.
/// </summary>
public sealed class PaperFile
{
    public Guid Id { get; init; }
    public Guid BodyId { get; init; }
    public Guid PaperId { get; init; }
    public PaperFileRole Role { get; set; }

    /// <summary>What the document is called on the paper's page ("Vorlage", "Lageplan"); OParl <c>name</c>.</summary>
    public required string Name { get; set; }

    /// <summary>The file name a download is saved under, cleaned of paths and characters file systems refuse.</summary>
    public required string FileName { get; set; }

    /// <summary>Decided by the service from the file's type, never taken from the uploading browser.</summary>
    public required string MimeType { get; set; }

    public long Size { get; set; }

    /// <summary>SHA-512 of the bytes, lower-case hex (OParl <c>sha512Checksum</c>); the download's ETag.</summary>
    public required string Sha512Checksum { get; set; }

    /// <summary>The day the document was uploaded, in the body's calendar (OParl <c>date</c>).</summary>
    public DateOnly Date { get; set; }

    public required string UploadedBy { get; set; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Modified { get; set; }

    /// <summary>
    /// Soft deletion (OParl): the row stays so that portals which mirrored the file learn it is gone; its bytes are
    /// deleted with it (a document uploaded by mistake may hold what nobody should keep).
    /// </summary>
    public bool Deleted { get; set; }
}

/// <summary>The bytes of a <see cref="PaperFile"/>, read only to be downloaded, and its text.</summary>
public sealed class PaperFileContent
{
    public Guid FileId { get; init; }
    public required byte[] Content { get; set; }

    /// <summary>
    /// The document's text (OParl <c>text</c>), read when it was uploaded (<see cref="Papers.Files.PaperFileText"/>); empty
    /// for a document without one. Kept here rather than on the file's row, so that lists of files never read it either.
    /// </summary>
    public string Text { get; set; } = "";

    /// <summary>
    /// When <see cref="Text"/> was read from the bytes, also when that found none (a scan, an image), so a document is
    /// read once. None for a document stored before texts were read: <see cref="Papers.Files.ExtractMissingPaperTexts"/>
    /// reads those in the background.
    /// </summary>
    public DateTimeOffset? TextExtractedAt { get; set; }

    /// <summary>
    /// How often the background job began reading this document's text, counted (and committed) before each reading, so
    /// that a reading which takes the process down with it counts too; the job gives up after
    /// <see cref="Papers.Files.PaperTextOptions.MaxAttempts"/>. Zero for a document read at upload.
    /// </summary>
    public int TextExtractionAttempts { get; set; }

    /// <summary>
    /// When the background job gave up reading the text (attempts used up, or a reading over its time limit): the document
    /// stays without text, is no longer taken, and the admins see it on the Betrieb page until it is replaced or deleted.
    /// </summary>
    public DateTimeOffset? TextGivenUpAt { get; set; }

    /// <summary>Why the last attempt failed (the error, or the time limit), for the admins; none while none failed.</summary>
    public string? TextExtractionError { get; set; }
}

public enum PaperFileRole
{
    /// <summary>The Vorlage itself; a paper has at most one.</summary>
    Main,
    Auxiliary,
}
