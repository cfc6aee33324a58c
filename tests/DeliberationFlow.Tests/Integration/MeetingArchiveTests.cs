using DeliberationFlow.Council.Papers.Files;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// Sitzungsarchiv: a meeting as a ZIP for the council's archive — minutes as HTML and JSON, each item's documents in a
/// folder of its own, a manifest with sizes and SHA-256 — for the committee's secretaries and admins only.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class MeetingArchiveTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Secretary_ExportsTheHeldMeeting_TheZipHoldsMinutesDocumentsAndAManifestWhoseHashesMatch_InTheAuditTrail()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var open = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17701", "Radweg Hamburger Straße", "Beschlussvorlage", "fb61", null, true, null, null));
        var closed = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17702", "Grundstücksankauf", "Beschlussvorlage", "fb10", null, false, null, null));
        var meetingId = open.Consultations[0].MeetingId!.Value;
        Assert.Equal(meetingId, closed.Consultations[0].MeetingId);
        var fpa = test.ClientFor("sekretariat-fpa");
        var radwegPdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% Radweg\n%%EOF\n");
        var ankaufPdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% Grundstück\n%%EOF\n");
        await PaperFilesTests.UploadAsync(fpa, $"/api/papers/{open.Id}/files", radwegPdf, "Vorlage Radweg.pdf");
        await PaperFilesTests.UploadAsync(fpa, $"/api/papers/{open.Id}/files", Png, "Lageplan.png");
        test.Clock.Advance(TimeSpan.FromMinutes(1));
        await PaperFilesTests.UploadAsync(fpa, $"/api/papers/{open.Id}/files", Png, "Lageplan.png", name: "Lageplan (alt)");
        await PaperFilesTests.UploadAsync(fpa, $"/api/papers/{closed.Id}/files", ankaufPdf, "Kaufvertrag.pdf");

        // Before the meeting the export is allowed, but its minutes say they are provisional.
        var early = await ExportAsync(fpa, meetingId);
        Assert.True(early.Manifest.GetProperty("provisional").GetBoolean());
        Assert.Contains("VORLÄUFIG", early.Text(ExportMeetingArchive.MinutesHtml), StringComparison.Ordinal);

        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", open.Consultations[0].Id,
            new RecordOutcomeRequest("AdoptedAmended", "geändert beschlossen", "Mit Tempo 30 im Abschnitt Nord.", VotesFor: 9, VotesAgainst: 2, Abstentions: 1)), HttpStatusCode.OK);
        var members = (await fpa.GetFromJsonAsync<AttendanceView>($"/api/meetings/{meetingId}/attendance"))!.Members;
        await Http.EnsureAsync(await fpa.PutAsJsonAsync($"/api/meetings/{meetingId}/attendance",
            new RecordAttendanceRequest([.. members.Select((m, i) => new AttendanceEntry(m.PersonId, i == 0 ? "Excused" : "Present"))])), HttpStatusCode.OK);
        await Http.EnsureAsync(await fpa.PostAsJsonAsync($"/api/meetings/{meetingId}/change", new ChangeMeetingRequest("held", null, null)), HttpStatusCode.OK);
        var minutes = (await fpa.GetFromJsonAsync<MinutesView>($"/api/meetings/{meetingId}/minutes"))!;
        var radweg = minutes.Items.Single(i => i.PaperReference == "21-17701").Number;
        var ankauf = minutes.Items.Single(i => i.PaperReference == "21-17702").Number;
        Assert.StartsWith("N ", ankauf, StringComparison.Ordinal);
        // The demo's paper on this meeting brings its own Vorlage; it belongs in the archive as much as the new ones.
        var demo = minutes.Items.Single(i => i.PaperReference == "21-15813");
        var demoVorlage = (await fpa.GetFromJsonAsync<List<PaperFileView>>($"/api/papers/{demo.PaperId}/files"))!.Single(f => f.Role == "Main");
        var demoPdf = await fpa.GetByteArrayAsync(demoVorlage.DownloadPath);

        var response = await fpa.GetAsync($"/api/meetings/{meetingId}/archive");
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("2021-04-29 Finanz- und Personalausschuss.zip", response.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var archive = Archive.Of(await response.Content.ReadAsByteArrayAsync());

        // Each item's documents in its folder, the Vorlage first and named as such; two attachments of one name kept apart.
        var documents = new Dictionary<string, byte[]>
        {
            [$"TOP {radweg} - 21-17701/Vorlage - Vorlage Radweg.pdf"] = radwegPdf,
            [$"TOP {radweg} - 21-17701/Anlage 1 - Lageplan.png"] = Png,
            [$"TOP {radweg} - 21-17701/Anlage 2 - Lageplan.png"] = Png,
            [$"TOP {ankauf} - 21-17702/Vorlage - Kaufvertrag.pdf"] = ankaufPdf,
            [$"TOP {demo.Number} - 21-15813/Vorlage - {demoVorlage.FileName}"] = demoPdf,
        };
        Assert.Equal(
            new[] { ExportMeetingArchive.MinutesHtml, ExportMeetingArchive.MinutesJson, ExportMeetingArchive.Manifest }.Concat(documents.Keys).Order(StringComparer.Ordinal),
            archive.Entries.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, content) in documents)
        {
            Assert.Equal(content, archive.Entries[path]);
        }

        // The manifest lists every other file with its size and SHA-256, as it is in the archive, and who exported when.
        var manifest = archive.Manifest;
        Assert.Equal(("sekretariat-fpa", "2021-04-29T18:00:00+02:00", "Europe/Berlin", false),
            (manifest.GetProperty("exportedBy").GetString(), manifest.GetProperty("exportedAt").GetString(), manifest.GetProperty("timeZone").GetString(),
                manifest.GetProperty("provisional").GetBoolean()));
        Assert.Equal(("Finanz- und Personalausschuss", "2021-04-29T15:00:00+02:00", "durchgeführt"),
            (manifest.GetProperty("committee").GetString(), manifest.GetProperty("start").GetString(), manifest.GetProperty("meetingState").GetString()));
        var files = manifest.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(archive.Entries.Keys.Where(k => k != ExportMeetingArchive.Manifest).Order(StringComparer.Ordinal),
            files.Select(f => f.GetProperty("path").GetString()!).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            var bytes = archive.Entries[file.GetProperty("path").GetString()!];
            Assert.Equal(bytes.LongLength, file.GetProperty("size").GetInt64());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.GetProperty("sha256").GetString());
        }

        Assert.Equal(
            ["minutes-html", "minutes-json", "main-file", "main-file", "auxiliary-file", "auxiliary-file", "main-file"],
            files.Select(f => f.GetProperty("kind").GetString()));
        Assert.Equal("Anlage „Lageplan (alt)“ zu TOP " + radweg + " (21-17701)",
            files.Single(f => f.GetProperty("path").GetString() == $"TOP {radweg} - 21-17701/Anlage 2 - Lageplan.png").GetProperty("description").GetString());

        // The JSON is the minutes as the API answers them; the HTML is readable German with the result and its tally.
        var json = JsonSerializer.Deserialize<MinutesView>(archive.Entries[ExportMeetingArchive.MinutesJson], Web)!;
        Assert.Equal(minutes.Items, json.Items);
        Assert.Equal((minutes.Committee, minutes.Date, minutes.Attendance.VotingSeats), (json.Committee, json.Date, json.Attendance.VotingSeats));
        var html = archive.Text(ExportMeetingArchive.MinutesHtml);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("VORLÄUFIG", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        foreach (var text in new[] { "Finanz- und Personalausschuss", "29.04.2021 15:00", "durchgeführt", "geändert beschlossen", "Mit Tempo 30 im Abschnitt Nord.",
                     "9 dafür, 2 dagegen, 1 Enthaltung", "Grundstücksankauf", "nicht öffentlich", $"beschlussfähig ({members.Count - 1} von {members.Count} stimmberechtigten Sitzen besetzt)",
                     $"entschuldigt</th><td>{members[0].Name}</td>", $"href=\"TOP%20{Uri.EscapeDataString(radweg)}%20-%2021-17701/Vorlage%20-%20Vorlage%20Radweg.pdf\"",
                     "Exportiert von sekretariat-fpa am 29.04.2021 um 18:00 Uhr" })
        {
            Assert.Contains(text, html, StringComparison.Ordinal);
        }

        // Each export is on record for the admins: who took which meeting out.
        var audit = (await test.ClientFor("admin").GetFromJsonAsync<AuditPage>($"/api/audit?area={AuditAreas.Archive}"))!;
        Assert.Equal(2, audit.Total);
        Assert.All(audit.Entries, e => Assert.Equal(("sekretariat-fpa", "Finanz- und Personalausschuss 29.04.2021 15:00"), (e.Actor, e.Subject)));
        Assert.Equal($"Sitzungsarchiv exportiert: {minutes.Items.Count} Tagesordnungspunkte, {documents.Count} Dokumente.", audit.Entries[0].Message);
        Assert.EndsWith("Protokoll vorläufig.", audit.Entries[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyTheCommitteesSecretariesAndAdminsExport_NoRefusalNamesANonPublicItem_TheAdminsArchiveHoldsIt()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var closed = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17703", "Personalangelegenheit Kämmerei", "Beschlussvorlage", "fb10", null, false, null, null));
        var meetingId = closed.Consultations[0].MeetingId!.Value;
        var secret = Encoding.ASCII.GetBytes("%PDF-1.4\n% vertraulich\n%%EOF\n");
        await PaperFilesTests.UploadAsync(test.ClientFor("admin"), $"/api/papers/{closed.Id}/files", secret, "Personalakte Meier.pdf");

        // A councillor of the FPA and the PlUA's secretary may read the minutes, but exporting is not theirs; the PlUA's
        // secretary, who may not see the paper, learns nothing of it from the refusal. Another body finds no such meeting.
        foreach (var (user, status) in new[] { ("ratsmitglied", HttpStatusCode.Forbidden), ("sekretariat-plua", HttpStatusCode.Forbidden), ("admin-wf", HttpStatusCode.NotFound) })
        {
            var refused = await test.ClientFor(user).GetAsync($"/api/meetings/{meetingId}/archive");
            Assert.Equal(status, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
            var text = await refused.Content.ReadAsStringAsync();
            Assert.DoesNotContain("21-17703", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Personalakte", text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain((await test.ClientFor("sekretariat-plua").GetFromJsonAsync<MinutesView>($"/api/meetings/{meetingId}/minutes"))!.Items,
            i => i.PaperReference == "21-17703");
        Assert.Equal(HttpStatusCode.NotFound, (await test.ClientFor("admin").GetAsync($"/api/meetings/{Guid.NewGuid()}/archive")).StatusCode);
        Assert.Equal(0, (await test.ClientFor("admin").GetFromJsonAsync<AuditPage>($"/api/audit?area={AuditAreas.Archive}"))!.Total);

        foreach (var user in new[] { "admin", "sekretariat-fpa" })
        {
            var archive = await ExportAsync(test.ClientFor(user), meetingId);
            var folder = Assert.Single(archive.Entries.Keys, k => k.EndsWith("/Vorlage - Personalakte Meier.pdf", StringComparison.Ordinal));
            Assert.StartsWith("TOP N 1 - 21-17703/", folder, StringComparison.Ordinal);
            Assert.Equal(secret, archive.Entries[folder]);
            Assert.Contains("Personalangelegenheit Kämmerei", archive.Text(ExportMeetingArchive.MinutesHtml), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnItemTakenOffIsMarkedAbgesetzt_ACancelledMeetingIsExportedAsAbgesagt_NotProvisional()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17704", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        var fpa = test.ClientFor("sekretariat-fpa");
        // On a fixed agenda an item taken off stays, marked; on a draft it would simply be gone.
        await Http.EnsureAsync(await fpa.PutAsync($"/api/meetings/{paper.Consultations[0].MeetingId}/agenda/lock", null), HttpStatusCode.OK);
        await test.MoveClockToAsync(paper.Consultations[0].MeetingStart!.Value.AddHours(3));
        var response = await test.RecordAsync("sekretariat-fpa", paper.Consultations[0].Id, new RecordOutcomeRequest(null, "abgesetzt", null));
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        var next = (await response.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Paper.Consultations[1].MeetingId!.Value;

        var held = await ExportAsync(fpa, paper.Consultations[0].MeetingId!.Value);
        var html = held.Text(ExportMeetingArchive.MinutesHtml);
        var row = html[html.IndexOf("data-reference=\"21-17704\"", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("<span class=\"mark\">abgesetzt</span>", row, StringComparison.Ordinal);
        Assert.Contains("<i>abgesetzt</i>", row, StringComparison.Ordinal);
        Assert.Contains("VORLÄUFIG", html, StringComparison.Ordinal);

        await Http.EnsureAsync(await fpa.PostAsJsonAsync($"/api/meetings/{next}/change", new ChangeMeetingRequest("cancel", null, "Beschlussunfähigkeit erwartet")), HttpStatusCode.OK);
        var cancelled = await ExportAsync(fpa, next);
        Assert.Equal(("abgesagt", false), (cancelled.Manifest.GetProperty("meetingState").GetString(), cancelled.Manifest.GetProperty("provisional").GetBoolean()));
        Assert.DoesNotContain("VORLÄUFIG", cancelled.Text(ExportMeetingArchive.MinutesHtml), StringComparison.Ordinal);
        Assert.Contains("<td id=\"state\">abgesagt</td>", cancelled.Text(ExportMeetingArchive.MinutesHtml), StringComparison.Ordinal);
    }

    private static async Task<Archive> ExportAsync(HttpClient client, Guid meetingId)
    {
        var response = await client.GetAsync($"/api/meetings/{meetingId}/archive");
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        return Archive.Of(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>An exported ZIP, read back: each entry's bytes by path, and the manifest.</summary>
    public sealed record Archive(IReadOnlyDictionary<string, byte[]> Entries)
    {
        public JsonElement Manifest => JsonDocument.Parse(Entries[ExportMeetingArchive.Manifest]).RootElement;

        public string Text(string path) => Encoding.UTF8.GetString(Entries[path]);

        public static Archive Of(byte[] zip)
        {
            using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var entry in archive.Entries)
            {
                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                Assert.True(entries.TryAdd(entry.FullName, copy.ToArray()), $"{entry.FullName} is in the archive twice.");
            }

            return new Archive(entries);
        }
    }
}
