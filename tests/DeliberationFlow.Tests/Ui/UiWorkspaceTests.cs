using System.Net.Http.Json;
using System.Text.RegularExpressions;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>The secretaries' workspace in the browser: after a meeting, all outcomes on one screen, and the papers move on.</summary>
[Collection(HostCollection.Name)]
public sealed class UiWorkspaceTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Secretary_RecordsTheOutcomesOfAMeeting_AndSeesThePapersMoveOn_WhileAnotherCommitteesSecretaryIsRefused()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await test.RegisterAsync("admin", new RegisterPaperRequest("21-60001", "Radverkehrskonzept 2030", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.RegisterAsync("admin", new RegisterPaperRequest("21-60003", "Neubau Feuerwache Süd", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.MoveClockToAsync(Berlin.At(2021, 4, 30, 9, 0));
        await using var fpa = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");

        // The day after the meeting, both outcomes are overdue, with the reason.
        await fpa.GotoAsync("/workspace");
        var attention = fpa.Page.Locator("#attention tbody tr");
        await Expect(attention.Filter(new() { HasText = "21-60001" })).ToContainTextAsync("Die Sitzung vom 29.04.2021 ist vorbei, das Ergebnis ist noch nicht erfasst.");
        await Expect(attention.Filter(new() { HasText = "21-60003" })).ToContainTextAsync("Überfällig");
        await fpa.ScreenshotAsync("workspace");

        await fpa.Page.Locator("#meetings tbody tr", new() { HasText = "29.04.2021" }).Locator(".open-outcomes").ClickAsync();
        await Expect(fpa.Page).ToHaveURLAsync(new Regex("/workspace/meetings/[0-9a-f-]+/outcomes$"));
        await fpa.WaitUntilInteractiveAsync();
        var outcomesUrl = fpa.Page.Url;

        var first = fpa.Page.Locator("[data-reference='21-60001']");
        await first.Locator("button[data-outcome='Adopted']").ClickAsync();
        await first.Locator(".votes-for input").FillAsync("9");
        await first.Locator(".votes-against input").FillAsync("0");
        await first.Locator(".abstentions input").FillAsync("0");
        await first.Locator(".resolution-text textarea").FillAsync("Der Rat beschließt das Radverkehrskonzept 2030.");
        await Expect(first.Locator(".tally")).ToHaveTextAsync("9 Ja, 0 Nein, 0 Enthaltungen – einstimmig");
        var second = fpa.Page.Locator("[data-reference='21-60003']");
        await second.Locator(".result-text input").FillAsync("vertagt auf Antrag der Fraktion");
        await Expect(second).ToContainTextAsync("erkannt: vertagt");
        await fpa.ScreenshotAsync("outcomes-entered");

        await fpa.Page.Locator("#save-outcomes").ClickAsync();

        var summary = fpa.Page.Locator("#save-summary");
        await Expect(summary).ToContainTextAsync("2 von 2 Ergebnissen gespeichert.");
        await Expect(summary).ToContainTextAsync("21-60001: weiter in „Verwaltungsausschuss“ (Vorberatung), Sitzung am 04.05.2021.");
        await Expect(summary).ToContainTextAsync("21-60003: weiter in „Finanz- und Personalausschuss“");
        await Expect(first.Locator(".saved-chip")).ToHaveTextAsync("beschlossen");
        await fpa.ScreenshotAsync("outcomes-saved");

        // The paper page shows the decision and the next step.
        await fpa.GotoAsync("/papers/21-60001");
        var rows = fpa.Page.Locator("#beratungsfolge tbody tr");
        await Expect(rows.Nth(0)).ToContainTextAsync("beschlossen");
        await Expect(rows.Nth(1)).ToContainTextAsync("Geplant");
        await Expect(rows.Nth(1)).ToContainTextAsync("04.05.2021");
        var recorded = await test.GetPaperAsync("admin", (await test.GetPaperByReferenceAsync("21-60001")).Id);
        Assert.Equal((9, 0, 0, true), (recorded.Consultations[0].Votes!.For, recorded.Consultations[0].Votes!.Against, recorded.Consultations[0].Votes!.Abstentions, recorded.Consultations[0].Votes!.Unanimous));
        Assert.Equal("Der Rat beschließt das Radverkehrskonzept 2030.", recorded.Consultations[0].ResolutionText);

        // The VA's secretary cannot open the FPA's outcome screen: refused, and nothing of its agenda shows.
        await using var va = await UiSession.SignInAsync(chromium, test, "sekretariat-va");
        await va.GotoAsync(new Uri(outcomesUrl).PathAndQuery);
        await Expect(va.Page.Locator("#no-access")).ToContainTextAsync("erfasst nur dessen Sitzungsdienst");
        await Expect(va.Page.Locator("#save-outcomes")).ToHaveCountAsync(0);
        await Expect(va.Page.Locator("[data-reference='21-60001']")).ToHaveCountAsync(0);
        await va.ScreenshotAsync("outcomes-refused");
    }

    [Fact]
    public async Task BeforeTheMeetingBegins_TheOutcomeScreenSaysSo_AndTakesOnlyAWithdrawal()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-60011", "Neubau Feuerwache Nord", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 9, 0));
        await using var fpa = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");

        // The morning of the FPA meeting (15:00): nothing has been decided yet.
        await fpa.GotoAsync($"/workspace/meetings/{paper.Consultations[0].MeetingId}/outcomes");
        await fpa.WaitUntilInteractiveAsync();
        await Expect(fpa.Page.Locator("#meeting-not-begun")).ToContainTextAsync("Die Sitzung hat noch nicht begonnen.");
        await Expect(fpa.Page.Locator("#defer-rest")).ToBeDisabledAsync();
        var item = fpa.Page.Locator("[data-reference='21-60011']");
        await item.Locator("button[data-outcome='Adopted']").ClickAsync();
        await Expect(item.Locator(".outcome-problem")).ToContainTextAsync("vor ihrem Beginn lässt sich nur „zurückgezogen“ oder „abgesetzt“ erfassen");
        await Expect(fpa.Page.Locator("#save-outcomes")).ToBeDisabledAsync();
        await fpa.ScreenshotAsync("outcomes-before-meeting");

        // The administration has withdrawn the paper: that needs no vote, and it is saved.
        await item.Locator("button[data-outcome='Withdrawn']").ClickAsync();
        await fpa.Page.Locator("#save-outcomes").ClickAsync();

        await Expect(fpa.Page.Locator("#save-summary")).ToContainTextAsync("1 von 1 Ergebnissen gespeichert.");
        Assert.Equal("Withdrawn", (await test.GetPaperAsync("admin", paper.Id)).Consultations[0].Outcome);
    }

    [Fact]
    public async Task Secretary_ReordersTheDraftAgenda_AndTheUseCaseKeepsTheNewOrder()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var first = await test.RegisterAsync("admin", new RegisterPaperRequest("21-60001", "Radverkehrskonzept 2030", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.RegisterAsync("admin", new RegisterPaperRequest("21-60003", "Neubau Feuerwache Süd", "Beschlussvorlage", "fb10", null, true, null, null));
        await using var fpa = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");
        await fpa.GotoAsync("/workspace");
        await fpa.Page.Locator("#meetings tbody tr", new() { HasText = "29.04.2021" }).Locator(".open-agenda").ClickAsync();
        await fpa.WaitUntilInteractiveAsync();
        var rows = fpa.Page.Locator("#agenda tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Nth(2)).ToContainTextAsync("21-60003");

        await rows.Nth(2).Locator(".move-up").ClickAsync();
        await rows.Nth(1).Locator(".move-up").ClickAsync();
        await Expect(rows.Nth(0)).ToContainTextAsync("21-60003");
        await fpa.Page.Locator("#agenda-save").ClickAsync();
        await Expect(fpa.Page.Locator(".mud-snackbar")).ToContainTextAsync("Reihenfolge gespeichert.");
        await fpa.ScreenshotAsync("agenda");

        var agenda = await test.ClientFor("sekretariat-fpa").GetFromJsonAsync<DeliberationFlow.Council.Meetings.AgendaView>(
            $"/api/meetings/{first.Consultations[0].MeetingId}/agenda");
        Assert.Equal(["21-60003", "21-15813", "21-60001"], agenda!.Items.Select(i => i.PaperReference));
        Assert.Equal(["Ö 1", "Ö 2", "Ö 3"], agenda.Items.Select(i => i.Number));
    }

    [Fact]
    public async Task Secretary_WithdrawsAnItem_AddsALatePaperAsNachtrag_AndFixesTheAgenda()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var kept = await test.RegisterAsync("admin", new RegisterPaperRequest("21-60011", "Radverkehrskonzept 2030", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.RegisterAsync("admin", new RegisterPaperRequest("21-60012", "Neubau Feuerwache Süd", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.MoveClockToAsync(Berlin.At(2021, 4, 16, 9));
        var late = await test.RegisterAsync("admin", new RegisterPaperRequest("21-60013", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        Assert.Equal("10.06.2021", late.Consultations[0].Date);
        var meetingId = kept.Consultations[0].MeetingId;

        await using var fpa = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");
        await fpa.GotoAsync($"/workspace/meetings/{meetingId}");
        var rows = fpa.Page.Locator("#agenda tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Filter(new() { HasText = "21-15813" }).Locator("button.withdraw")).ToHaveCountAsync(0);

        // Withdrawn: the Feuerwache goes to 10.06.
        await rows.Filter(new() { HasText = "21-60012" }).Locator("button.withdraw").ClickAsync();
        await Expect(fpa.Page.Locator(".mud-snackbar")).ToContainTextAsync("Abgesetzt: die Vorlage geht in die nächste Sitzung des Gremiums.");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Filter(new() { HasText = "21-60012" })).ToHaveCountAsync(0);

        // The Stadtbad came in after the Vorlagenfrist: the picker says so, and it goes on only as a Nachtrag.
        await fpa.Page.Locator("#agenda-add .mud-select").First.ClickAsync();
        await fpa.Page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "21-60013" }).ClickAsync();
        await Expect(fpa.Page.Locator("#deadline-missed")).ToContainTextAsync("Die Vorlagenfrist (15.04.2021 15:00) ist versäumt");
        await Expect(fpa.Page.Locator("#agenda-add-button")).ToBeDisabledAsync();
        await fpa.Page.Locator(".late-addition-box input[type=checkbox]").CheckAsync();
        await Expect(fpa.Page.Locator("#agenda-add-button")).ToBeEnabledAsync();
        await fpa.ScreenshotAsync("agenda-add-late");
        await fpa.Page.Locator("#agenda-add-button").ClickAsync();
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Filter(new() { HasText = "21-60013" })).ToContainTextAsync("Nachtrag");

        await fpa.Page.Locator("#agenda-lock").ClickAsync();
        await Expect(fpa.Page.Locator("#agenda-locked")).ToContainTextAsync("festgeschrieben (am 16.04.2021 09:00 von sekretariat-fpa)");
        await Expect(fpa.Page.Locator("button.withdraw")).ToHaveCountAsync(0);
        await Expect(fpa.Page.Locator("#agenda-add")).ToHaveCountAsync(0);
        await Expect(fpa.Page.Locator("#agenda-unlock")).ToBeVisibleAsync();
        await fpa.ScreenshotAsync("agenda-fixed");

        var agenda = await test.ClientFor("sekretariat-fpa").GetFromJsonAsync<DeliberationFlow.Council.Meetings.AgendaView>($"/api/meetings/{meetingId}/agenda");
        Assert.Equal([("21-15813", false), ("21-60011", false), ("21-60013", true)], agenda!.Items.Select(i => (i.PaperReference, i.LateAddition)));
        Assert.Equal(("sekretariat-fpa", true), (agenda.LockedBy, agenda.Locked));
        Assert.Equal("10.06.2021", (await test.GetPaperByReferenceAsync("21-60012")).Consultations[0].Date);
    }

    [Fact]
    public async Task Workspace_ShowsADecisionBlockedByTheHearingOfTheStadtbezirksraete_WithTheReason()
    {
        await using var test = await TestApp.StartForBrowserAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 3, 20, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest(
            "21-30004", "Bebauungsplan „Holzmoor-Nord“, HA 141", "Bebauungsplan", "fb61", null, true, null, null));
        var sbr112 = paper.Consultations.Single(c => c.Committee.Key == "sbr-112");
        await test.MoveClockToAsync(sbr112.MeetingStart!.Value.AddDays(1));

        await using var plua = await UiSession.SignInAsync(chromium, test, "sekretariat-plua");
        await plua.GotoAsync("/workspace");

        var rows = plua.Page.Locator("#attention tbody tr", new() { HasText = "21-30004" });
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Filter(new() { HasText = "Stadtbezirksrat 112" })).ToContainTextAsync("Überfällig");
        var blocked = rows.Filter(new() { HasText = "Blockiert" });
        await Expect(blocked).ToContainTextAsync("Die Anhörung im Stadtbezirksrat 120 Östliches Ringgebiet (§ 94 NKomVG) steht aus");
        await Expect(blocked).ToContainTextAsync("die weitere Beratung wartet darauf.");
        await plua.ScreenshotAsync("workspace-blocked");

        // Another committee's secretary, not involved in the paper, is not bothered with it.
        await using var fpa = await UiSession.SignInAsync(chromium, test, "sekretariat-fpa");
        await fpa.GotoAsync("/workspace");
        await Expect(fpa.Page.Locator("#meetings")).ToBeVisibleAsync();
        await Expect(fpa.Page.Locator("#attention tbody tr", new() { HasText = "21-30004" })).ToHaveCountAsync(0);
    }
}
