using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using DeliberationFlow.Tests.OParl;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Integration;

/// <summary>Vorlage bearbeiten: secretaries correct a registered paper; the journal keeps before and after; OParl mirrors follow publicity.</summary>
[Collection(HostCollection.Name)]
public sealed class PaperEditTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Secretary_CorrectsAPaper_TheJournalKeepsBeforeAndAfter(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17401", "Sanierung Stadbad", "Beschlussvorlage", "fb10", null, true, new DateOnly(2021, 4, 1), null));
        var secretary = test.ClientFor("sekretariat-fpa");
        test.Clock.Advance(TimeSpan.FromMinutes(5));

        var response = await secretary.PutAsJsonAsync($"/api/papers/{paper.Id}",
            new EditPaperRequest("Sanierung Stadtbad Nord", "fb20", ["fb10"], new DateOnly(2021, 3, 31), true, "Tippfehler im Titel"));

        await Http.EnsureAsync(response, HttpStatusCode.OK);
        var edited = (await response.Content.ReadFromJsonAsync<PaperDetails>())!;
        Assert.Equal(("Sanierung Stadtbad Nord", "fb20", new DateOnly(2021, 3, 31)), (edited.Name, edited.LeadOffice!.Key, edited.Date));
        Assert.Equal(["fb10"], edited.ParticipatingOffices.Select(o => o.Key));
        Assert.Equal(("21-17401", "Beschlussvorlage"), (edited.Reference, edited.PaperType));
        Assert.Equal(paper.Consultations.Select(c => (c.Committee.Key, c.MeetingId)), edited.Consultations.Select(c => (c.Committee.Key, c.MeetingId)));
        var entry = Assert.Single(edited.Journal, j => j.Kind == "PaperEdited");
        Assert.Equal(("sekretariat-fpa", Berlin.At(2021, 4, 1, 9, 5)), (entry.Actor, entry.Timestamp));
        Assert.StartsWith("Vorlage geändert: Titel „Sanierung Stadbad“ → „Sanierung Stadtbad Nord“; Federführung ", entry.Message, StringComparison.Ordinal);
        Assert.Contains("Datum 01.04.2021 → 31.03.2021", entry.Message, StringComparison.Ordinal);
        Assert.EndsWith("Grund: Tippfehler im Titel", entry.Message, StringComparison.Ordinal);

        // The same particulars again change nothing and add no line.
        var again = await secretary.PutAsJsonAsync($"/api/papers/{paper.Id}",
            new EditPaperRequest("Sanierung Stadtbad Nord", "fb20", ["fb10"], new DateOnly(2021, 3, 31), true));
        Assert.Single((await again.Content.ReadFromJsonAsync<PaperDetails>())!.Journal, j => j.Kind == "PaperEdited");
        Assert.Equal("Sanierung Stadtbad Nord", (await test.GetPaperAsync("ratsmitglied", paper.Id)).Name);
    }

    [Fact]
    public async Task BadEdits_AreRefusedWithEveryField_AndChangeNothing()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17402", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        var url = $"/api/papers/{paper.Id}";

        var bad = await test.ClientFor("admin").PutAsJsonAsync(url, new EditPaperRequest(" ", "fb99", ["fb10", "zz"], null, null));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors;
        Assert.Equal(["date", "isPublic", "leadOffice", "name", "participatingOffices[1]"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("known offices", errors["leadOffice"][0], StringComparison.Ordinal);
        var lead = await test.ClientFor("admin").PutAsJsonAsync(url, new EditPaperRequest("Titel", "fb10", ["fb10"], new DateOnly(2021, 4, 1), true));
        Assert.Contains("lead office", (await lead.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors["participatingOffices[0]"][0], StringComparison.Ordinal);
        var tooLong = await test.ClientFor("admin").PutAsJsonAsync(url, new EditPaperRequest(new string('x', 1001), "fb10", null, new DateOnly(2021, 4, 1), true));
        Assert.Equal(["name"], (await tooLong.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);

        // Councillors do not edit; another body's admin does not find it; a paper nobody registered is not found.
        var valid = new EditPaperRequest("Neuer Titel", "fb10", null, new DateOnly(2021, 4, 1), true);
        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("ratsmitglied").PutAsJsonAsync(url, valid)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await test.ClientFor("admin-wf").PutAsJsonAsync(url, valid)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await test.ClientFor("admin").PutAsJsonAsync($"/api/papers/{Guid.NewGuid()}", valid)).StatusCode);

        var unchanged = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal(("Sanierung Stadtbad", "fb10", true), (unchanged.Name, unchanged.LeadOffice!.Key, unchanged.IsPublic));
        Assert.DoesNotContain(unchanged.Journal, j => j.Kind == "PaperEdited");
    }

    [Fact]
    public async Task ImplausibleDates_AreRefusedOnRegistrationAndEdit_AndChangeNothing_AnOlderImportedDateMayBeKept()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17403", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, new DateOnly(2021, 4, 1), null));
        var url = $"/api/papers/{paper.Id}";

        foreach (var (date, i) in new[] { DateOnly.MinValue, DateOnly.MaxValue, new DateOnly(1989, 12, 31), new DateOnly(2100, 1, 1) }.Select((d, i) => (d, i)))
        {
            var registered = await admin.PostAsJsonAsync("/api/papers", new RegisterPaperRequest($"21-1741{i}", "Vorlage", "Beschlussvorlage", "fb10", null, true, date, null));
            await Http.EnsureAsync(registered, HttpStatusCode.BadRequest);
            Assert.Contains("1990 to 2099", Assert.Single((await registered.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors["date"]), StringComparison.Ordinal);
            var edited = await admin.PutAsJsonAsync(url, new EditPaperRequest("Neuer Titel", "fb10", null, date, true));
            await Http.EnsureAsync(edited, HttpStatusCode.BadRequest);
            Assert.Equal(["date"], (await edited.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
        }

        Assert.Equal(0, await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Papers.CountAsync(p => p.Reference.StartsWith("21-1741"))));
        var unchanged = await test.GetPaperAsync("admin", paper.Id);
        Assert.Equal(("Sanierung Stadtbad", new DateOnly(2021, 4, 1)), (unchanged.Name, unchanged.Date));
        Assert.DoesNotContain(unchanged.Journal, j => j.Kind == "PaperEdited");

        // A paper an import brought with an older date keeps it through an edit of its title.
        await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Papers.Where(p => p.Id == paper.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Date, new DateOnly(1985, 6, 1))));
        var kept = await admin.PutAsJsonAsync(url, new EditPaperRequest("Sanierung Stadtbad Nord", "fb10", null, new DateOnly(1985, 6, 1), true));
        await Http.EnsureAsync(kept, HttpStatusCode.OK);
        Assert.Equal(("Sanierung Stadtbad Nord", new DateOnly(1985, 6, 1)), ((await kept.Content.ReadFromJsonAsync<PaperDetails>())!.Name, (await test.GetPaperAsync("admin", paper.Id)).Date));
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task APaperMadeNonPublic_LeavesOParlAsDeleted_AndComesBackWhenPublicAgain(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17403", "Grundstücksverkauf Am Hang 3", "Beschlussvorlage", "fb10", null, true, null, null));
        var secret = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17404", "Personalangelegenheit", "Beschlussvorlage", "fb10", null, false, null, null));
        var client = test.App.CreateClient();
        var body = await OParlInterfaceTests.BodyAsync(client);
        var (papersUrl, meetingsUrl) = ((string)body["paper"]!, (string)body["meeting"]!);
        var paperUrl = $"http://localhost/oparl/paper/{paper.Id}";
        var consultationUrl = $"http://localhost/oparl/consultation/{paper.Consultations[0].Id}";
        var meetingUrl = $"http://localhost/oparl/meeting/{paper.Consultations[0].MeetingId}";
        Assert.Contains("Am Hang 3", (await OParlInterfaceTests.GetAsync(client, meetingUrl)).ToJsonString(), StringComparison.Ordinal);
        var itemUrl = $"http://localhost/oparl/agendaItem/{paper.Consultations[0].Id}";
        Assert.Contains("Am Hang 3", (string)(await OParlInterfaceTests.GetAsync(client, itemUrl))["name"]!, StringComparison.Ordinal);

        test.Clock.Advance(TimeSpan.FromHours(1));
        var since = Uri.EscapeDataString("2021-04-01T09:30:00+02:00");
        await Http.EnsureAsync(await test.ClientFor("admin").PutAsJsonAsync($"/api/papers/{paper.Id}",
            new EditPaperRequest(paper.Name, "fb10", null, paper.Date, false, "Personenbezogene Daten")), HttpStatusCode.OK);

        // Without a filter it is gone; a mirror asking what changed learns it was deleted, and nothing else (the demo data
        // has changes of its own after 09:30: its history runs until May).
        Assert.DoesNotContain(References(await OParlInterfaceTests.GetAsync(client, papersUrl)), r => r is "21-17403" or "21-17404");
        var changed = (await OParlInterfaceTests.GetAsync(client, $"{papersUrl}?modified_since={since}"))["data"]!.AsArray();
        var tombstone = Assert.Single(changed, p => (string)p!["id"]! == paperUrl)!.AsObject();
        Assert.All(changed, p => Assert.NotEqual($"http://localhost/oparl/paper/{secret.Id}", (string)p!["id"]!));
        Assert.Equal((paperUrl, true), ((string)tombstone["id"]!, (bool)tombstone["deleted"]!));
        Assert.Null(tombstone["name"]);
        Assert.Equal("2021-04-01T10:00:00+02:00", (string)tombstone["modified"]!);
        Assert.True((bool)(await OParlInterfaceTests.GetAsync(client, paperUrl))["deleted"]!);
        var consultation = await OParlInterfaceTests.GetAsync(client, consultationUrl);
        Assert.True((bool)consultation["deleted"]!);
        Assert.Null(consultation["organization"]);

        // Its meeting counts as changed and comes without the item; the paper that was never public is never mentioned.
        var meetings = (await OParlInterfaceTests.GetAsync(client, $"{meetingsUrl}?modified_since={since}"))["data"]!.AsArray();
        Assert.Contains(meetings, m => (string)m!["id"]! == meetingUrl);
        Assert.DoesNotContain("Am Hang 3", meetings.ToJsonString(), StringComparison.Ordinal);
        var consultations = (await OParlInterfaceTests.GetAsync(client, $"{(string)body["consultation"]!}?modified_since={since}"))["data"]!.AsArray();
        Assert.Contains(consultationUrl, consultations.Select(c => (string)c!["id"]!));
        Assert.DoesNotContain(consultations, c => (string)c!["id"]! == $"http://localhost/oparl/consultation/{secret.Consultations[0].Id}");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"http://localhost/oparl/paper/{secret.Id}")).StatusCode);

        // Its agenda item, which mirrors may keep apart from the meeting, is deleted there too (the secret paper's is never served).
        var itemsUrl = (string)body["agendaItem"]!;
        var items = (await OParlInterfaceTests.GetAsync(client, $"{itemsUrl}?modified_since={since}"))["data"]!.AsArray();
        var itemTombstone = Assert.Single(items, i => (string)i!["id"]! == itemUrl)!.AsObject();
        Assert.Equal((true, "2021-04-01T10:00:00+02:00"), ((bool)itemTombstone["deleted"]!, (string)itemTombstone["modified"]!));
        Assert.Null(itemTombstone["name"]);
        Assert.DoesNotContain(items, i => (string)i!["id"]! == $"http://localhost/oparl/agendaItem/{secret.Consultations[0].Id}");
        Assert.DoesNotContain(itemUrl, (await OParlInterfaceTests.GetAsync(client, itemsUrl)).ToJsonString(), StringComparison.Ordinal);
        Assert.True((bool)(await OParlInterfaceTests.GetAsync(client, itemUrl))["deleted"]!);

        // Public again: served in full.
        test.Clock.Advance(TimeSpan.FromHours(1));
        await Http.EnsureAsync(await test.ClientFor("admin").PutAsJsonAsync($"/api/papers/{paper.Id}",
            new EditPaperRequest(paper.Name, "fb10", null, paper.Date, true)), HttpStatusCode.OK);
        var back = await OParlInterfaceTests.GetAsync(client, paperUrl);
        Assert.Equal(("21-17403", null), ((string)back["reference"]!, back["deleted"]));
        Assert.Contains("21-17403", References(await OParlInterfaceTests.GetAsync(client, papersUrl)));
        Assert.Contains("Am Hang 3", (await OParlInterfaceTests.GetAsync(client, meetingUrl)).ToJsonString(), StringComparison.Ordinal);
        Assert.Null((await OParlInterfaceTests.GetAsync(client, itemUrl))["deleted"]);
    }

    private static List<string> References(JsonObject page) =>
        page["data"]!.AsArray().Select(p => (string?)p!["reference"] ?? "").ToList();
}
