using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Council.Papers.Files;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Integration;

/// <summary>A paper's documents: the Vorlage and its attachments, uploaded, listed, downloaded, replaced and deleted.</summary>
[Collection(HostCollection.Name)]
public sealed class PaperFilesTests
{
    public static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Secretary_UploadsTheVorlageAndAnAttachment_EveryUserDownloadsThem_ReplaceAndDeleteAreJournalled(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17501", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        var secretary = test.ClientFor("sekretariat-fpa");
        var url = $"/api/papers/{paper.Id}/files";

        var main = await UploadAsync(secretary, url, Pdf, @"C:\Users\amt\Vorlage Stadtbad: Entwurf.pdf", name: "Vorlage");
        Assert.Equal(("Main", "Vorlage", "Vorlage Stadtbad_ Entwurf.pdf", "application/pdf"), (main.Role, main.Name, main.FileName, main.MimeType));
        Assert.Equal((Pdf.LongLength, Convert.ToHexStringLower(SHA512.HashData(Pdf)), new DateOnly(2021, 4, 1)), (main.Size, main.Sha512Checksum, main.Date));
        var plan = await UploadAsync(secretary, url, Png, "Lageplan.png");
        Assert.Equal(("Auxiliary", "Lageplan", "image/png"), (plan.Role, plan.Name, plan.MimeType));

        // Every user of the body who may see the paper lists and downloads its documents, the Vorlage first.
        var councillor = test.ClientFor("ratsmitglied");
        var listed = (await councillor.GetFromJsonAsync<List<PaperFileView>>(url))!;
        Assert.Equal([main.Id, plan.Id], listed.Select(f => f.Id));
        var download = await councillor.GetAsync(listed[0].DownloadPath);
        await Http.EnsureAsync(download, HttpStatusCode.OK);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("Vorlage Stadtbad_ Entwurf.pdf", download.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal($"\"{main.Sha512Checksum}\"", download.Headers.ETag!.Tag);
        var again = new HttpRequestMessage(HttpMethod.Get, listed[0].DownloadPath);
        again.Headers.IfNoneMatch.Add(download.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, (await councillor.SendAsync(again)).StatusCode);

        // The corrected Vorlage keeps its id (and so its OParl URL); the old ETag no longer matches.
        test.Clock.Advance(TimeSpan.FromMinutes(5));
        var corrected = Encoding.ASCII.GetBytes("%PDF-1.7\n% korrigiert\n%%EOF\n");
        var replace = await secretary.PutAsync($"{url}/main", Form(corrected, "Vorlage_v2.pdf"));
        await Http.EnsureAsync(replace, HttpStatusCode.OK);
        var replaced = (await replace.Content.ReadFromJsonAsync<PaperFileView>())!;
        Assert.Equal((main.Id, "Vorlage_v2.pdf", corrected.LongLength), (replaced.Id, replaced.FileName, replaced.Size));
        Assert.Equal(corrected, await councillor.GetByteArrayAsync(replaced.DownloadPath));
        var stale = new HttpRequestMessage(HttpMethod.Get, replaced.DownloadPath);
        stale.Headers.IfNoneMatch.Add(download.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, (await councillor.SendAsync(stale)).StatusCode);

        // Deleting the attachment removes its bytes; the row stays for OParl, marked deleted.
        await Http.EnsureAsync(await secretary.DeleteAsync($"{url}/{plan.Id}"), HttpStatusCode.NoContent);
        Assert.Equal([main.Id], (await councillor.GetFromJsonAsync<List<PaperFileView>>(url))!.Select(f => f.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await councillor.GetAsync(plan.DownloadPath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await secretary.DeleteAsync($"{url}/{plan.Id}")).StatusCode);
        var (rows, contents) = await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            return (await db.PaperFiles.IgnoreQueryFilters().CountAsync(f => f.PaperId == paper.Id),
                await db.PaperFileContents.CountAsync(c => db.PaperFiles.IgnoreQueryFilters().Any(f => f.Id == c.FileId && f.PaperId == paper.Id)));
        });
        Assert.Equal((2, 1), (rows, contents));

        var journal = (await test.GetPaperAsync("admin", paper.Id)).Journal.Where(j => j.Kind == "PaperEdited").Select(j => (j.Actor, j.Message)).ToList();
        Assert.Equal(
            [
                ("sekretariat-fpa", $"Dokument hinzugefügt: „Vorlage“ (Vorlage Stadtbad_ Entwurf.pdf, {Pdf.Length} B, Vorlage)."),
                ("sekretariat-fpa", "Dokument hinzugefügt: „Lageplan“ (Lageplan.png, 12 B)."),
                ("sekretariat-fpa", $"Vorlage ersetzt: „Vorlage“ (Vorlage Stadtbad_ Entwurf.pdf, {Pdf.Length} B, Vorlage) → „Vorlage_v2“ (Vorlage_v2.pdf, {corrected.Length} B, Vorlage)."),
                ("sekretariat-fpa", "Dokument gelöscht: „Lageplan“ (Lageplan.png, 12 B)."),
            ],
            journal);
    }

    [Fact]
    public async Task BadUploads_AreRefusedNamingTheField_AndChangeNothing()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            settings: new Dictionary<string, string> { ["Files:MaxSizeBytes"] = "2048" });
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17502", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        var admin = test.ClientFor("admin");
        var url = $"/api/papers/{paper.Id}/files";
        var main = await UploadAsync(admin, url, Pdf, "vorlage.pdf");

        async Task<ValidationProblemDetails> RefusedAsync(HttpResponseMessage response, HttpStatusCode status, string field)
        {
            await Http.EnsureAsync(response, status);
            var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
            Assert.Equal([field], problem.Errors.Keys);
            return problem;
        }

        var tooLarge = await RefusedAsync(await admin.PostAsync(url, Form([.. "%PDF-1.4\n"u8, .. new byte[3000]], "gross.pdf")), HttpStatusCode.RequestEntityTooLarge, "file");
        Assert.Contains("2 KB", tooLarge.Errors["file"][0], StringComparison.Ordinal);
        // Over the limit with its framing, refused before the body is read.
        await RefusedAsync(await admin.PostAsync(url, Form(new byte[200_000], "riesig.pdf")), HttpStatusCode.RequestEntityTooLarge, "file");
        var program = await RefusedAsync(await admin.PostAsync(url, Form("MZ\x90\0"u8.ToArray(), "vorlage2.pdf", role: "auxiliary")), HttpStatusCode.BadRequest, "file");
        Assert.Contains("not a PDF file", program.Errors["file"][0], StringComparison.Ordinal);
        Assert.Contains(".pdf", (await RefusedAsync(await admin.PostAsync(url, Form("MZ"u8.ToArray(), "setup.exe")), HttpStatusCode.BadRequest, "file")).Errors["file"][0], StringComparison.Ordinal);
        await RefusedAsync(await admin.PostAsync(url, Form([], "leer.pdf", role: "auxiliary")), HttpStatusCode.BadRequest, "file");
        await RefusedAsync(await admin.PostAsync(url, Form(Pdf, "../..")), HttpStatusCode.BadRequest, "file");
        await RefusedAsync(await admin.PostAsync(url, Form(Pdf, "anlage.pdf", role: "beilage")), HttpStatusCode.BadRequest, "role");
        await RefusedAsync(await admin.PostAsync(url, new MultipartFormDataContent { { new StringContent("x"), "name" } }), HttpStatusCode.BadRequest, "file");
        await RefusedAsync(await admin.PostAsync(url, new StringContent("%PDF-1.4")), HttpStatusCode.BadRequest, "file");
        await RefusedAsync(await admin.PostAsync(url, Form(Pdf, "anlage.pdf", role: "auxiliary", name: new string('x', 301))), HttpStatusCode.BadRequest, "name");
        var second = await admin.PostAsync(url, Form(Pdf, "vorlage2.pdf", role: "main"));
        await Http.EnsureAsync(second, HttpStatusCode.Conflict);
        Assert.Contains($"PUT /api/papers/{paper.Id}/files/main", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Councillors change no documents; another body's admin does not find the paper, nor its documents.
        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("ratsmitglied").PostAsync(url, Form(Pdf, "anlage.pdf"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("ratsmitglied").DeleteAsync($"{url}/{main.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await test.ClientFor("admin-wf").PostAsync(url, Form(Pdf, "anlage.pdf"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await test.ClientFor("admin-wf").GetAsync(main.DownloadPath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await test.ClientFor("admin-wf").DeleteAsync($"{url}/{main.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/papers/{Guid.NewGuid()}/files", Form(Pdf, "anlage.pdf"))).StatusCode);

        Assert.Equal([main.Id], (await admin.GetFromJsonAsync<List<PaperFileView>>(url))!.Select(f => f.Id));
        Assert.Equal(Pdf, await admin.GetByteArrayAsync(main.DownloadPath));
        Assert.Single((await test.GetPaperAsync("admin", paper.Id)).Journal, j => j.Kind == "PaperEdited");
        Assert.Equal(1, await test.App.WithScopeAsync(sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            return db.PaperFileContents.CountAsync(c => db.PaperFiles.IgnoreQueryFilters().Any(f => f.Id == c.FileId && f.PaperId == paper.Id));
        }));
    }

    [Fact]
    public async Task ANonPublicPapersDocuments_ReachOnlyThoseWhoMaySeeThePaper()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        // Consulted in the PlUA, where Ratsfrau Beispiel (Rat, FPA) has no seat.
        var secret = await test.RegisterAsync("admin",
            new RegisterPaperRequest("21-17503", "Personalangelegenheit Bauamt", "Beschlussvorlage", "fb10", null, false, null, "beschlussvorlage-fachausschuss"));
        var url = $"/api/papers/{secret.Id}/files";
        var file = await UploadAsync(test.ClientFor("sekretariat-plua"), url, Pdf, "personal.pdf");

        Assert.Equal(Pdf, await test.ClientFor("admin").GetByteArrayAsync(file.DownloadPath));
        Assert.Single((await test.ClientFor("sekretariat-plua").GetFromJsonAsync<List<PaperFileView>>(url))!);
        foreach (var user in new[] { "ratsmitglied", "sekretariat-fpa", "admin-wf" })
        {
            var client = test.ClientFor(user);
            foreach (var response in new[] { await client.GetAsync(url), await client.GetAsync(file.DownloadPath), await client.PostAsync(url, Form(Pdf, "x.pdf")), await client.DeleteAsync($"{url}/{file.Id}") })
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                var text = await response.Content.ReadAsStringAsync();
                Assert.DoesNotContain("personal.pdf", text, StringComparison.Ordinal);
                Assert.DoesNotContain("21-17503", text, StringComparison.Ordinal);
            }
        }

        Assert.Single((await test.ClientFor("admin").GetFromJsonAsync<List<PaperFileView>>(url))!);
    }

    [Theory]
    [InlineData("vorlage.pdf", "vorlage.pdf")]
    [InlineData(@"C:\Users\amt\Entwurf.pdf", "Entwurf.pdf")]
    [InlineData("/etc/../passwd.pdf", "passwd.pdf")]
    [InlineData("a\"b\r\n<c>.pdf", "a_b___c_.pdf")]
    [InlineData("  ..Bericht  2021.pdf. ", "Bericht 2021.pdf")]
    [InlineData("Übersicht Straße.pdf", "Übersicht Straße.pdf")]
    [InlineData("..", null)]
    [InlineData("???.pdf", null)]
    [InlineData("", null)]
    public void FileNames_AreCleanedOfPathsAndCharactersFileSystemsRefuse(string sent, string? kept) =>
        Assert.Equal(kept, PaperFileRules.Sanitize(sent));

    [Fact]
    public void ALongFileName_IsCutKeepingItsExtension()
    {
        var name = PaperFileRules.Sanitize(new string('x', 400) + ".docx")!;
        Assert.Equal((PaperFileRules.MaxFileNameLength, ".docx"), (name.Length, Path.GetExtension(name)));
    }

    [Fact]
    public async Task OnPostgreSql_TheBytesAreStoredOutOfLineAndUncompressed_ForPdfsDoNotCompress()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17511", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        // 200 KB that would compress to nearly nothing: still stored as they came, as PostgreSQL does not try.
        byte[] padded = [.. RealPdf("Sanierung Stadtbad"), .. Enumerable.Repeat((byte)' ', 200_000)];
        var file = await UploadAsync(test.ClientFor("admin"), $"/api/papers/{paper.Id}/files", padded, "vorlage.pdf");

        var (storage, compression, stored) = await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>().Database;
            var storage = await db.SqlQueryRaw<string>(
                "SELECT attstorage::text AS \"Value\" FROM pg_attribute WHERE attrelid = 'council.paper_file_contents'::regclass AND attname = 'content'").SingleAsync();
            var compression = await db.SqlQuery<string?>($"SELECT pg_column_compression(content) AS \"Value\" FROM council.paper_file_contents WHERE file_id = {file.Id}").SingleAsync();
            var stored = await db.SqlQuery<int>($"SELECT pg_column_size(content) AS \"Value\" FROM council.paper_file_contents WHERE file_id = {file.Id}").SingleAsync();
            return (storage, compression, stored);
        });
        Assert.Equal(("e", null), (storage, compression));
        Assert.True(stored >= padded.Length, $"{stored} bytes stored of {padded.Length}");
        var download = await test.ClientFor("admin").GetByteArrayAsync(file.DownloadPath);
        Assert.Equal(padded, download);
    }

    /// <summary>A real PDF of one page with these lines, as a text processor writes it (Helvetica: no umlauts, but ß and „“).</summary>
    public static byte[] RealPdf(params string[] lines)
    {
        var builder = new UglyToad.PdfPig.Writer.PdfDocumentBuilder();
        var font = builder.AddStandard14Font(UglyToad.PdfPig.Fonts.Standard14Fonts.Standard14Font.Helvetica);
        var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        for (var i = 0; i < lines.Length; i++)
        {
            page.AddText(lines[i], 11, new UglyToad.PdfPig.Core.PdfPoint(56, 780 - (16 * i)), font);
        }

        return builder.Build();
    }

    public static MultipartFormDataContent Form(byte[] content, string fileName, string? role = null, string? name = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        if (role is not null)
        {
            form.Add(new StringContent(role), "role");
        }

        if (name is not null)
        {
            form.Add(new StringContent(name), "name");
        }

        return form;
    }

    public static async Task<PaperFileView> UploadAsync(HttpClient client, string url, byte[] content, string fileName, string? role = null, string? name = null)
    {
        var response = await client.PostAsync(url, Form(content, fileName, role, name));
        await Http.EnsureAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<PaperFileView>())!;
    }
}
