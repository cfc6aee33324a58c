using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Text.Json;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Papers.Files;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Meetings;

/// <summary>One file of a meeting's archive as its manifest lists it; the SHA-256 is of the bytes as stored in the archive.</summary>
public sealed record ArchiveFileView(
    string Path, string Kind, string Description, long Size, string Sha256, string MimeType,
    string? ItemNumber = null, string? PaperReference = null, Guid? FileId = null);

/// <summary>
/// <c>manifest.json</c> of a meeting's archive: the meeting, who exported it and when, whether the minutes are
/// provisional, and every other file of the archive (the manifest cannot hold its own checksum). Times are ISO 8601 in
/// the body's zone with their offset (2021-04-29T15:00:00+02:00), so they read as the clerks wrote them and stay exact.
/// </summary>
public sealed record ArchiveManifest(
    string Format, Guid MeetingId, string Committee, string Meeting, string Start, string? Location, string MeetingState, bool Provisional,
    string ExportedBy, string ExportedAt, string TimeZone, IReadOnlyList<ArchiveFileView> Files);

/// <summary>
/// What an archive will hold, decided and checked before a byte of it is written (so a refusal is still a problem answer):
/// the minutes as the caller may see them and the documents of their items, without the documents' bytes.
/// </summary>
public sealed record MeetingArchivePlan(
    string FileName, MinutesView Minutes, DateTimeOffset Start, bool Cancelled, bool Provisional, string ExportedBy, DateTimeOffset ExportedAt, TimeZoneInfo Zone,
    IReadOnlyList<ArchiveDocument> Documents);

/// <summary>A paper's document as it goes into the archive: its folder and name there, and the row it is read from.</summary>
public sealed record ArchiveDocument(string Path, string ItemNumber, string PaperReference, Guid FileId, PaperFileRole Role, string Name, string MimeType);

/// <summary>
/// Sitzungsarchiv: one meeting as a ZIP for the council's archive — the minutes as a printable German HTML document and
/// as JSON (the shape of <c>GET /api/meetings/{id}/minutes</c>), each agenda item's documents (Vorlage and Anlagen) in a
/// folder of their own, and a manifest with every file's size and SHA-256. Archiving is the secretaries' job, so only the
/// committee's secretaries and the admins export; the content rests on <see cref="MeetingMinutes"/> all the same, so an
/// archive never holds an item, or a document, the caller could not see on the minutes page. A meeting not marked held
/// (durchgeführt) may be exported, its minutes then marked vorläufig (a cancelled one is marked abgesagt instead). Each
/// export is in the audit trail.
/// </summary>
public sealed class ExportMeetingArchive(ICouncilDb db, MeetingMinutes minutes, TimeProvider clock)
{
    public const string Format = "deliberationflow-meeting-archive/1";
    public const string MinutesHtml = "Beschlussprotokoll.html";
    public const string MinutesJson = "Beschlussprotokoll.json";
    public const string Manifest = "manifest.json";

    // Folder names keep the item and the reference readable; the rest of the path is the document's own name.
    private const int MaxFolderLength = 80;

    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    // As the mails do: umlauts stay as they are, so the page reads in any editor; markup characters are escaped.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // A file for archivists and their tools, never embedded in a page: umlauts stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Checks who asks, reads the minutes and the documents' list, and records the export in the audit trail.</summary>
    public async Task<MeetingArchivePlan> PrepareAsync(Caller caller, Guid meetingId, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == meetingId && m.BodyId == caller.BodyId, cancellationToken)
                      ?? throw new NotFoundException($"No meeting with id {meetingId}.");
        if (!caller.MayRecordFor(meeting.OrganizationId))
        {
            throw new ForbiddenException("A meeting's archive is exported by its committee's secretaries and the admins.");
        }

        var view = await minutes.HandleAsync(caller, meetingId, cancellationToken);
        var zone = (await db.Bodies.GetAsync(caller.BodyId, cancellationToken)).Zone;
        var now = clock.GetUtcNow();

        var paperIds = view.Items.Select(i => i.PaperId).Distinct().ToList();
        var files = await db.PaperFiles.AsNoTracking().Where(f => paperIds.Contains(f.PaperId) && !f.Deleted).ToListAsync(cancellationToken);
        var documents = new List<ArchiveDocument>();
        foreach (var item in view.Items)
        {
            var folder = FolderOf(item);
            var attachment = 0;
            foreach (var file in files.Where(f => f.PaperId == item.PaperId)
                         .OrderBy(f => f.Role == PaperFileRole.Main ? 0 : 1).ThenBy(f => f.Created).ThenBy(f => f.Id))
            {
                // "Vorlage - …", "Anlage 1 - …": says what each is, and two attachments of the same name stay apart.
                var prefix = file.Role == PaperFileRole.Main ? "Vorlage" : $"Anlage {++attachment}";
                var name = PaperFileRules.Sanitize($"{prefix} - {file.FileName}") ?? prefix;
                documents.Add(new ArchiveDocument($"{folder}/{name}", item.Number, item.PaperReference, file.Id, file.Role, file.Name, file.MimeType));
            }
        }

        var day = BodyClock.LocalDay(meeting.Start, zone);
        // A cancelled meeting's record is final as it stands (abgesagt); only one still to be held, or marked so, is provisional.
        var provisional = !meeting.Cancelled && meeting.State != MeetingState.Held;
        db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Archive, $"{view.Committee} {BodyClock.LocalText(meeting.Start, zone)}",
            $"Sitzungsarchiv exportiert: {view.Items.Count} Tagesordnungspunkte, {documents.Count} Dokumente{(provisional ? ", Protokoll vorläufig" : "")}.", now));
        await db.SaveChangesAsync(cancellationToken);

        var fileName = PaperFileRules.Sanitize($"{day:yyyy-MM-dd} {view.Committee}.zip") ?? $"{day:yyyy-MM-dd}.zip";
        return new MeetingArchivePlan(fileName, view, meeting.Start, meeting.Cancelled, provisional, caller.UserName, now, zone, documents);
    }

    /// <summary>
    /// Writes the archive: the minutes, then the documents one at a time (only one document's bytes are held at once),
    /// then the manifest with what was written. A document deleted since <see cref="PrepareAsync"/> is left out.
    /// </summary>
    public async Task WriteAsync(MeetingArchivePlan plan, Stream output, CancellationToken cancellationToken)
    {
        var exportedAt = BodyClock.ToLocal(plan.ExportedAt, plan.Zone);
        var written = new List<ArchiveFileView>();
        await using var archive = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8, cancellationToken);

        async Task AddAsync(string path, byte[] content, CompressionLevel level)
        {
            var entry = archive.CreateEntry(path, level);
            entry.LastWriteTime = exportedAt;
            await using (var stream = await entry.OpenAsync(cancellationToken))
            {
                await stream.WriteAsync(content, cancellationToken);
            }
        }

        async Task AddFileAsync(ArchiveFileView file, byte[] content, CompressionLevel level)
        {
            await AddAsync(file.Path, content, level);
            written.Add(file with { Size = content.LongLength, Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)) });
        }

        var included = new List<ArchiveDocument>();
        var contents = new Dictionary<Guid, byte[]>();
        foreach (var document in plan.Documents)
        {
            var content = await db.PaperFileContents.AsNoTracking().Where(c => c.FileId == document.FileId).Select(c => c.Content).SingleOrDefaultAsync(cancellationToken);
            if (content is null)
            {
                continue;
            }

            // Documents (PDF, office files, images) are compressed already; deflating them again costs time for nothing.
            await AddFileAsync(
                new ArchiveFileView(document.Path, document.Role == PaperFileRole.Main ? "main-file" : "auxiliary-file",
                    $"{(document.Role == PaperFileRole.Main ? "Vorlage" : "Anlage")} „{document.Name}“ {(document.ItemNumber.Length == 0 ? "zum abgesetzten Punkt" : $"zu TOP {document.ItemNumber}")} ({document.PaperReference})",
                    0, "", document.MimeType, document.ItemNumber, document.PaperReference, document.FileId),
                content, CompressionLevel.Fastest);
            included.Add(document);
        }

        // The minutes name only the documents actually in the archive, so every link in them opens.
        await AddFileAsync(new ArchiveFileView(MinutesHtml, "minutes-html", "Beschlussprotokoll zum Lesen und Drucken", 0, "", "text/html"),
            Encoding.UTF8.GetBytes(Page(plan, included, exportedAt)), CompressionLevel.Optimal);
        await AddFileAsync(new ArchiveFileView(MinutesJson, "minutes-json", "Beschlussprotokoll als JSON (wie GET /api/meetings/{id}/minutes)", 0, "", "application/json"),
            JsonSerializer.SerializeToUtf8Bytes(plan.Minutes, Json), CompressionLevel.Optimal);

        var minutesView = plan.Minutes;
        var manifest = new ArchiveManifest(
            Format, minutesView.MeetingId, minutesView.Committee, minutesView.Name, Iso(BodyClock.ToLocal(plan.Start, plan.Zone)), minutesView.Location,
            StateText(plan), plan.Provisional, plan.ExportedBy, Iso(exportedAt), plan.Zone.Id,
            [.. written.Where(f => f.Kind.StartsWith("minutes", StringComparison.Ordinal)), .. written.Where(f => !f.Kind.StartsWith("minutes", StringComparison.Ordinal))]);
        await AddAsync(Manifest, JsonSerializer.SerializeToUtf8Bytes(manifest, Json), CompressionLevel.Optimal);
    }

    private static string Iso(DateTimeOffset local) => local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string FolderOf(MinutesItemView item)
    {
        // A reference may hold a slash (21/0123); in a path it would open a folder of its own.
        var reference = item.PaperReference.Replace('/', '-').Replace('\\', '-');
        // An item taken off a draft agenda before the meeting has no number (see Agenda).
        var top = item.Number.Length == 0 ? "abgesetzt" : $"TOP {item.Number}";
        var folder = PaperFileRules.Sanitize($"{top} - {reference}") ?? top;
        return folder.Length > MaxFolderLength ? Texts.Cut(folder, MaxFolderLength) : folder;
    }

    private static string StateText(MeetingArchivePlan plan) => plan.Cancelled
        ? "abgesagt"
        : plan.Minutes.MeetingState switch
        {
            nameof(MeetingState.Scheduled) => "terminiert",
            nameof(MeetingState.Invited) => "eingeladen",
            nameof(MeetingState.Held) => "durchgeführt",
            var other => other,
        };

    private static string AttendanceStatusText(string status) => status switch
    {
        nameof(AttendanceStatus.Present) => "anwesend",
        nameof(AttendanceStatus.Excused) => "entschuldigt",
        nameof(AttendanceStatus.Absent) => "abwesend",
        _ => status,
    };

    /// <summary>The minutes as one self-contained, printable German page: no script, no outside style or font.</summary>
    private static string Page(MeetingArchivePlan plan, IReadOnlyList<ArchiveDocument> documents, DateTimeOffset exportedAt)
    {
        static string E(string? text) => Html.Encode(text ?? "");
        var m = plan.Minutes;
        var start = BodyClock.LocalText(plan.Start, plan.Zone);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="de">
            <head>
            <meta charset="utf-8">
            <title>Beschlussprotokoll – {{E(m.Committee)}} – {{E(start)}}{{(plan.Provisional ? " (vorläufig)" : "")}}</title>
            <style>
            body { font-family: "Segoe UI", Arial, sans-serif; font-size: 11pt; line-height: 1.4; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #111; }
            h1 { font-size: 18pt; margin: 0 0 .3em; }
            h2 { font-size: 13pt; margin: 1.5em 0 .5em; }
            table { border-collapse: collapse; width: 100%; }
            th, td { border: 1px solid #999; padding: .3em .5em; vertical-align: top; text-align: left; }
            table.meta th { width: 11em; background: #f2f2f2; }
            .committee { text-transform: uppercase; letter-spacing: .05em; font-size: 9pt; margin: 0; }
            .provisional { border: 2px solid #b00020; color: #b00020; padding: .5em; font-weight: bold; }
            .removed { color: #555; }
            .removed .paper { text-decoration: line-through; }
            .mark { display: inline-block; border: 1px solid #555; border-radius: 3px; padding: 0 .3em; font-size: 9pt; margin-right: .3em; }
            .resolution { white-space: pre-wrap; margin-top: .3em; }
            .documents { margin: .3em 0 0; padding-left: 1.2em; font-size: 9.5pt; }
            footer { margin-top: 2em; font-size: 9pt; color: #444; }
            @media print { body { margin: 0; max-width: none; } tr { page-break-inside: avoid; } a { color: inherit; text-decoration: none; } }
            </style>
            </head>
            <body>

            """);
        if (plan.Provisional)
        {
            html.Append("<p class=\"provisional\" id=\"provisional\">VORLÄUFIG – die Sitzung ist nicht als durchgeführt vermerkt; "
                        + "Ergebnisse können noch fehlen oder sich ändern.</p>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"""
            <header>
            <p class="committee">{E(m.Committee)}</p>
            <h1>Beschlussprotokoll{(plan.Provisional ? " (vorläufig)" : "")}</h1>
            <table class="meta">
            <tr><th>Sitzung</th><td>{E(m.Name)}</td></tr>
            <tr><th>Gremium</th><td>{E(m.Committee)}</td></tr>
            <tr><th>Datum und Uhrzeit</th><td>{E(start)}</td></tr>
            <tr><th>Ort</th><td>{E(m.Location ?? "nicht angegeben")}</td></tr>
            <tr><th>Stand</th><td id="state">{E(StateText(plan))}{(m.Open > 0 && !plan.Cancelled ? $" · {m.Open} {(m.Open == 1 ? "Punkt" : "Punkte")} ohne erfasstes Ergebnis" : "")}</td></tr>

            """);
        var attendance = m.Attendance;
        if (attendance.QuorumReached is { } quorum)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><th>Anwesenheit</th><td id=\"quorum\">{(quorum ? "beschlussfähig" : "nicht beschlussfähig")} ({attendance.VotingPresent} von {attendance.VotingSeats} stimmberechtigten Sitzen besetzt)</td></tr>\n");
            foreach (var status in new[] { nameof(AttendanceStatus.Present), nameof(AttendanceStatus.Excused), nameof(AttendanceStatus.Absent), null })
            {
                var names = attendance.Members.Where(a => a.Status == status)
                    .Select(a => E(a.Name) + (a.Deputy ? " (Stellvertretung)" : "") + (a.VotingRight ? "" : " (beratend)")).ToList();
                if (names.Count > 0)
                {
                    html.Append(CultureInfo.InvariantCulture,
                        $"<tr><th>{(status is null ? "nicht erfasst" : AttendanceStatusText(status))}</th><td>{string.Join(", ", names)}</td></tr>\n");
                }
            }
        }
        else
        {
            html.Append("<tr><th>Anwesenheit</th><td id=\"quorum\">nicht erfasst</td></tr>\n");
        }

        html.Append("</table>\n</header>\n<h2>Tagesordnung und Ergebnisse</h2>\n<table class=\"items\">\n"
                    + "<thead><tr><th style=\"width:4.5em\">TOP</th><th>Vorlage</th><th style=\"width:45%\">Ergebnis</th></tr></thead>\n<tbody>\n");
        foreach (var item in m.Items)
        {
            var marks = new StringBuilder();
            if (!item.Public)
            {
                marks.Append("<span class=\"mark\">nicht öffentlich</span>");
            }

            if (item.LateAddition)
            {
                marks.Append("<span class=\"mark\">Nachtrag</span>");
            }

            if (item.RemovedFromAgenda)
            {
                marks.Append("<span class=\"mark\">abgesetzt</span>");
            }

            string result;
            if (item.RemovedFromAgenda)
            {
                result = "<i>abgesetzt</i>";
            }
            else if (item.ResultText is null)
            {
                result = "<i>offen</i>";
            }
            else
            {
                var votes = item.Votes is { } v
                    ? v.Unanimous ? $" (einstimmig, {v.For} dafür)" : $" ({v.For} dafür, {v.Against} dagegen, {Tally.Abstentions(v.Abstentions)})"
                    : "";
                result = $"<b>{E(item.ResultText)}</b>{votes}"
                         + (item.ResolutionText is { } resolution ? $"<div class=\"resolution\">{E(resolution)}</div>" : "");
            }

            var links = documents.Where(d => d.ItemNumber == item.Number && d.PaperReference == item.PaperReference)
                .Select(d => $"<li><a href=\"{E(string.Join('/', d.Path.Split('/').Select(Uri.EscapeDataString)))}\">{E(d.Role == PaperFileRole.Main ? "Vorlage" : "Anlage")}: {E(d.Name)}</a></li>")
                .ToList();
            html.Append(CultureInfo.InvariantCulture, $"""
                <tr class="item{(item.RemovedFromAgenda ? " removed" : "")}" data-reference="{E(item.PaperReference)}">
                <td>{E(item.Number)}</td>
                <td>{marks}<span class="paper"><b>{E(item.PaperReference)}</b> {E(item.PaperName)}</span><br><small>{E(item.RoleText)}</small>{(links.Count > 0 ? $"<ul class=\"documents\">{string.Join("", links)}</ul>" : "")}</td>
                <td class="result">{result}</td>
                </tr>

                """);
        }

        if (m.Items.Count == 0)
        {
            html.Append("<tr><td colspan=\"3\"><i>Keine Tagesordnungspunkte.</i></td></tr>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"""
            </tbody>
            </table>
            <footer>Exportiert von {E(plan.ExportedBy)} am {exportedAt.ToString("dd.MM.yyyy 'um' HH:mm 'Uhr'", German)} ({E(plan.Zone.Id)}) aus DeliberationFlow. Die Prüfsummen aller Dateien stehen in {Manifest}.</footer>
            </body>
            </html>

            """);
        return html.ToString();
    }
}
