using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Papers.Files;

/// <summary>Configuration <c>Files</c>: how large a paper's document may be.</summary>
public sealed class PaperFileOptions
{
    public const string Section = "Files";

    /// <summary>The largest document accepted, in bytes: 20 MB unless configured (a Vorlage with plans is a few MB).</summary>
    public long MaxSizeBytes { get; set; } = 20 * 1024 * 1024;
}

/// <summary>A paper's document as the API and the page list it (without its bytes).</summary>
public sealed record PaperFileView(
    Guid Id, string Role, string Name, string FileName, string MimeType, long Size, string Sha512Checksum, DateOnly Date,
    string UploadedBy, DateTimeOffset Created, DateTimeOffset Modified, string DownloadPath)
{
    public static PaperFileView Of(PaperFile file) => new(
        file.Id, file.Role.ToString(), file.Name, file.FileName, file.MimeType, file.Size, file.Sha512Checksum, file.Date,
        file.UploadedBy, file.Created, file.Modified, $"/api/papers/{file.PaperId}/files/{file.Id}/content");
}

/// <summary>
/// An uploaded document as it arrived: the file name the client sent, the name to show (optional), the role
/// (<c>main</c> or <c>auxiliary</c>, optional) and its bytes as a stream, read here no further than the size limit allows.
/// </summary>
public sealed record PaperFileUpload(string? FileName, string? Name, string? Role, Stream? Content);

/// <summary>The bytes of a document with what a download answer needs.</summary>
public sealed record PaperFileDownload(string FileName, string MimeType, string Sha512Checksum, byte[] Content);

/// <summary>
/// What a paper's document may be, and how an upload is checked: a type from the allow-list (by its extension, and the
/// first bytes must be of that type, so a program renamed to .pdf is refused), a size up to the limit, and a file name
/// with nothing a file system or a header could misread.
/// </summary>
public static class PaperFileRules
{
    public const int MaxNameLength = 300;
    public const int MaxFileNameLength = 255;

    private enum Signature
    {
        Pdf,
        Zip,
        Ole,
        Rtf,
        Png,
        Jpeg,
        Gif,
        Tiff,
        Text,
    }

    /// <summary>The allow-list: extension, the MIME type served, and what the first bytes must be.</summary>
    private static readonly Dictionary<string, (string MimeType, Signature Signature)> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = ("application/pdf", Signature.Pdf),
        [".docx"] = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", Signature.Zip),
        [".xlsx"] = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Signature.Zip),
        [".pptx"] = ("application/vnd.openxmlformats-officedocument.presentationml.presentation", Signature.Zip),
        [".odt"] = ("application/vnd.oasis.opendocument.text", Signature.Zip),
        [".ods"] = ("application/vnd.oasis.opendocument.spreadsheet", Signature.Zip),
        [".odp"] = ("application/vnd.oasis.opendocument.presentation", Signature.Zip),
        [".doc"] = ("application/msword", Signature.Ole),
        [".xls"] = ("application/vnd.ms-excel", Signature.Ole),
        [".ppt"] = ("application/vnd.ms-powerpoint", Signature.Ole),
        [".rtf"] = ("application/rtf", Signature.Rtf),
        [".png"] = ("image/png", Signature.Png),
        [".jpg"] = ("image/jpeg", Signature.Jpeg),
        [".jpeg"] = ("image/jpeg", Signature.Jpeg),
        [".gif"] = ("image/gif", Signature.Gif),
        [".tif"] = ("image/tiff", Signature.Tiff),
        [".tiff"] = ("image/tiff", Signature.Tiff),
        [".txt"] = ("text/plain; charset=utf-8", Signature.Text),
        [".csv"] = ("text/csv; charset=utf-8", Signature.Text),
    };

    /// <summary>The accepted extensions, for messages and the upload control.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [.. Types.Keys.Order(StringComparer.Ordinal)];

    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>A size in the words of the page (2,5 MB).</summary>
    public static string SizeText(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.#", German) + " KB",
        _ => (bytes / (1024.0 * 1024)).ToString("0.#", German) + " MB",
    };

    /// <summary>
    /// Checks an upload and reads its bytes: every fault at once as a 400 naming its field, a document over the limit as a
    /// 413. Nothing is stored before this has passed.
    /// </summary>
    public static async Task<CheckedUpload> CheckAsync(PaperFileUpload upload, long maxSize, PaperFileRole? fixedRole, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var fileName = Sanitize(upload.FileName);
        string? mimeType = null;
        Signature? signature = null;
        if (upload.Content is null)
        {
            errors.Add("file", "Send the document as the form field 'file' (multipart/form-data).");
        }
        else if (fileName is null)
        {
            errors.Add("file", "The document has no usable file name; name it, e.g. vorlage.pdf.");
        }
        else if (!Types.TryGetValue(Path.GetExtension(fileName), out var type))
        {
            errors.Add("file", $"'{fileName}' is not of a type kept here; send {string.Join(", ", Extensions)}.");
        }
        else
        {
            (mimeType, signature) = type;
        }

        PaperFileRole? role = fixedRole;
        if (fixedRole is null && !string.IsNullOrWhiteSpace(upload.Role))
        {
            if (EnumNames.TryParse<PaperFileRole>(upload.Role.Trim(), out var parsed))
            {
                role = parsed;
            }
            else
            {
                errors.Add("role", $"'{upload.Role}' is no role of a document; give main (the Vorlage itself) or auxiliary (an attachment).");
            }
        }

        var name = string.IsNullOrWhiteSpace(upload.Name) ? null : upload.Name.Trim();
        if (name is { Length: > MaxNameLength })
        {
            errors.Add("name", $"A document's name has at most {MaxNameLength} characters.");
        }
        else if (name is not null && name.Any(char.IsControl))
        {
            errors.Add("name", "A document's name is one line of text, without control characters.");
        }

        errors.ThrowIfAny();

        var content = await ReadAsync(upload.Content!, maxSize, cancellationToken);
        if (content.Length == 0)
        {
            throw RequestValidationException.For("file", $"'{fileName}' is empty.");
        }

        if (!Matches(signature!.Value, content))
        {
            throw RequestValidationException.For("file",
                $"'{fileName}' is not a {Path.GetExtension(fileName!).TrimStart('.').ToUpperInvariant()} file: its content is of another type. Send the document itself.");
        }

        return new CheckedUpload(name ?? Path.GetFileNameWithoutExtension(fileName!), fileName!, mimeType!, role, content,
            Convert.ToHexStringLower(SHA512.HashData(content)));
    }

    /// <summary>
    /// The file name without a path (a browser on Windows may send <c>C:\Users\…\vorlage.pdf</c>), without characters
    /// that file systems refuse or a header could misread (<c>/ \ : * ? " &lt; &gt; |</c>, control characters), without
    /// leading and trailing dots and spaces, and cut to <see cref="MaxFileNameLength"/> keeping the extension; none when
    /// nothing is left.
    /// </summary>
    public static string? Sanitize(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return null;
        }

        var last = fileName.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        var clean = new StringBuilder(last.Length);
        foreach (var c in last.Normalize(NormalizationForm.FormC))
        {
            clean.Append(char.IsControl(c) || "/\\:*?\"<>|".Contains(c, StringComparison.Ordinal) ? '_' : char.IsWhiteSpace(c) ? ' ' : c);
        }

        var name = string.Join(' ', clean.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim('.', ' ');
        if (name.Length > MaxFileNameLength)
        {
            var extension = Path.GetExtension(name);
            name = Texts.Cut(Path.GetFileNameWithoutExtension(name), MaxFileNameLength - extension.Length) + extension;
        }

        return Path.GetFileNameWithoutExtension(name).Trim('.', ' ', '_').Length == 0 ? null : name;
    }

    /// <summary>The bytes, refusing with 413 as soon as more than <paramref name="maxSize"/> arrived (not after reading them all).</summary>
    private static async Task<byte[]> ReadAsync(Stream stream, long maxSize, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxSize)
            {
                throw TooLarge(maxSize);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static PayloadTooLargeException TooLarge(long maxSize) =>
        new("file", $"The document is larger than the {SizeText(maxSize)} allowed; make it smaller (e.g. scans at 150 dpi) or split it.");

    private static bool Matches(Signature signature, byte[] content) => signature switch
    {
        Signature.Pdf => Starts(content, "%PDF-"u8),
        Signature.Zip => Starts(content, [0x50, 0x4B, 0x03, 0x04]),
        Signature.Ole => Starts(content, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
        Signature.Rtf => Starts(content, "{\\rtf"u8),
        Signature.Png => Starts(content, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        Signature.Jpeg => Starts(content, [0xFF, 0xD8, 0xFF]),
        Signature.Gif => Starts(content, "GIF87a"u8) || Starts(content, "GIF89a"u8),
        Signature.Tiff => Starts(content, [0x49, 0x49, 0x2A, 0x00]) || Starts(content, [0x4D, 0x4D, 0x00, 0x2A]),
        // Served as UTF-8 text: it must be that, and no binary file under a .txt name.
        Signature.Text => IsUtf8Text(content),
        _ => false,
    };

    private static bool Starts(byte[] content, ReadOnlySpan<byte> prefix) => content.AsSpan().StartsWith(prefix);

    private static bool IsUtf8Text(byte[] content)
    {
        if (Array.IndexOf(content, (byte)0) >= 0)
        {
            return false;
        }

        try
        {
            _ = new UTF8Encoding(false, true).GetCharCount(content);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>
    /// A new document of <paramref name="paper"/> from an upload that passed <see cref="CheckAsync"/>, added to the unit of
    /// work with its bytes and <paramref name="text"/> in their own row (so lists never read them); <paramref name="date"/>
    /// is the body's day.
    /// </summary>
    public static PaperFile AddFile(ICouncilDb db, Paper paper, CheckedUpload accepted, string text, PaperFileRole role, Caller caller, DateOnly date, DateTimeOffset now)
    {
        var file = new PaperFile
        {
            Id = Guid.CreateVersion7(now), BodyId = paper.BodyId, PaperId = paper.Id, Role = role, Name = accepted.Name,
            FileName = accepted.FileName, MimeType = accepted.MimeType, Size = accepted.Content.LongLength, Sha512Checksum = accepted.Sha512Checksum,
            Date = date, UploadedBy = caller.UserName, Created = now, Modified = now,
        };
        db.PaperFiles.Add(file);
        db.PaperFileContents.Add(new PaperFileContent { FileId = file.Id, Content = accepted.Content, Text = text, TextExtractedAt = now });
        return file;
    }

    /// <summary>A line of the paper's journal naming the document.</summary>
    public static string Describe(PaperFile file) =>
        $"„{file.Name}“ ({file.FileName}, {SizeText(file.Size)}{(file.Role == PaperFileRole.Main ? ", Vorlage" : "")})";

    /// <summary>
    /// The paper's journal records a change of its documents as it records an edit of its particulars; a paper without
    /// a workflow has no journal (as for <see cref="EditPaper"/>).
    /// </summary>
    public static async Task JournalAsync(ICouncilDb db, Paper paper, Caller caller, DateTimeOffset now, string message, CancellationToken cancellationToken)
    {
        if (paper.WorkflowInstanceId is { } instanceId)
        {
            var instance = await db.WorkflowInstances.GetAsync(instanceId, cancellationToken);
            db.Journal.Add(WorkflowJournal.Entry(instance, JournalEventKind.PaperEdited, now, caller.UserName, message));
        }
    }
}

/// <summary>An upload that passed the checks.</summary>
public sealed record CheckedUpload(string Name, string FileName, string MimeType, PaperFileRole? Role, byte[] Content, string Sha512Checksum);

/// <summary>The paper whose documents a use case changes, checked as any change of a paper is.</summary>
public static class KeptPaper
{
    /// <summary>
    /// The paper, tracked, when the caller keeps it (<see cref="PaperReader.EnsureMayKeepAsync"/>: admins of its body, the
    /// secretaries of the committees it is consulted in); councillors get a 403, and a paper the caller may not see is a
    /// 404 as if it did not exist.
    /// </summary>
    public static async Task<Paper> FindAsync(ICouncilDb db, PaperReader reader, Caller caller, Guid paperId, string action, CancellationToken cancellationToken)
    {
        var paper = await db.Papers.SingleOrDefaultAsync(p => p.Id == paperId && p.BodyId == caller.BodyId, cancellationToken);
        if (paper is null || !await reader.MaySeeAsync(caller, paper, cancellationToken))
        {
            throw new NotFoundException($"No paper with id {paperId}.");
        }

        if (!caller.MayRegisterPapers)
        {
            throw new ForbiddenException($"Only admins and committee secretaries change a paper's documents; {action} is not for you.");
        }

        await reader.EnsureMayKeepAsync(caller, paper, action, cancellationToken);
        return paper;
    }
}
