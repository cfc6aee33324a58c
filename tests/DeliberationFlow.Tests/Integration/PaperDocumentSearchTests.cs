using System.Net;
using System.Net.Http.Json;
using System.Text;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Council.Papers.Files;
using DeliberationFlow.Persistence;
using DeliberationFlow.Scheduling;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using static DeliberationFlow.Tests.Integration.PaperFilesTests;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// The paper search finds papers by what their documents say, through each database's full-text index; never a paper its
/// reader may not see; and documents stored before texts were read get theirs in the background.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class PaperDocumentSearchTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Search_FindsPapersByTheirDocumentsText_SaysWhereWithThePassage_AndForgetsDeletedAndReplacedText(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var radverkehr = await RegisterAsync(test, "21-70101", "Mobilitätskonzept 2030", isPublic: true);
        var feuerwache = await RegisterAsync(test, "21-70102", "Neubau Feuerwache Süd", isPublic: true);
        var strategien = await RegisterAsync(test, "21-70103", "Strategien der Innenstadt", isPublic: true);
        var admin = test.ClientFor("admin");
        var vorlage = await UploadAsync(admin, $"/api/papers/{radverkehr.Id}/files",
            RealPdf("Die Stadt entwickelt neue Strategien fuer den Radverkehr.", "Beschlussvorschlag: Der Rat stimmt zu."), "Vorlage Mobilitaet.pdf");
        var anlage = await UploadAsync(admin, $"/api/papers/{feuerwache.Id}/files",
            Encoding.UTF8.GetBytes("Kostenschätzung\nDie Überplanung des Grundstücks kostet 2,4 Mio. Euro."), "Kosten.txt");
        await UploadAsync(admin, $"/api/papers/{strategien.Id}/files", Encoding.UTF8.GetBytes("Radverkehr in der Innenstadt und der Fußgängerzone"), "Anlage.txt");

        // A word of the Vorlage finds the paper whose title does not hold it, and says so, with the passage around the hit.
        var found = await SearchAsync(test, "ratsmitglied", "?q=Strategien");
        Assert.Equal(["21-70103", "21-70101"], found.Papers.Select(p => p.Reference).Where(r => r.StartsWith("21-701", StringComparison.Ordinal)));
        var byDocument = found.Papers.Single(p => p.Reference == "21-70101");
        Assert.Equal(["document"], byDocument.MatchedIn);
        Assert.Equal((vorlage.Id, "Vorlage Mobilitaet.pdf"), (byDocument.Document!.FileId, byDocument.Document.FileName));
        Assert.Contains(byDocument.Document.Snippet, s => s is { Hit: true, Text: "Strategien" });
        Assert.Contains("Radverkehr", string.Concat(byDocument.Document.Snippet.Select(s => s.Text)), StringComparison.Ordinal);
        Assert.Equal(["title"], found.Papers.Single(p => p.Reference == "21-70103").MatchedIn);
        Assert.Null(found.Papers.Single(p => p.Reference == "21-70103").Document);

        // Every word must be in the document; each is the beginning of a word (found while it is typed), case and umlauts
        // folded; a word in both title and an attachment says both.
        Assert.Equal(["21-70101"], (await SearchAsync(test, "admin", "?q=Radverkehr%20Beschlussvorschlag")).Papers.Select(p => p.Reference));
        Assert.Empty((await SearchAsync(test, "admin", "?q=Radverkehr%20Feuerwache")).Papers);
        Assert.Equal(["21-70101"], (await SearchAsync(test, "admin", "?q=strat%20RADVERK")).Papers.Select(p => p.Reference));
        var overplanning = Assert.Single((await SearchAsync(test, "admin", "?q=%C3%BCberplanung%20grundst%C3%BCck")).Papers);
        Assert.Equal(("21-70102", anlage.Id), (overplanning.Reference, overplanning.Document!.FileId));
        var both = Assert.Single((await SearchAsync(test, "admin", "?q=Innenstadt")).Papers);
        Assert.Equal("21-70103", both.Reference);
        Assert.Equal(["title", "document"], both.MatchedIn);
        Assert.Equal(["21-70103", "21-70101"], (await SearchAsync(test, "admin", "?q=Radverkehr")).Papers.Select(p => p.Reference));

        if (provider == DatabaseProvider.Postgres)
        {
            // German stems: the plural finds the singular ('strategi').
            await UploadAsync(admin, $"/api/papers/{feuerwache.Id}/files", Encoding.UTF8.GetBytes("Die Strategie der Feuerwehr."), "Strategie.txt");
            Assert.Contains("21-70102", (await SearchAsync(test, "admin", "?q=Strategien")).Papers.Select(p => p.Reference));
        }

        // What a search engine would read as its syntax is words here, and never a fault.
        foreach (var typed in new[] { "%22Strat", "Strat*", "NEAR(Strategien", "-Strategien", "Strategien%20OR%20x", "a:*%20%26%20!b", "%27%3B--", "%5E%7C%26" })
        {
            await SearchAsync(test, "admin", "?q=" + typed);
        }

        // A deleted attachment's text finds nothing any more; a replaced Vorlage is found by its new text, not its old.
        await Http.EnsureAsync(await admin.DeleteAsync($"/api/papers/{feuerwache.Id}/files/{anlage.Id}"), HttpStatusCode.NoContent);
        Assert.Empty((await SearchAsync(test, "admin", "?q=%C3%9Cberplanung")).Papers);
        var replace = await admin.PutAsync($"/api/papers/{radverkehr.Id}/files/main", Form(RealPdf("Ein Parkhaus am Bahnhof wird geplant."), "Vorlage_v2.pdf"));
        await Http.EnsureAsync(replace, HttpStatusCode.OK);
        Assert.DoesNotContain("21-70101", (await SearchAsync(test, "admin", "?q=Beschlussvorschlag")).Papers.Select(p => p.Reference));
        Assert.Equal(["21-70101"], (await SearchAsync(test, "admin", "?q=Parkhaus")).Papers.Select(p => p.Reference));
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task ANonPublicPapersDocumentText_FindsItOnlyForThoseWhoMayOpenIt(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        // Consulted in the PlUA, where Ratsfrau Beispiel (Rat, FPA) has no seat.
        var secret = await test.RegisterAsync("admin",
            new RegisterPaperRequest("21-70111", "Personalangelegenheit Bauamt", "Beschlussvorlage", "fb10", null, false, null, "beschlussvorlage-fachausschuss"));
        await UploadAsync(test.ClientFor("sekretariat-plua"), $"/api/papers/{secret.Id}/files",
            Encoding.UTF8.GetBytes("Die Abfindung für Herrn Mustermann beträgt 48.000 Euro."), "abfindung.txt");

        foreach (var user in new[] { "admin", "sekretariat-plua" })
        {
            var hit = Assert.Single((await SearchAsync(test, user, "?q=Abfindung%20Mustermann")).Papers);
            Assert.Equal(("21-70111", false), (hit.Reference, hit.IsPublic));
            Assert.Contains(hit.Document!.Snippet, s => s is { Hit: true, Text: "Mustermann" });
        }

        // Not as a row, nor a count, nor a passage: the answer holds nothing of the paper or its document.
        foreach (var user in new[] { "ratsmitglied", "sekretariat-fpa", "admin-wf" })
        {
            foreach (var query in new[] { "?q=Abfindung", "?q=Mustermann&pageSize=100", "?q=abfindung%20mustermann&status=InProgress" })
            {
                var response = await test.ClientFor(user).GetAsync("/api/papers" + query);
                await Http.EnsureAsync(response, HttpStatusCode.OK);
                var answer = await response.Content.ReadAsStringAsync();
                var list = System.Text.Json.JsonSerializer.Deserialize<PaperList>(answer, System.Text.Json.JsonSerializerOptions.Web)!;
                Assert.Equal((0, 0), (list.Papers.Count, list.Total));
                Assert.DoesNotContain("21-70111", answer, StringComparison.Ordinal);
                Assert.DoesNotContain("Mustermann", answer, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task OnPostgreSql_ATextTooManyWordsForATsvector_IsStoredAndIndexedByItsBeginning()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9), settings: TestApp.ApiOnly);
        var paper = await RegisterAsync(test, "21-70151", "Messwerte", isPublic: true);
        // Some 110,000 distinct words in 1 MB: their tsvector would pass PostgreSQL's limit of 1 MB, which refuses it whole.
        var words = new StringBuilder("Grundwassermessstelle ");
        for (var i = 0; words.Length < 990_000; i++)
        {
            words.Append(Convert.ToHexStringLower(BitConverter.GetBytes(i * 2654435761L))).Append(' ');
        }

        words.Append("Schlusswort");
        await UploadAsync(test.ClientFor("admin"), $"/api/papers/{paper.Id}/files", Encoding.UTF8.GetBytes(words.ToString()), "messwerte.txt");

        Assert.Equal(["21-70151"], (await SearchAsync(test, "admin", "?q=Grundwassermessstelle")).Papers.Select(p => p.Reference));
        Assert.Empty((await SearchAsync(test, "admin", "?q=Schlusswort")).Papers);
    }

    [Fact]
    public async Task DocumentsStoredBeforeTextsWereRead_AreReadByTheJob_InBatches_OnceEach()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9), settings: TestApp.ApiOnly);
        var paper = await RegisterAsync(test, "21-70121", "Sanierung Stadtbad", isPublic: true);
        var admin = test.ClientFor("admin");
        var url = $"/api/papers/{paper.Id}/files";
        var pdf = await UploadAsync(admin, url, RealPdf("Das Hallenbad wird saniert."), "vorlage.pdf");
        var png = await UploadAsync(admin, url, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "plan.png");
        var unreadable = await UploadAsync(admin, url, Pdf, "kaputt.pdf");
        var texts = new List<PaperFileView>();
        for (var i = 0; i < 9; i++)
        {
            texts.Add(await UploadAsync(admin, url, Encoding.UTF8.GetBytes($"Anlage {i}: Wasserrutsche Nummer {i}"), $"anlage{i}.txt"));
        }

        await ForgetTextsAsync(test);
        Assert.Empty((await SearchAsync(test, "admin", "?q=Hallenbad")).Papers);
        var waiting = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().PaperFileContents.CountAsync(c => c.TextExtractedAt == null));
        Assert.InRange(waiting, 12, ExtractMissingPaperTexts.BatchSize * 2); // these twelve and the demo's Vorlage

        // A batch of ten, then the rest, then none; each marked read, also those without text.
        test.Clock.Advance(TimeSpan.FromHours(1));
        var batches = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            batches.Add(await test.App.WithScopeAsync(sp => sp.GetRequiredService<ExtractMissingPaperTexts>().HandleAsync(CancellationToken.None)));
        }

        Assert.Equal([10, waiting - 10, 0], batches);
        var rows = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().PaperFileContents.AsNoTracking()
            .ToDictionaryAsync(c => c.FileId, c => (c.Text, c.TextExtractedAt)));
        Assert.Contains("Das Hallenbad wird saniert.", rows[pdf.Id].Text, StringComparison.Ordinal);
        Assert.Equal(test.Clock.GetUtcNow(), rows[pdf.Id].TextExtractedAt);
        Assert.Equal(("", test.Clock.GetUtcNow()), rows[png.Id]);
        Assert.Equal(("", test.Clock.GetUtcNow()), rows[unreadable.Id]);
        Assert.All(texts, t => Assert.StartsWith("Anlage", rows[t.Id].Text, StringComparison.Ordinal));

        // Found by its text now; OParl portals see the File changed (its text is new to them), the image not.
        var found = Assert.Single((await SearchAsync(test, "ratsmitglied", "?q=Hallenbad")).Papers);
        Assert.Equal(["document"], found.MatchedIn);
        var files = (await admin.GetFromJsonAsync<List<PaperFileView>>(url))!.ToDictionary(f => f.Id);
        Assert.Equal(test.Clock.GetUtcNow(), files[pdf.Id].Modified);
        Assert.Equal(png.Modified, files[png.Id].Modified);

        // A Vorlage replaced after it was stored without text has the replacement's text, which the job leaves as it is.
        await ForgetTextsAsync(test);
        var replace = await admin.PutAsync($"{url}/main", Form(RealPdf("Ein Freibad statt dessen."), "vorlage2.pdf"));
        await Http.EnsureAsync(replace, HttpStatusCode.OK);
        await test.App.WithScopeAsync(sp => sp.GetRequiredService<PaperTextJob>().RunAsync(CancellationToken.None));
        Assert.Equal(["21-70121"], (await SearchAsync(test, "admin", "?q=Freibad")).Papers.Select(p => p.Reference));
        Assert.Empty((await SearchAsync(test, "admin", "?q=Hallenbad")).Papers);
        Assert.Equal(0, await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().PaperFileContents.CountAsync(c => c.TextExtractedAt == null)));
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task AtStartUp_TheHangfireServerReadsTheWaitingTexts(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var paper = await RegisterAsync(test, "21-70131", "Sanierung Stadtbad", isPublic: true);
        await UploadAsync(test.ClientFor("admin"), $"/api/papers/{paper.Id}/files", RealPdf("Das Hallenbad wird saniert."), "vorlage.pdf");
        await ForgetTextsAsync(test);

        await test.RestartAsync();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await SearchAsync(test, "admin", "?q=Hallenbad")).Total == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The text was not read within 30 s of the start.");
            await Task.Delay(200);
        }

        Assert.Equal(0, await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().PaperFileContents.CountAsync(c => c.TextExtractedAt == null)));
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task TheMigration_IndexesTheDocumentsAlreadyStored_AndLeavesThoseWithoutTextToTheJob(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9), settings: TestApp.ApiOnly);
        var paper = await RegisterAsync(test, "21-70141", "Sanierung Stadtbad", isPublic: true);
        var stored = await UploadAsync(test.ClientFor("admin"), $"/api/papers/{paper.Id}/files", Encoding.UTF8.GetBytes("Das Hallenbad wird saniert."), "vorlage.txt");
        var old = await UploadAsync(test.ClientFor("admin"), $"/api/papers/{paper.Id}/files", Encoding.UTF8.GetBytes("Die Sauna bleibt."), "anlage.txt");

        // The database as it was before: texts read at upload, one document stored before texts were read.
        await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            await db.GetService<IMigrator>().MigrateAsync("Circulations");
            await db.PaperFileContents.Where(c => c.FileId == old.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Text, ""));
            await db.Database.MigrateAsync();
        });

        // The stored text is found at once (the demo's Vorlage too), and counts as read when it was stored.
        Assert.Equal(["21-70141"], (await SearchAsync(test, "admin", "?q=Hallenbad")).Papers.Select(p => p.Reference));
        Assert.Equal(["21-15813"], (await SearchAsync(test, "admin", "?q=Demodaten")).Papers.Select(p => p.Reference));
        Assert.Empty((await SearchAsync(test, "admin", "?q=Sauna")).Papers);
        var read = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().PaperFileContents.AsNoTracking()
            .Where(c => c.FileId == stored.Id || c.FileId == old.Id).ToDictionaryAsync(c => c.FileId, c => c.TextExtractedAt));
        Assert.Equal(stored.Modified, read[stored.Id]);
        Assert.Null(read[old.Id]);

        // The job reads the other, and the index takes its text.
        Assert.Equal(1, await test.App.WithScopeAsync(sp => sp.GetRequiredService<ExtractMissingPaperTexts>().HandleAsync(CancellationToken.None)));
        Assert.Equal(["21-70141"], (await SearchAsync(test, "admin", "?q=Sauna")).Papers.Select(p => p.Reference));
    }

    /// <summary>Every document as if stored before texts were read at upload: no text, not read.</summary>
    private static async Task ForgetTextsAsync(TestApp test) => await test.App.WithScopeAsync(sp =>
        sp.GetRequiredService<DeliberationDbContext>().PaperFileContents
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Text, "").SetProperty(c => c.TextExtractedAt, (DateTimeOffset?)null)));

    private static Task<PaperDetails> RegisterAsync(TestApp test, string reference, string name, bool isPublic) =>
        test.RegisterAsync("admin", new RegisterPaperRequest(reference, name, "Beschlussvorlage", "fb10", null, isPublic, null, null));

    private static async Task<PaperList> SearchAsync(TestApp test, string user, string query)
    {
        var response = await test.ClientFor(user).GetAsync("/api/papers" + query);
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<PaperList>())!;
    }
}
