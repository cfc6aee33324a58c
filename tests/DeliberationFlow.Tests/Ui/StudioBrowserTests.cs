using System.Text.Json;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>The workflow studio in Debian's Chromium against the real service on PostgreSQL; a screenshot of every page it passes.</summary>
[Collection(HostCollection.Name)]
public sealed class StudioBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Admin_DesignsValidatesAndPublishesAWorkflowWithAConsultationAndADecision()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var session = await UiSession.SignInAsync(chromium, test, "admin");
        var page = session.Page;

        await page.ClickAsync("#nav-studio");
        await Expect(page.Locator("#definitions-table")).ToContainTextAsync("beschlussvorlage");
        await session.WaitUntilInteractiveAsync();
        await session.ScreenshotAsync("studio-01-definitions");

        await page.ClickAsync("#new-definition");
        await page.FillAsync("#new-id", "anfrage");
        await page.FillAsync("#new-name", "Anfrage: Fachausschuss, dann Entscheidung im Rat");
        await page.ClickAsync("#create-definition");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/studio/definitions/anfrage$"));
        await session.WaitUntilInteractiveAsync();
        await Expect(Node(page, "start")).ToBeVisibleAsync();
        await Expect(page.Locator(".diagram-link")).ToHaveCountAsync(1);
        await session.ScreenshotAsync("studio-02-designer-new");

        // A consultation from the palette, its committee from the picker; then drag the start's port onto it.
        await page.ClickAsync("#palette-consultation");
        await Expect(Node(page, "consultation-1")).ToBeVisibleAsync();
        await Expect(page.Locator("#prop-id")).ToHaveValueAsync("consultation-1");
        await ChooseAsync(page, ".df-field[data-property=committee]", "Planungs- und Umweltausschuss (plua)");
        await Expect(Node(page, "consultation-1")).ToContainTextAsync("plua · Vorberatung");
        await DragAsync(page, Node(page, "start").Locator(".df-outcome[data-outcome=Done] .df-port-out"), Node(page, "consultation-1"));
        await Expect(page.Locator("#designer-canvas")).ToHaveAttributeAsync("data-links", "1");

        // The decision on its outcome, and the Rat's deciding consultation.
        await page.ClickAsync("#palette-outcome-decision");
        await Expect(Node(page, "outcomedecision-1")).ToBeVisibleAsync();
        await Expect(page.Locator("#prop-id")).ToHaveValueAsync("outcomedecision-1");
        await ChooseAsync(page, ".df-field[data-property=of]", "consultation-1");
        await page.ClickAsync("#palette-decision");
        await Expect(Node(page, "consultation-2")).ToBeVisibleAsync();
        await Expect(page.Locator("#prop-id")).ToHaveValueAsync("consultation-2");
        await ChooseAsync(page, ".df-field[data-property=committee]", "Rat der Stadt Braunschweig (rat)");

        // Checking now shows what is missing, on the step it concerns.
        await page.ClickAsync("#validate");
        await Expect(page.Locator("#validation-problems")).ToBeVisibleAsync();
        await Expect(Node(page, "consultation-1").Locator(".df-node-problems")).ToBeVisibleAsync();
        await Expect(Node(page, "consultation-1")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("Outcome 'Adopted' of 'consultation-1' has no connection"));
        await session.ScreenshotAsync("studio-03-designer-problems");

        await SelectAsync(page, "consultation-1");
        await Expect(page.Locator("#property-panel .df-problem").First).ToBeVisibleAsync();
        await RouteAsync(page, "Adopted", "outcomedecision-1");
        await RouteAsync(page, "AdoptedAmended", "outcomedecision-1");
        await RouteAsync(page, "Rejected", "end");
        await RouteAsync(page, "Withdrawn", "end");

        await SelectAsync(page, "outcomedecision-1");
        await RouteAsync(page, "Adopted", "consultation-2");
        await RouteAsync(page, "AdoptedAmended", "consultation-2");
        await RouteAsync(page, "Rejected", "end");
        await RouteAsync(page, "Noted", "end");

        await SelectAsync(page, "consultation-2");
        foreach (var outcome in new[] { "Adopted", "AdoptedAmended", "Rejected", "Withdrawn" })
        {
            await RouteAsync(page, outcome, "end");
        }

        // Undo takes back the last connection, redo restores it.
        await page.ClickAsync("#undo");
        await Expect(page.Locator("#designer-canvas")).ToHaveAttributeAsync("data-links", "12");
        await page.ClickAsync("#redo");
        await Expect(page.Locator("#designer-canvas")).ToHaveAttributeAsync("data-links", "13");

        await page.ClickAsync("#auto-layout");
        await page.ClickAsync("#validate");
        await Expect(page.Locator("#validation-ok")).ToBeVisibleAsync();
        await Expect(page.Locator(".df-node.df-invalid")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("studio-04-designer-valid");

        await page.ClickAsync("#publish");
        await Expect(page.Locator("#result")).ToContainTextAsync("Version 1 ist veröffentlicht");
        await Expect(page.Locator("#designer-version")).ToContainTextAsync("Veröffentlicht");
        await session.ScreenshotAsync("studio-05-designer-published");

        // The service agrees: published, with the consultation and the decision as designed.
        var definitions = JsonDocument.Parse(await test.ClientFor("admin").GetStringAsync("/api/workflow-definitions")).RootElement;
        var anfrage = definitions.EnumerateArray().Single(d => d.GetProperty("definitionId").GetString() == "anfrage");
        Assert.Equal(1, anfrage.GetProperty("publishedVersion").GetInt32());
        var document = JsonDocument.Parse(JsonDocument.Parse(await test.ClientFor("admin").GetStringAsync("/api/workflow-definitions/anfrage/versions/1"))
            .RootElement.GetProperty("document").GetString()!).RootElement;
        var activities = document.GetProperty("activities").EnumerateArray().ToDictionary(a => a.GetProperty("id").GetString()!);
        Assert.Equal("plua", activities["consultation-1"].GetProperty("properties").GetProperty("committee").GetString());
        Assert.Equal("consultation-1", activities["outcomedecision-1"].GetProperty("properties").GetProperty("of").GetString());
        Assert.Equal("Entscheidung", activities["consultation-2"].GetProperty("properties").GetProperty("role").GetString());
        Assert.Contains(document.GetProperty("connections").EnumerateArray(),
            c => c.GetProperty("source").GetString() == "start" && c.GetProperty("target").GetString() == "consultation-1");

        // A second version: the consultation gets a label, saved as a draft; the history says so in words, and v1 can come back.
        await SelectAsync(page, "consultation-1");
        await page.FillAsync("#prop-displayName", "Planungs- und Umweltausschuss");
        await page.Locator("#prop-displayName").PressAsync("Tab");
        await Expect(Node(page, "consultation-1").Locator(".df-node-label")).ToHaveTextAsync("Planungs- und Umweltausschuss");
        await page.ClickAsync("#save-draft");
        await Expect(page.Locator("#result")).ToContainTextAsync("Entwurf gespeichert als Version 2");

        await page.ClickAsync("#open-history");
        await Expect(page.Locator("#versions-table")).ToContainTextAsync("Veröffentlicht");
        await Expect(page.Locator("#diff")).ToContainTextAsync("Schritt 'consultation-1': Bezeichnung „–“ → „Planungs- und Umweltausschuss“");
        await session.ScreenshotAsync("studio-06-versions");
        await page.ClickAsync("#revert-1");
        await Expect(page.Locator("#versions-message")).ToContainTextAsync("Version 1 ist jetzt der Entwurf Version 2");
        await Expect(page.Locator("#diff-empty")).ToBeVisibleAsync();

        // Retracted (published → retracted): new papers no longer start on v1; the history and the service say so.
        await page.ClickAsync("#retract-1");
        await Expect(page.Locator("#versions-message")).ToContainTextAsync("Version 1 ist zurückgezogen: neue Vorlagen starten nicht mehr darauf");
        await Expect(page.Locator("#versions-table tbody tr").Filter(new() { HasText = "Zurückgezogen" })).ToHaveCountAsync(1);
        await Expect(page.Locator("#retract-1")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("studio-06b-version-retracted");
        var retracted = JsonDocument.Parse(await test.ClientFor("admin").GetStringAsync("/api/workflow-definitions")).RootElement
            .EnumerateArray().Single(d => d.GetProperty("definitionId").GetString() == "anfrage");
        Assert.True(!retracted.TryGetProperty("publishedVersion", out var stillPublished) || stillPublished.ValueKind == JsonValueKind.Null);

        await session.GotoAsync("/studio/definitions/beschlussvorlage/migrate");
        await page.ClickAsync("#dry-run");
        await Expect(page.Locator("#migration-summary")).ToContainTextAsync("Probelauf");
        await session.ScreenshotAsync("studio-07-migration-dry-run");

        await page.ClickAsync("#nav-studio-instances");
        await Expect(page.Locator("#instances-table")).ToBeVisibleAsync();
        await session.WaitUntilInteractiveAsync();
        await session.ScreenshotAsync("studio-08-instances");

        await page.Locator("#instances-table a[data-instance]").First.ClickAsync();
        await Expect(page.Locator("#instance-title")).ToBeVisibleAsync();
        await Expect(page.Locator(".df-node.df-mark-current")).ToHaveCountAsync(1);
        await Expect(page.Locator(".df-node.df-mark-done").First).ToBeVisibleAsync();
        await Expect(page.Locator(".diagram-link")).ToHaveCountAsync(14);
        await Expect(page.Locator("#timeline")).ToBeVisibleAsync();
        await session.ScreenshotAsync("studio-10-instance");
    }

    [Fact]
    public async Task HundredActivityWorkflow_OpensInTheDesigner_AndStaysEditable()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var document = Studio.LargeWorkflow.Document();
        using (var content = new StringContent(document, System.Text.Encoding.UTF8, "application/json"))
        {
            var saved = await test.ClientFor("admin").PutAsync("/api/workflow-definitions/gross/draft", content);
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        }

        await using var session = await UiSession.SignInAsync(chromium, test, "admin");
        var page = session.Page;
        var connections = JsonDocument.Parse(document).RootElement.GetProperty("connections").GetArrayLength();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await session.GotoAsync("/studio/definitions/gross");
        await Expect(page.Locator("#designer-canvas")).ToHaveAttributeAsync("data-nodes", "100", new() { Timeout = 60_000 });
        var nodesShown = watch.Elapsed;
        await Expect(page.Locator(".diagram-link")).ToHaveCountAsync(connections, new() { Timeout = 60_000 });
        var linksShown = watch.Elapsed;

        watch.Restart();
        await page.ClickAsync("#auto-layout");
        await page.ClickAsync("#validate");
        await Expect(page.Locator("#validation-ok")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var edited = watch.Elapsed;
        var figure = $"studio (Chromium): 100-activity workflow: nodes shown after {nodesShown.TotalMilliseconds:F0} ms, all {connections} links after " +
                     $"{linksShown.TotalMilliseconds:F0} ms; automatic layout + check {edited.TotalMilliseconds:F0} ms";
        TestContext.Current.TestOutputHelper?.WriteLine(figure);
        File.AppendAllText(Path.Combine(Path.GetDirectoryName(UiSession.ScreenshotFolder)!, "studio-timings.txt"), figure + Environment.NewLine);
        await session.ScreenshotAsync("studio-09-designer-100-activities");
        Assert.True(linksShown < TimeSpan.FromSeconds(30), $"Opening took {linksShown.TotalMilliseconds:F0} ms.");
    }

    [Fact]
    public async Task Admin_ResolvesAnIncident_FromTheFilteredInstanceList()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        // Wolfenbüttel's Haushaltsvorlage asks for an attribute papers do not have: its condition faults.
        var paper = await FaultingWorkflow.RegisterFaultingPaperAsync(test, "2021/017");
        Assert.Equal("Faulted", paper.Workflow!.Status);

        await using var session = await UiSession.SignInAsync(chromium, test, "admin-wf");
        var page = session.Page;
        await session.GotoAsync("/studio/instances");
        await page.Locator("#filter-status .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "Störung" }).ClickAsync();
        await Expect(page.Locator("#instances-table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#instances-table")).ToContainTextAsync("2021/017");
        await page.Locator("#instances-table a[data-instance]").ClickAsync();

        await Expect(page.Locator("#incident")).ToContainTextAsync("paper.budget.total");
        await Expect(page.Locator(".df-node.df-mark-faulted")).ToHaveCountAsync(1);
        // Links are drawn once the browser has measured the ports.
        await Expect(page.Locator(".diagram-link")).ToHaveCountAsync(FaultingWorkflow.Connections);
        await session.ScreenshotAsync("studio-11-incident");

        // Retried while the cause remains, it faults again and says what to do; skipped through "nein", it finishes.
        await page.ClickAsync("#incident-retry");
        await Expect(page.Locator("#instance-message")).ToContainTextAsync("beheben Sie die Ursache");
        await page.Locator("#incident-outcome .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "nein" }).ClickAsync();
        await page.ClickAsync("#incident-skip");
        await Expect(page.Locator("#instance-message")).ToContainTextAsync("Störung behoben");
        await Expect(page.Locator("#instance-status")).ToHaveTextAsync("Beendet");
        Assert.Equal("Finished", (await test.GetPaperAsync("admin-wf", paper.Id)).Workflow!.Status);
    }

    [Fact]
    public async Task Admin_ImportsAWorkflow_SeesEveryProblemWithItsPath_AndExportsIt()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await using var session = await UiSession.SignInAsync(chromium, test, "admin");
        var page = session.Page;
        await session.GotoAsync("/studio");

        var broken = """
            { "definitionId": "kaputt", "version": 1, "name": "Kaputt",
              "activities": [ { "id": "start", "type": "Start" }, { "id": "b", "type": "Consultation", "properties": { "committee": "gibt-es-nicht", "role": "Vorberatung" } } ],
              "connections": [ { "source": "start", "outcome": "Done", "target": "b" } ] }
            """;
        await page.SetInputFilesAsync("#import-file", new FilePayload { Name = "kaputt.json", MimeType = "application/json", Buffer = System.Text.Encoding.UTF8.GetBytes(broken) });
        await Expect(page.Locator("#list-message")).ToContainTextAsync("Nicht gespeichert");
        await Expect(page.Locator("#list-message")).ToContainTextAsync("$.activities[1]");
        await Expect(page.Locator("#list-message")).ToContainTextAsync("no committee 'gibt-es-nicht'");
        await session.ScreenshotAsync("studio-12-import-problems");

        var good = Studio.LargeWorkflow.Document(rounds: 1).Replace("\"gross\"", "\"importiert\"", StringComparison.Ordinal);
        await page.SetInputFilesAsync("#import-file", new FilePayload { Name = "importiert.json", MimeType = "application/json", Buffer = System.Text.Encoding.UTF8.GetBytes(good) });
        await Expect(page.Locator("#list-message")).ToContainTextAsync("importiert als Entwurf Version 1");
        await Expect(page.Locator("#definitions-table")).ToContainTextAsync("importiert");

        await page.FillAsync("#definition-search", "importiert");
        await Expect(page.Locator("#definitions-table tbody tr")).ToHaveCountAsync(1);
        await page.Locator("#definitions-table button", new() { HasText = "Exportieren" }).ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-importiert"));
        Assert.Equal("importiert.v1.json", download.SuggestedFilename);
        var exported = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Equal("importiert", JsonDocument.Parse(exported).RootElement.GetProperty("definitionId").GetString());
    }

    private static ILocator Node(IPage page, string activityId) => page.Locator($".df-node[data-activity='{activityId}']");

    /// <summary>Clicks a step and waits until the property panel shows it (the panel is re-rendered for each step).</summary>
    private static async Task SelectAsync(IPage page, string activityId)
    {
        await Node(page, activityId).Locator(".df-node-label").ClickAsync();
        await Expect(page.Locator("#prop-id")).ToHaveValueAsync(activityId);
    }

    private static async Task RouteAsync(IPage page, string outcome, string target) =>
        await ChooseAsync(page, $".df-port-select[data-outcome={outcome}]", target);

    /// <summary>Opens a MudSelect inside <paramref name="container"/> and picks the item whose text starts with <paramref name="text"/>.</summary>
    private static async Task ChooseAsync(IPage page, string container, string text)
    {
        await page.Locator($"#property-panel {container} .mud-select").First.ClickAsync();
        var item = page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasTextRegex = new System.Text.RegularExpressions.Regex("^\\s*" + System.Text.RegularExpressions.Regex.Escape(text)) });
        await item.First.ClickAsync();
        await Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
    }

    /// <summary>Drags with the mouse as a person does: press on the port, move in steps, release over the target.</summary>
    private static async Task DragAsync(IPage page, ILocator from, ILocator to)
    {
        var a = (await from.BoundingBoxAsync())!;
        var b = (await to.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(a.X + (a.Width / 2), a.Y + (a.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(b.X + 10, b.Y + (b.Height / 2), new MouseMoveOptions { Steps = 12 });
        await page.Mouse.UpAsync();
    }
}
