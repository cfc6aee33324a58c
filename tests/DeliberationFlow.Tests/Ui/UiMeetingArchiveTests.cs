using System.Net.Http.Json;
using System.Text;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using DeliberationFlow.Tests.Integration;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>The meeting page's "Archiv exportieren (ZIP)": the committee's secretary downloads the meeting's archive; others get no button and no archive.</summary>
[Collection(HostCollection.Name)]
public sealed class UiMeetingArchiveTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Secretary_DownloadsTheMeetingsArchive_FromItsPage_AnotherCommitteesSecretaryCannot()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-70061", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        var meetingId = paper.Consultations[0].MeetingId!.Value;
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% Stadtbad\n%%EOF\n");
        await PaperFilesTests.UploadAsync(test.ClientFor("admin"), $"/api/papers/{paper.Id}/files", pdf, "Vorlage Stadtbad.pdf");

        await using var fpa = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");
        await fpa.GotoAsync($"/workspace/meetings/{meetingId}");
        var button = fpa.Page.Locator("#export-archive");
        await Expect(button).ToContainTextAsync("Archiv exportieren (ZIP)");
        var download = await fpa.Page.RunAndWaitForDownloadAsync(() => button.ClickAsync());
        Assert.Equal("2021-04-29 Finanz- und Personalausschuss.zip", download.SuggestedFilename);
        var archive = MeetingArchiveTests.Archive.Of(await File.ReadAllBytesAsync((await download.PathAsync())!));
        var number = (await test.ClientFor("admin").GetFromJsonAsync<MinutesView>($"/api/meetings/{meetingId}/minutes"))!.Items.Single(i => i.PaperReference == "21-70061").Number;
        Assert.Equal(pdf, archive.Entries[$"TOP {number} - 21-70061/Vorlage - Vorlage Stadtbad.pdf"]);
        Assert.Equal("sekretariat-fpa", archive.Manifest.GetProperty("exportedBy").GetString());
        Assert.Contains("VORLÄUFIG", archive.Text(ExportMeetingArchive.MinutesHtml), StringComparison.Ordinal);

        // The PlUA's secretary sees no button on the FPA's meeting, and the link with their sign-in is refused.
        await using var plua = await UiSession.SignInAsync(chromium, test, "sekretariat-plua");
        await plua.GotoAsync($"/workspace/meetings/{meetingId}");
        await Expect(plua.Page.Locator("text=Sitzungsdienst").First).ToBeVisibleAsync();
        await Expect(plua.Page.Locator("#export-archive")).ToHaveCountAsync(0);
        var refused = await plua.Page.Context.APIRequest.GetAsync($"{plua.BaseUrl}/meetings/{meetingId}/archive");
        Assert.Equal(403, refused.Status);
    }
}
