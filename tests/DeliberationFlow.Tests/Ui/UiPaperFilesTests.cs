using System.Net.Http.Json;
using System.Text;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using DeliberationFlow.Tests.Integration;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>
/// Dokumente on the paper's page: the secretary of a committee the paper goes to uploads the Vorlage and an attachment
/// and replaces the Vorlage in place and deletes one; a councillor sees and downloads them but may not change them; a document over the limit is refused.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UiPaperFilesTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Secretary_UploadsTheVorlageAndAnAttachment_ACouncillorDownloadsThem_TooLargeIsRefused_DeleteAsksFirst()
    {
        await using var test = await TestApp.StartOnLoopbackAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            new Dictionary<string, string> { ["Files:MaxSizeBytes"] = "4096" });
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-70051", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));

        await using var fpa = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");
        var page = fpa.Page;
        await fpa.GotoAsync("/papers/21-70051");
        await fpa.WaitUntilInteractiveAsync();
        await Expect(page.Locator("#paper-files-none")).ToBeVisibleAsync();

        // The first document is the Vorlage, the next an attachment; both are listed, and on record in the paper's journal.
        await page.Locator("#paper-file-input").SetInputFilesAsync(new FilePayload { Name = "Vorlage Stadtbad.pdf", MimeType = "application/pdf", Buffer = PaperFilesTests.Pdf });
        await Expect(page.Locator("#paper-files-done")).ToContainTextAsync("„Vorlage Stadtbad.pdf“ ist als Vorlage hinterlegt.");
        byte[] plan = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        await page.Locator("#paper-file-input").SetInputFilesAsync(new FilePayload { Name = "Lageplan.png", MimeType = "image/png", Buffer = plan });
        await Expect(page.Locator("#paper-files-done")).ToContainTextAsync("„Lageplan.png“ ist als Anlage hinterlegt.");
        var rows = page.Locator("#paper-files tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0)).ToContainTextAsync("Vorlage Stadtbad");
        await Expect(rows.Nth(0).Locator(".paper-file-role")).ToHaveTextAsync("Vorlage");
        await Expect(rows.Nth(1).Locator(".paper-file-role")).ToHaveTextAsync("Anlage");

        // Over the limit: refused with what to do, nothing stored.
        await page.Locator("#paper-file-input").SetInputFilesAsync(new FilePayload
        {
            Name = "Gutachten.pdf", MimeType = "application/pdf", Buffer = [.. Encoding.ASCII.GetBytes("%PDF-1.4\n"), .. new byte[5000]],
        });
        await Expect(page.Locator("#paper-files-problem")).ToContainTextAsync("Die Datei ist zu groß.");
        await Expect(page.Locator("#paper-files-problem")).ToContainTextAsync("4 KB");
        await Expect(rows).ToHaveCountAsync(2);
        await fpa.ScreenshotAsync("paper-files");

        // A councillor sees the documents and downloads them with the browser's sign-in, but gets no way to change them.
        await using var councillor = await UiSession.SignInAsync(chromium, test, "ratsmitglied");
        await councillor.GotoAsync("/papers/21-70051");
        await councillor.WaitUntilInteractiveAsync();
        await Expect(councillor.Page.Locator("#paper-files tbody tr")).ToHaveCountAsync(2);
        await Expect(councillor.Page.Locator("#paper-file-input")).ToHaveCountAsync(0);
        await Expect(councillor.Page.Locator(".paper-file-delete")).ToHaveCountAsync(0);
        var href = await councillor.Page.Locator(".paper-file-link").First.GetAttributeAsync("href");
        var download = await councillor.Page.Context.APIRequest.GetAsync(councillor.BaseUrl + href);
        Assert.Equal(200, download.Status);
        Assert.Equal(PaperFilesTests.Pdf, await download.BodyAsync());
        Assert.StartsWith("attachment", download.Headers["content-disposition"], StringComparison.Ordinal);
        await Expect(councillor.Page.Locator(".paper-file-replace")).ToHaveCountAsync(0);

        // The Vorlage replaced in place, a day later: the same document (its id, so its OParl URL) with the new file's
        // name, size and date, and the attachment untouched. Over the limit, a replacement is refused unsent as an upload is.
        var files = () => test.ClientFor("admin").GetFromJsonAsync<List<DeliberationFlow.Council.Papers.Files.PaperFileView>>($"/api/papers/{paper.Id}/files");
        var before = (await files())!.Single(f => f.Role == "Main");
        test.Clock.Advance(TimeSpan.FromDays(1));
        var corrected = PaperFilesTests.RealPdf("Sanierung Stadtbad", "Zweite Fassung nach der Vorberatung");
        await Expect(rows.Nth(1).Locator(".paper-file-replace")).ToHaveCountAsync(0);
        var chooser = await page.RunAndWaitForFileChooserAsync(() => rows.Nth(0).Locator(".paper-file-replace").ClickAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = "Vorlage Stadtbad v2.pdf", MimeType = "application/pdf", Buffer = corrected });
        await Expect(page.Locator("#paper-files-done")).ToContainTextAsync("Die Vorlage ist durch „Vorlage Stadtbad v2.pdf“ ersetzt.");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0)).ToContainTextAsync("Vorlage Stadtbad v2");
        await Expect(rows.Nth(0)).ToContainTextAsync("02.04.2021");
        await Expect(rows.Nth(0).Locator(".paper-file-role")).ToHaveTextAsync("Vorlage");
        var after = (await files())!.Single(f => f.Role == "Main");
        Assert.Equal((before.Id, corrected.LongLength, new DateOnly(2021, 4, 2), "Vorlage Stadtbad v2.pdf"), (after.Id, after.Size, after.Date, after.FileName));
        Assert.Equal(corrected, await test.ClientFor("admin").GetByteArrayAsync(after.DownloadPath));
        await page.Locator("#paper-file-replace-input").SetInputFilesAsync(new FilePayload
        {
            Name = "Vorlage Stadtbad v3.pdf", MimeType = "application/pdf", Buffer = [.. Encoding.ASCII.GetBytes("%PDF-1.4\n"), .. new byte[5000]],
        });
        await Expect(page.Locator("#paper-files-problem")).ToContainTextAsync("Die Datei ist zu groß.");
        Assert.Equal(after.Sha512Checksum, (await files())!.Single(f => f.Role == "Main").Sha512Checksum);
        await fpa.ScreenshotAsync("paper-files-replaced");

        // Deleting asks first; cancelled, the document stays; confirmed, it is gone from the list and from the paper.
        await rows.Nth(1).Locator(".paper-file-delete").ClickAsync();
        await rows.Nth(1).Locator(".paper-file-delete-cancel").ClickAsync();
        await Expect(rows).ToHaveCountAsync(2);
        await rows.Nth(1).Locator(".paper-file-delete").ClickAsync();
        await rows.Nth(1).Locator(".paper-file-delete-confirm").ClickAsync();
        await Expect(page.Locator("#paper-files-done")).ToContainTextAsync("„Lageplan.png“ ist gelöscht.");
        await Expect(rows).ToHaveCountAsync(1);
        Assert.Equal(["Vorlage Stadtbad v2.pdf"], (await files())!.Select(f => f.FileName));
        var journal = (await test.GetPaperAsync("admin", paper.Id)).Journal.Where(j => j.Kind == "PaperEdited").Select(j => j.Message).ToList();
        Assert.Equal(4, journal.Count);
        Assert.Equal(["Dokument gelöscht", "Dokument hinzugefügt", "Dokument hinzugefügt", "Vorlage ersetzt"], journal.Select(note => note.Split(':')[0]).Order(StringComparer.Ordinal));
    }
}
