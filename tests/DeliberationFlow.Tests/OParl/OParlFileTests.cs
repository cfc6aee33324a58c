using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Council.Papers.Files;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using DeliberationFlow.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace DeliberationFlow.Tests.OParl;

/// <summary>Papers' documents on the OParl interface: embedded in their paper, each at its own URL, in the body's files list.</summary>
[Collection(HostCollection.Name)]
public sealed class OParlFileTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task APublicPapersDocuments_AreServedAsFiles_ValidAgainstTheSchema_AndANonPublicPapersNever(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17601", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        var secret = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17602", "Personalangelegenheit", "Beschlussvorlage", "fb10", null, false, null, null));
        var main = await PaperFilesTests.UploadAsync(admin, $"/api/papers/{paper.Id}/files", PaperFilesTests.Pdf, "Vorlage Stadtbad.pdf", name: "Vorlage");
        test.Clock.Advance(TimeSpan.FromMinutes(1));
        var plan = await PaperFilesTests.UploadAsync(admin, $"/api/papers/{paper.Id}/files", PaperFilesTests.Pdf, "Lageplan.pdf");
        var hidden = await PaperFilesTests.UploadAsync(admin, $"/api/papers/{secret.Id}/files", PaperFilesTests.Pdf, "Personalakte.pdf");

        // Anonymous, as a civic portal reads it.
        var client = test.App.CreateClient();
        var schemas = new OParlSchemas();
        var served = await OParlInterfaceTests.GetAsync(client, $"http://localhost/oparl/paper/{paper.Id}");
        var embedded = served["mainFile"]!.AsObject();
        Assert.Equal($"http://localhost/oparl/file/{main.Id}", (string)embedded["id"]!);
        Assert.Equal(("Vorlage", "Vorlage Stadtbad.pdf", "application/pdf", main.Size, main.Sha512Checksum, "2021-04-01"),
            ((string)embedded["name"]!, (string)embedded["fileName"]!, (string)embedded["mimeType"]!, (long)embedded["size"]!, (string)embedded["sha512Checksum"]!, (string)embedded["date"]!));
        Assert.Null(embedded["paper"]);
        Assert.Equal([$"http://localhost/oparl/file/{plan.Id}"], served["auxiliaryFile"]!.AsArray().Select(f => (string)f!["id"]!));
        var own = await OParlInterfaceTests.GetAsync(client, $"http://localhost/oparl/file/{main.Id}");
        Assert.Equal([$"http://localhost/oparl/paper/{paper.Id}"], own["paper"]!.AsArray().Select(u => (string)u!));
        var list = await OParlInterfaceTests.GetAsync(client, (string)(await OParlInterfaceTests.BodyAsync(client))["file"]!);
        // Beside the demo's Vorlage of 21-15813.
        Assert.Equal([main.Id, plan.Id], list["data"]!.AsArray().Where(f => (string)f!["paper"]![0]! == $"http://localhost/oparl/paper/{paper.Id}")
            .Select(f => Guid.Parse(((string)f!["id"]!).Split('/')[^1])).Order());
        var problems = schemas.Problems(served, "paper").Concat(schemas.Problems(embedded, "mainFile")).Concat(schemas.Problems(own, "file"))
            .Concat(list["data"]!.AsArray().SelectMany((f, i) => schemas.Problems(f!.AsObject(), $"files data[{i}]"))).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // accessUrl shows the document, downloadUrl saves it.
        var download = await client.GetAsync((string)own["downloadUrl"]!);
        Assert.Equal(PaperFilesTests.Pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(("attachment", "application/pdf"), (download.Content.Headers.ContentDisposition!.DispositionType, download.Content.Headers.ContentType!.MediaType));
        var access = await client.GetAsync((string)own["accessUrl"]!);
        Assert.Equal(("inline", "sandbox"), (access.Content.Headers.ContentDisposition!.DispositionType, access.Headers.GetValues("Content-Security-Policy").Single()));
        Assert.Equal(PaperFilesTests.Pdf, await access.Content.ReadAsByteArrayAsync());

        // The non-public paper's document: not listed, not at its URL, its bytes not served.
        Assert.DoesNotContain(hidden.Id.ToString(), list.ToJsonString(), StringComparison.Ordinal);
        foreach (var url in new[] { $"/oparl/file/{hidden.Id}", $"/oparl/file/{hidden.Id}/download", $"/oparl/file/{hidden.Id}/access" })
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("Personalakte", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A deleted attachment leaves the list, is served as deleted since then, and its bytes are gone (410).
        test.Clock.Advance(TimeSpan.FromMinutes(1));
        var since = Uri.EscapeDataString("2021-04-01T09:01:30+02:00");
        await Http.EnsureAsync(await admin.DeleteAsync($"/api/papers/{paper.Id}/files/{plan.Id}"), HttpStatusCode.NoContent);
        // The Vorlage and the demo's of 21-15813.
        Assert.Equal(2, (int)(await OParlInterfaceTests.GetAsync(client, (string)list["links"]!["self"]!))["pagination"]!["totalElements"]!);
        var changed = await OParlInterfaceTests.GetAsync(client, $"{(string)(await OParlInterfaceTests.BodyAsync(client))["file"]!}?modified_since={since}");
        var gone = Assert.Single(changed["data"]!.AsArray())!.AsObject();
        Assert.Equal(($"http://localhost/oparl/file/{plan.Id}", true), ((string)gone["id"]!, (bool)gone["deleted"]!));
        Assert.Empty(schemas.Problems(gone, "deleted file"));
        Assert.Equal(HttpStatusCode.Gone, (await client.GetAsync($"/oparl/file/{plan.Id}/download")).StatusCode);
        Assert.Null((await OParlInterfaceTests.GetAsync(client, $"http://localhost/oparl/paper/{paper.Id}"))["auxiliaryFile"]);

        // The paper made non-public: its Vorlage is served as deleted, and its bytes are gone.
        test.Clock.Advance(TimeSpan.FromMinutes(1));
        await Http.EnsureAsync(await admin.PutAsJsonAsync($"/api/papers/{paper.Id}",
            new EditPaperRequest("Sanierung Stadtbad", "fb10", null, paper.Date, false)), HttpStatusCode.OK);
        Assert.True((bool)(await OParlInterfaceTests.GetAsync(client, $"http://localhost/oparl/file/{main.Id}"))["deleted"]!);
        Assert.Equal(HttpStatusCode.Gone, (await client.GetAsync($"/oparl/file/{main.Id}/download")).StatusCode);
        var withdrawn = await OParlInterfaceTests.GetAsync(client, $"{(string)(await OParlInterfaceTests.BodyAsync(client))["file"]!}?modified_since={Uri.EscapeDataString("2021-04-01T09:02:30+02:00")}");
        Assert.Equal([main.Id], withdrawn["data"]!.AsArray().Select(f => Guid.Parse(((string)f!["id"]!).Split('/')[^1])));
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task ADocumentsText_IsTheFilesText_FromPdfAndTextFiles_CutAtItsLimit_AndADamagedPdfIsStoredWithoutIt(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9), services => services.AddLogging(logging => logging.AddFakeLogging()));
        var log = test.App.Services.GetFakeLogCollector();
        var admin = test.ClientFor("admin");
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17611", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        var url = $"/api/papers/{paper.Id}/files";
        var pdf = PaperFilesTests.RealPdf("Sanierung des Stadtbads", "Der Rat beschließt den „Bauabschnitt 1“ – 4,2 Mio. Euro.");
        var main = await PaperFilesTests.UploadAsync(admin, url, pdf, "Vorlage.pdf");
        var notes = await PaperFilesTests.UploadAsync(admin, url, Encoding.UTF8.GetBytes("Öffnungszeiten während der Sanierung:\nnur Außenbecken.\n"), "Hinweise.txt");
        // The old fixture: "%PDF-" and a catalogue, but no page tree and no cross-reference table.
        var damaged = await PaperFilesTests.UploadAsync(admin, url, PaperFilesTests.Pdf, "Gutachten.pdf");
        var protocol = await PaperFilesTests.UploadAsync(admin, url, Encoding.UTF8.GetBytes(new string('a', PaperFileText.MaxLength + 200_000)), "Protokoll.txt");

        var client = test.App.CreateClient();
        async Task<JsonObject> FileAsync(Guid id) => await OParlInterfaceTests.GetAsync(client, $"http://localhost/oparl/file/{id}");
        var own = await FileAsync(main.Id);
        Assert.Equal("Sanierung des Stadtbads\nDer Rat beschließt den „Bauabschnitt 1“ – 4,2 Mio. Euro.", (string)own["text"]!);
        Assert.Equal("Öffnungszeiten während der Sanierung:\nnur Außenbecken.", (string)(await FileAsync(notes.Id))["text"]!);
        var cut = (string)(await FileAsync(protocol.Id))["text"]!;
        Assert.Equal((PaperFileText.MaxLength, "a…"), (cut.Length, cut[^2..]));

        // The damaged PDF is stored and served as it came, without text, and the log says why.
        var gutachten = await FileAsync(damaged.Id);
        Assert.Null(gutachten["text"]);
        Assert.Equal(PaperFilesTests.Pdf, await client.GetByteArrayAsync((string)gutachten["downloadUrl"]!));
        Assert.Contains(log.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("Gutachten.pdf", StringComparison.Ordinal) && r.Exception is not null);

        // The body's files list carries the texts, the paper's embedded copies do not (a page of papers would carry them all).
        var list = await OParlInterfaceTests.GetAsync(client, (string)(await OParlInterfaceTests.BodyAsync(client))["file"]!);
        var listed = list["data"]!.AsArray().Select(f => f!.AsObject()).ToDictionary(f => Guid.Parse(((string)f["id"]!).Split('/')[^1]));
        Assert.Equal((string)own["text"]!, (string)listed[main.Id]["text"]!);
        var served = await OParlInterfaceTests.GetAsync(client, $"http://localhost/oparl/paper/{paper.Id}");
        Assert.Null(served["mainFile"]!["text"]);
        Assert.All(served["auxiliaryFile"]!.AsArray(), f => Assert.Null(f!["text"]));
        var schemas = new OParlSchemas();
        Assert.Empty(schemas.Problems(own, "file").Concat(list["data"]!.AsArray().SelectMany((f, i) => schemas.Problems(f!.AsObject(), $"files data[{i}]"))));

        // Replaced, the Vorlage keeps its id and has the new document's text.
        var replaced = await admin.PutAsync($"{url}/main", PaperFilesTests.Form(PaperFilesTests.RealPdf("Sanierung des Stadtbads, zweite Fassung"), "Vorlage_v2.pdf"));
        await Http.EnsureAsync(replaced, HttpStatusCode.OK);
        Assert.Equal("Sanierung des Stadtbads, zweite Fassung", (string)(await FileAsync(main.Id))["text"]!);
    }
}
