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
/// and deletes one; a councillor sees and downloads them but may not change them; a document over the limit is refused.
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

        // Deleting asks first; cancelled, the document stays; confirmed, it is gone from the list and from the paper.
        await rows.Nth(1).Locator(".paper-file-delete").ClickAsync();
        await rows.Nth(1).Locator(".paper-file-delete-cancel").ClickAsync();
        await Expect(rows).ToHaveCountAsync(2);
        await rows.Nth(1).Locator(".paper-file-delete").ClickAsync();
        await rows.Nth(1).Locator(".paper-file-delete-confirm").ClickAsync();
        await Expect(page.Locator("#paper-files-done")).ToContainTextAsync("„Lageplan.png“ ist gelöscht.");
        await Expect(rows).ToHaveCountAsync(1);
        var files = await test.ClientFor("admin").GetFromJsonAsync<List<DeliberationFlow.Council.Papers.Files.PaperFileView>>($"/api/papers/{paper.Id}/files");
        Assert.Equal(["Vorlage Stadtbad.pdf"], files!.Select(f => f.FileName));
        var journal = (await test.GetPaperAsync("admin", paper.Id)).Journal.Where(j => j.Kind == "PaperEdited").Select(j => j.Message).ToList();
        Assert.Equal(3, journal.Count);
        Assert.All(journal, note => Assert.Contains("Dokument", note, StringComparison.Ordinal));
    }
}
