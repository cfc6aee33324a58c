using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.OParl;

/// <summary>The OParl 1.1 read interface: the whole demo graph, public data only, lists, filters and soft deletion.</summary>
[Collection(HostCollection.Name)]
public sealed class OParlInterfaceTests
{
    private const string System = "http://localhost/oparl/system";

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task WholeGraph_FromSystem_ValidatesAgainstTheOParlSchemas_AndHoldsNoNonPublicPaper(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var confidential = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Papers.SingleAsync(p => p.Reference == "21-15490"));
        var confidentialItems = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Consultations
            .Where(c => c.PaperId == confidential.Id).Select(c => c.Id).ToListAsync());

        // Anonymous, as a civic portal reads it.
        var walk = await OParlWalk.FromAsync(test.App.CreateClient(), System);

        var schemas = new OParlSchemas();
        var problems = walk.Responses.SelectMany(r => r.Value["data"] is JsonArray data
            ? data.OfType<JsonObject>().SelectMany((o, i) => schemas.Problems(o, $"{r.Key} data[{i}]"))
            : schemas.Problems(r.Value, r.Key)).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(40)));

        var types = walk.Objects.Values.GroupBy(o => ((string)o["type"]!).Split('/')[^1]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["AgendaItem", "Body", "Consultation", "File", "LegislativeTerm", "Location", "Meeting", "Membership", "Organization", "Paper", "Person", "System"],
            types.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, types["Body"]);
        Assert.Equal(["21-15513", "21-15513-01", "21-15813"], walk.Objects.Values.Where(o => o["reference"] is not null).Select(o => (string)o["reference"]!).Order(StringComparer.Ordinal));

        // The demo's Vorlage of 21-15813: the paper's mainFile, a PDF whose text is served, and whose bytes are that PDF.
        var vorlage = walk.Objects.Values.Single(o => (string?)o["type"] == "https://schema.oparl.org/1.1/File");
        var decisionPaper = walk.Objects.Values.Single(o => (string?)o["reference"] == "21-15813");
        Assert.Equal((string)vorlage["id"]!, (string)decisionPaper["mainFile"]!["id"]!);
        Assert.Equal(("application/pdf", "2021-04-01"), ((string)vorlage["mimeType"]!, (string)vorlage["date"]!));
        Assert.Contains("Einrichtung einer Stabsstelle", (string)vorlage["text"]!, StringComparison.Ordinal);
        var pdf = await test.App.CreateClient().GetByteArrayAsync((string)vorlage["downloadUrl"]!);
        Assert.Equal(((long)vorlage["size"]!, "%PDF-"), (pdf.LongLength, Encoding.ASCII.GetString(pdf, 0, 5)));

        // The non-public paper is not there: not its reference, not its name, not its id nor those of its consultation.
        var everything = string.Join("\n", walk.Texts);
        Assert.DoesNotContain("21-15490", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("Grundstücksangelegenheit", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(confidential.Id.ToString(), everything, StringComparison.Ordinal);
        Assert.All(confidentialItems, id => Assert.DoesNotContain(id.ToString(), everything, StringComparison.Ordinal));
        var client = test.App.CreateClient();
        foreach (var url in new[] { $"/oparl/paper/{confidential.Id}", $"/oparl/consultation/{confidentialItems[0]}", $"/oparl/agendaItem/{confidentialItems[0]}" })
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("https://schema.oparl.org/1.1/Error", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]!);
        }

        // Its meeting (FPA, 11.03.2021, public and non-public part) is served with its public part only, which is empty.
        var fpa = walk.Objects.Values.Single(o => (string?)o["type"] == "https://schema.oparl.org/1.1/Meeting" && ((string)o["start"]!).StartsWith("2021-03-11", StringComparison.Ordinal));
        Assert.Null(fpa["agendaItem"]);
        var consultationsPage = walk.Responses.Single(r => r.Key.EndsWith("/consultations", StringComparison.Ordinal) && r.Value["data"]!.AsArray().Count > 0).Value;
        Assert.Equal(4, (int)consultationsPage["pagination"]!["totalElements"]!);

        // 21-15513 and its Stellungnahme 21-15513-01 (superordinated, subordinated), related to the staffing decision 21-15813.
        var byReference = walk.Objects.Values.Where(o => o["reference"] is not null).ToDictionary(o => (string)o["reference"]!);
        string Id(string reference) => (string)byReference[reference]["id"]!;
        Assert.Equal([Id("21-15513-01")], byReference["21-15513"]["subordinatedPaper"]!.AsArray().Select(u => (string)u!));
        Assert.Equal([Id("21-15513")], byReference["21-15513-01"]["superordinatedPaper"]!.AsArray().Select(u => (string)u!));
        Assert.Equal([Id("21-15813")], byReference["21-15513-01"]["relatedPaper"]!.AsArray().Select(u => (string)u!));
        Assert.Equal([Id("21-15513-01")], byReference["21-15813"]["relatedPaper"]!.AsArray().Select(u => (string)u!));

        // The Beratungsfolge of 21-15813: FPA (public part, with its result), VA (in private: its meeting, but no agenda item,
        // status or outcome), Rat.
        var steps = byReference["21-15813"]["consultation"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.Equal(["Vorberatung", "Vorberatung", "Entscheidung"], steps.Select(c => (string)c["role"]!));
        Assert.Equal(["Done", null, "Planned"], steps.Select(c => (string?)c["deliberationflow:status"]));
        Assert.Equal("Adopted", (string?)steps[0]["deliberationflow:outcome"]);
        Assert.NotNull(steps[1]["meeting"]);
        Assert.Null(steps[1]["agendaItem"] ?? steps[1]["deliberationflow:outcome"]);
        var fpaItem = walk.Objects[(string)steps[0]["agendaItem"]!];
        Assert.Equal(("einstimmig beschlossen", "Adopted", true), ((string)fpaItem["result"]!, (string)fpaItem["deliberationflow:outcome"]!, (bool)fpaItem["public"]!));
        Assert.Equal((string)steps[0]["id"]!, (string)fpaItem["consultation"]!);
    }

    [Fact]
    public async Task AStepDeliberatedInPrivate_ServesItsMeetingsDateButNeitherItsStatusNorWhoSat()
    {
        // 21-15813 is public; its second step was taken by the Verwaltungsausschuss on 04.05.2021, which sits in private
        // (§ 78 (2) NKomVG). A user of the body sees how it went (the paper is public); OParl's anonymous readers see that
        // and when the VA had it, as every council's information system shows the Beratungsfolge, and nothing more.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 5, 10, 9));
        var (paperId, step) = await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var paper = await db.Papers.SingleAsync(p => p.Reference == "21-15813");
            return (paper.Id, await db.Consultations.Where(c => c.PaperId == paper.Id).OrderBy(c => c.Position).Skip(1).FirstAsync());
        });
        var meetingId = step.MeetingId!.Value;
        Assert.Equal(DeliberationFlow.Council.Model.MeetingPublicity.NonPublic, await test.App.WithScopeAsync(sp =>
            sp.GetRequiredService<DeliberationDbContext>().Meetings.Where(m => m.Id == meetingId).Select(m => m.Publicity).SingleAsync()));
        Assert.Equal("Done", (await test.GetPaperAsync("ratsmitglied", paperId)).Consultations[1].Status);

        var client = test.App.CreateClient();
        var embedded = (await GetAsync(client, $"http://localhost/oparl/paper/{paperId}"))["consultation"]!.AsArray()[1]!.AsObject();
        var own = await GetAsync(client, $"http://localhost/oparl/consultation/{step.Id}");
        foreach (var served in new[] { embedded, own })
        {
            // The step is there, with its committee, role and meeting, and nothing of how it went.
            Assert.Equal("Vorberatung", (string)served["role"]!);
            Assert.Equal($"http://localhost/oparl/meeting/{meetingId}", (string?)served["meeting"]);
            Assert.Null(served["agendaItem"] ?? served["deliberationflow:status"] ?? served["deliberationflow:statusLabel"]
                        ?? served["deliberationflow:outcome"] ?? served["result"]);
            Assert.DoesNotContain("beschlossen", served.ToJsonString(), StringComparison.Ordinal);
        }

        // The meeting is served with its date, but without agenda items or those who sat in it.
        var meeting = await GetAsync(client, $"http://localhost/oparl/meeting/{meetingId}");
        Assert.StartsWith("2021-05-04", (string)meeting["start"]!, StringComparison.Ordinal);
        Assert.True(meeting["agendaItem"] is null || meeting["agendaItem"]!.AsArray().Count == 0, meeting.ToJsonString());
        Assert.True(meeting["participant"] is null || meeting["participant"]!.AsArray().Count == 0, meeting.ToJsonString());
        Assert.DoesNotContain("21-15813", meeting.ToJsonString(), StringComparison.Ordinal);
        var items = await GetAsync(client, $"{(string)(await BodyAsync(client))["agendaItem"]!}?limit=1000");
        Assert.DoesNotContain(meetingId.ToString(), items.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStepDecidedByCirculation_IsServedSchemaValid_AsAStepOfTheVa_AndNothingOfTheCirculationLeaks()
    {
        // The VA decides a public Beschlussvorlage by Umlaufverfahren (§ 78(3) NKomVG). OParl's anonymous readers see that the
        // VA had it, as for any of its steps, and the Rat's step that followed; not the proposal, the Frist, the tally, who
        // was asked or answered, nor that it was decided without a meeting.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var (paper, va) = await Integration.CirculationTests.VaStepOnDraftAgendaAsync(test, "21-16120");
        await Integration.CirculationTests.AddMemberAccountsAsync(test);
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 30, 10, 0));
        const string Proposal = "Der Verwaltungsausschuss empfiehlt dem Rat die Neuordnung der Stabsstelle (Umlauf).";
        await Http.EnsureAsync(await test.ClientFor("sekretariat-va").PostAsJsonAsync($"/api/consultations/{va.Id}/circulation",
            new DeliberationFlow.Council.Circulations.StartCirculationRequest(Proposal, "2021-05-12T12:00")), HttpStatusCode.Created);
        test.Clock.SetUtcNow(Berlin.At(2021, 5, 3, 9, 0));
        foreach (var (user, _) in Integration.CirculationTests.VaMembers)
        {
            await Http.EnsureAsync(await test.App.ClientFor(user, Integration.CirculationTests.Password).PostAsJsonAsync(
                $"/api/consultations/{va.Id}/circulation/answer", new DeliberationFlow.Council.Circulations.AnswerCirculationRequest("For")), HttpStatusCode.OK);
        }

        var decided = await test.GetPaperAsync("sekretariat-va", paper.Id);
        Assert.Equal(("Done", "beschlossen"), (decided.Consultations.Single(c => c.Id == va.Id).Status, decided.Consultations.Single(c => c.Id == va.Id).ResultText));
        var rat = decided.Consultations[^1];

        var client = test.App.CreateClient();
        var served = await GetAsync(client, $"http://localhost/oparl/paper/{paper.Id}");
        var own = await GetAsync(client, $"http://localhost/oparl/consultation/{va.Id}");
        var schemas = new OParlSchemas();
        Assert.Empty(schemas.Problems(served, "paper decided by circulation in the VA"));
        Assert.Empty(schemas.Problems(own, "consultation decided by circulation"));

        // The paper's Beratungsfolge holds the VA's step (no meeting: there was none) and the Rat's that followed.
        var steps = served["consultation"]!.AsArray().Select(c => c!.AsObject()).ToList();
        var embedded = steps.Single(c => (string)c["id"]! == $"http://localhost/oparl/consultation/{va.Id}");
        Assert.Contains(steps, c => (string)c["id"]! == $"http://localhost/oparl/consultation/{rat.Id}");
        foreach (var step in new[] { embedded, own })
        {
            Assert.Null(step["meeting"] ?? step["agendaItem"]);
            Assert.Contains("/oparl/organization/", step["organization"]!.ToJsonString(), StringComparison.Ordinal);
        }

        var everything = served.ToJsonString() + own.ToJsonString();
        foreach (var secret in new[] { Proposal, "Umlauf", "circulation", "12.05.2021", "2021-05-12", "Tobias Muster", "Murat Kaya" })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.OrdinalIgnoreCase);
        }

        // How the VA decided stays in private, as for a step decided in its meetings (the FPA's public one is served).
        Assert.All(new[] { embedded, own }, step => Assert.DoesNotContain("beschlossen", step.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStepDeliberatedInPrivate_ItsModifiedTellsNeitherWhenItWasDecidedNorWhenItsMinutesWereCorrected()
    {
        // 21-15813's VA step: the VA met in private on 04.05.2021 at 15:00; the outcome was recorded at 17:00.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 5, 10, 9));
        var (paperId, step) = await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var paper = await db.Papers.SingleAsync(p => p.Reference == "21-15813");
            return (paper.Id, await db.Consultations.Where(c => c.PaperId == paper.Id).OrderBy(c => c.Position).Skip(1).FirstAsync());
        });
        var client = test.App.CreateClient();
        var body = await BodyAsync(client);
        var stepUrl = $"http://localhost/oparl/consultation/{step.Id}";
        var paperUrl = $"http://localhost/oparl/paper/{paperId}";

        // Served as of its meeting's start, which the meeting itself serves; not at the minute the outcome was recorded.
        Assert.Equal("2021-05-04T15:00:00+02:00", (string)(await GetAsync(client, stepUrl))["modified"]!);
        var paperBefore = (string)(await GetAsync(client, paperUrl))["modified"]!;

        // The VA's Sitzungsdienst corrects the minutes' wording (Protokollberichtigung): nothing served of the step changes,
        // and neither the step, nor its paper, nor any list filtered on modified_since shows that something happened.
        await test.MoveClockToAsync(Berlin.At(2021, 5, 10, 10));
        await Http.EnsureAsync(await test.ClientFor("sekretariat-va").PostAsJsonAsync($"/api/consultations/{step.Id}/outcome/correction",
            new DeliberationFlow.Council.Consultations.CorrectOutcomeRequest("Schreibfehler im Protokoll", "einstimmig beschlossen")), HttpStatusCode.OK);
        Assert.Equal("Adopted", (await test.GetPaperAsync("ratsmitglied", paperId)).Consultations[1].Outcome);

        Assert.Equal("2021-05-04T15:00:00+02:00", (string)(await GetAsync(client, stepUrl))["modified"]!);
        var paper = await GetAsync(client, paperUrl);
        Assert.Equal(paperBefore, (string)paper["modified"]!);
        Assert.Equal("2021-05-04T15:00:00+02:00", (string)paper["consultation"]!.AsArray()[1]!["modified"]!);
        var since = Uri.EscapeDataString("2021-05-10T09:30:00+02:00");
        foreach (var list in new[] { "consultation", "paper", "meeting", "agendaItem" })
        {
            var changed = await GetAsync(client, $"{(string)body[list]!}?modified_since={since}");
            Assert.Empty(changed["data"]!.AsArray());
        }
    }

    [Fact]
    public async Task OrderingTheAgendaOfAPrivateMeeting_BeforeItBegins_MovesNoPublicModified()
    {
        // The Rat adds a meeting in private on 17.05.2021, the day before its public one, and the Ratsbüro takes
        // 21-15813's decision into it (a Nachtrag): the step's meeting changes, which OParl serves.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 5, 5, 9));
        var (secretary, paperId, step, meetingId) = await RatSpecialMeetingWith15813Async(test, "NonPublic");

        var client = test.App.CreateClient();
        var body = await BodyAsync(client);
        var stepUrl = $"http://localhost/oparl/consultation/{step.Id}";
        var paperUrl = $"http://localhost/oparl/paper/{paperId}";
        var meetingUrl = $"http://localhost/oparl/meeting/{meetingId}";
        Assert.Equal(meetingUrl, (string)(await GetAsync(client, stepUrl))["meeting"]!);
        var stepBefore = (string)(await GetAsync(client, stepUrl))["modified"]!;
        var paperBefore = (string)(await GetAsync(client, paperUrl))["modified"]!;
        var meetingBefore = (string)(await GetAsync(client, meetingUrl))["modified"]!;

        // An hour later the Ratsbüro orders the private meeting's draft agenda.
        await test.MoveClockToAsync(Berlin.At(2021, 5, 5, 10));
        var reordered = await secretary.PutAsJsonAsync($"/api/meetings/{meetingId}/agenda/order", new DeliberationFlow.Council.Meetings.ReorderAgendaRequest([step.Id]));
        await Http.EnsureAsync(reordered, HttpStatusCode.OK);
        Assert.Equal("N 1", Assert.Single((await reordered.Content.ReadFromJsonAsync<DeliberationFlow.Council.Meetings.AgendaView>())!.Items).Number);

        // Nothing served changed: the step, its public paper and the meeting keep their modified, and no list filtered
        // on modified_since names them.
        Assert.Equal(stepBefore, (string)(await GetAsync(client, stepUrl))["modified"]!);
        var paper = await GetAsync(client, paperUrl);
        Assert.Equal(paperBefore, (string)paper["modified"]!);
        Assert.Equal(stepBefore, (string)paper["consultation"]!.AsArray().Single(c => (string)c!["id"]! == stepUrl)!["modified"]!);
        Assert.Equal(meetingBefore, (string)(await GetAsync(client, meetingUrl))["modified"]!);
        var since = Uri.EscapeDataString("2021-05-05T09:30:00+02:00");
        foreach (var list in new[] { "consultation", "paper", "meeting", "agendaItem" })
        {
            var changed = await GetAsync(client, $"{(string)body[list]!}?modified_since={since}");
            Assert.True(changed["data"]!.AsArray().Count == 0, $"{list}: {changed["data"]!.ToJsonString()}");
        }
    }

    [Fact]
    public async Task Lists_AreStablePages_WithNextOnEveryPageButTheLast_AndCarryTheirFilters()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var client = test.App.CreateClient();
        var body = await BodyAsync(client);
        var meetingsUrl = (string)body["meeting"]!;

        var all = await GetAsync(client, meetingsUrl);
        var expected = all["data"]!.AsArray().Select(m => (string)m!["id"]!).ToList();
        Assert.Equal(expected.Count, (int)all["pagination"]!["totalElements"]!);
        Assert.Null(all["links"]!["next"]);

        var since = Uri.EscapeDataString("2000-01-01T00:00:00+01:00");
        var paged = new List<string>();
        var url = $"{meetingsUrl}?created_since={since}&limit=7";
        var pages = 0;
        while (true)
        {
            var page = await GetAsync(client, url);
            pages++;
            paged.AddRange(page["data"]!.AsArray().Select(m => (string)m!["id"]!));
            Assert.Equal(pages, (int)page["pagination"]!["currentPage"]!);
            Assert.Contains($"created_since={since}", (string)page["links"]!["self"]!, StringComparison.Ordinal);
            if (page["links"]!["next"] is not { } next)
            {
                Assert.Equal((int)page["pagination"]!["totalPages"]!, pages);
                break;
            }

            url = (string)next!;
            Assert.Contains($"created_since={since}", url, StringComparison.Ordinal);
            Assert.Contains("limit=7", url, StringComparison.Ordinal);
        }

        Assert.Equal(expected, paged);
        Assert.True(pages > 10);

        // omit_internal drops the embedded agenda items and locations, and stays in the links.
        var lean = await GetAsync(client, $"{meetingsUrl}?omit_internal=true&limit=50");
        Assert.All(lean["data"]!.AsArray(), m => Assert.Null(m!["agendaItem"] ?? m["location"]));
        Assert.Contains("omit_internal=true", (string)lean["links"]!["next"]!, StringComparison.Ordinal);
        Assert.Contains(all["data"]!.AsArray(), m => m!["agendaItem"] is not null);

        // created_until before everything, an invalid date and an unknown list: an empty page, and OParl errors.
        Assert.Empty((await GetAsync(client, $"{meetingsUrl}?created_until={Uri.EscapeDataString("2000-01-01T00:00:00Z")}"))["data"]!.AsArray());
        var invalid = await client.GetAsync($"{meetingsUrl}?modified_since=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("modified_since", (string)JsonNode.Parse(await invalid.Content.ReadAsStringAsync())!["message"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync((string)body["id"]! + "/nothing")).StatusCode);

        // One canonical URL: another spelling of an id is redirected there.
        var noRedirect = test.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var upper = ((string)body["id"]!).ToUpperInvariant().Replace("HTTP://LOCALHOST/OPARL/BODY", "http://localhost/oparl/body", StringComparison.Ordinal);
        var redirect = await noRedirect.GetAsync(upper);
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal((string)body["id"]!, new Uri(new Uri("http://localhost"), redirect.Headers.Location!).ToString());
        var organization = (string)(await GetAsync(client, (string)body["organization"]!))["data"]![0]!["id"]!;
        var misspelt = await noRedirect.GetAsync(organization.Replace("/organization/", "/Organization/", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.MovedPermanently, misspelt.StatusCode);
        Assert.Equal(organization, new Uri(new Uri("http://localhost"), misspelt.Headers.Location!).ToString());
        foreach (var canonical in new[] { organization, (string)body["paper"]!, System, "http://localhost/oparl/bodies" })
        {
            var slashed = await noRedirect.GetAsync($"{canonical}/?limit=2");
            Assert.Equal(HttpStatusCode.MovedPermanently, slashed.StatusCode);
            Assert.Equal($"{canonical}?limit=2", new Uri(new Uri("http://localhost"), slashed.Headers.Location!).ToString());
        }
    }

    [Fact]
    public async Task ModifiedSince_ShowsEachChange_IncludingThatOfAnEmbeddedConsultation()
    {
        // The demo's history runs until 04.05.2021; the service starts after it.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 5, 10, 9));
        var client = test.App.CreateClient();
        var body = await BodyAsync(client);
        var papersUrl = (string)body["paper"]!;
        var before = await GetAsync(client, papersUrl);
        var decision = before["data"]!.AsArray().Single(p => (string)p!["reference"]! == "21-15813")!;

        // A new paper at 10:00, then the Rat records the outcome of 21-15813 on 18.05.
        await test.MoveClockToAsync(Berlin.At(2021, 5, 10, 10));
        var since = Uri.EscapeDataString("2021-05-10T09:30:00+02:00");
        var created = await test.RegisterAsync("admin", new RegisterPaperRequest("21-16001", "Neue Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        var changed = await GetAsync(client, $"{papersUrl}?modified_since={since}");
        Assert.Equal(["21-16001"], changed["data"]!.AsArray().Select(p => (string)p!["reference"]!));
        Assert.Equal(["21-15513", "21-15513-01", "21-15813"],
            (await GetAsync(client, $"{papersUrl}?modified_until={since}"))["data"]!.AsArray().Select(p => (string)p!["reference"]!).Order(StringComparer.Ordinal));
        Assert.Equal(["21-16001"], (await GetAsync(client, $"{papersUrl}?created_since={since}"))["data"]!.AsArray().Select(p => (string)p!["reference"]!));

        await test.MoveClockToAsync(Berlin.At(2021, 5, 18, 18));
        var rat = (await test.GetPaperAsync("admin", Guid.Parse(((string)decision["id"]!).Split('/')[^1]))).Consultations[2];
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-va", rat.Id, new(null, "mehrheitlich beschlossen", null)), HttpStatusCode.OK);
        var afterRat = await GetAsync(client, $"{papersUrl}?modified_since={Uri.EscapeDataString("2021-05-18T17:00:00+02:00")}");
        var updated = Assert.Single(afterRat["data"]!.AsArray())!;
        Assert.Equal("21-15813", (string)updated["reference"]!);
        Assert.NotEqual((string)decision["modified"]!, (string)updated["modified"]!);
        Assert.Equal("mehrheitlich beschlossen", (string)(await GetAsync(client, (string)updated["consultation"]![2]!["agendaItem"]!))["result"]!);
        Assert.NotNull(created);
    }

    [Fact]
    public async Task TimeFilters_TakeTheWholeSecondTheyServe()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 5, 10, 9));
        var client = test.App.CreateClient();
        var papersUrl = (string)(await BodyAsync(client))["paper"]!;

        // Registered at 10:00:00.4, served as 10:00:00: "until 10:00:00" holds it, "since 10:00:00.5" does not.
        await test.MoveClockToAsync(Berlin.At(2021, 5, 10, 10).AddMilliseconds(400));
        await test.RegisterAsync("admin", new RegisterPaperRequest("21-16101", "Neue Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        var served = (await GetAsync(client, $"{papersUrl}?created_since={At("10:00:00")}"))["data"]!.AsArray().Single()!;
        Assert.Equal("2021-05-10T10:00:00+02:00", (string)served["modified"]!);

        Assert.Contains("21-16101", await References(client, $"{papersUrl}?modified_until={At("10:00:00")}"));
        Assert.Contains("21-16101", await References(client, $"{papersUrl}?created_until={At("10:00:00")}"));
        Assert.Contains("21-16101", await References(client, $"{papersUrl}?modified_since={At("10:00:00")}&modified_until={At("10:00:00")}"));
        Assert.DoesNotContain("21-16101", await References(client, $"{papersUrl}?modified_until={At("09:59:59")}"));
        Assert.DoesNotContain("21-16101", await References(client, $"{papersUrl}?modified_since={At("10:00:00.5")}"));
        Assert.DoesNotContain("21-16101", await References(client, $"{papersUrl}?created_since={At("10:00:00.5")}"));

        static string At(string time) => Uri.EscapeDataString($"2021-05-10T{time}+02:00");
    }

    [Fact]
    public async Task LinkedPapers_CountAsChanged_WhenALinkAppearsOrGoes()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 5, 10, 9));
        var client = test.App.CreateClient();
        var papersUrl = (string)(await BodyAsync(client))["paper"]!;
        var ids = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Papers.ToDictionaryAsync(p => p.Reference, p => p.Id));
        var decisionUrl = $"http://localhost/oparl/paper/{ids["21-15813"]}";
        Assert.Contains(decisionUrl, (await GetAsync(client, $"http://localhost/oparl/paper/{ids["21-15513-01"]}"))["relatedPaper"]!.AsArray().Select(u => (string)u!));

        // 21-15813 names 21-15513-01 as related, so OParl shows the link on both. Made non-public, it goes from both.
        await test.MoveClockToAsync(Berlin.At(2021, 5, 10, 10));
        var decision = await test.GetPaperAsync("admin", ids["21-15813"]);
        await Http.EnsureAsync(await test.ClientFor("admin").PutAsJsonAsync($"/api/papers/{decision.Id}",
            new EditPaperRequest(decision.Name, decision.LeadOffice!.Key, null, decision.Date, false, "Personenbezogene Daten")), HttpStatusCode.OK);
        var changed = (await GetAsync(client, $"{papersUrl}?modified_since={Uri.EscapeDataString("2021-05-10T09:30:00+02:00")}"))["data"]!.AsArray();
        var answer = Assert.Single(changed, p => (string?)p!["reference"] == "21-15513-01")!;
        Assert.Null(answer["relatedPaper"]);
        Assert.Contains(changed, p => (string)p!["id"]! == decisionUrl && p["deleted"] is not null);

        // A follow-up of 21-15513 is registered: 21-15513 now lists it, and counts as changed.
        await test.MoveClockToAsync(Berlin.At(2021, 5, 10, 11));
        var followUp = await test.RegisterAsync("admin", new RegisterPaperRequest("21-15513-02", "Ergänzung", "Mitteilung", "fb10", null, true, null, null));
        var later = (await GetAsync(client, $"{papersUrl}?modified_since={Uri.EscapeDataString("2021-05-10T10:30:00+02:00")}"))["data"]!.AsArray();
        var question = Assert.Single(later, p => (string?)p!["reference"] == "21-15513")!;
        Assert.Contains($"http://localhost/oparl/paper/{followUp.Id}", question["subordinatedPaper"]!.AsArray().Select(u => (string)u!));
        Assert.Equal(["21-15513", "21-15513-02"], later.Select(p => (string)p!["reference"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AMeetingsModified_MovesWithItsPublicItems_NotWithItsNonPublicOnes()
    {
        // After the demo's history (it runs until May), so the meeting's items are only these two.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 5, 10, 9));
        var client = test.App.CreateClient();
        var secret = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17601", "Grundstücksangelegenheit", "Beschlussvorlage", "fb10", null, false, null, null));
        var open = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17602", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        var meetingId = open.Consultations[0].MeetingId!.Value;
        Assert.Equal(meetingId, secret.Consultations[0].MeetingId);
        var meetingUrl = $"http://localhost/oparl/meeting/{meetingId}";
        var fpa = test.ClientFor("sekretariat-fpa");
        var before = (string)(await GetAsync(client, meetingUrl))["modified"]!;

        // The non-public item is taken off the agenda and put back on: nothing the meeting serves has changed.
        await test.MoveClockToAsync(Berlin.At(2021, 5, 10, 10));
        await Http.EnsureAsync(await fpa.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items/{secret.Consultations[0].Id}/withdraw",
            new DeliberationFlow.Council.Meetings.WithdrawAgendaItemRequest("Unterlagen fehlen")), HttpStatusCode.OK);
        await Http.EnsureAsync(await fpa.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items",
            new DeliberationFlow.Council.Meetings.AddAgendaItemRequest(secret.Consultations[0].Id, LateAddition: true)), HttpStatusCode.OK);
        Assert.Equal(before, (string)(await GetAsync(client, meetingUrl))["modified"]!);

        // The public one is taken off: the meeting serves one item fewer, and says so.
        await test.MoveClockToAsync(Berlin.At(2021, 5, 10, 11));
        await Http.EnsureAsync(await fpa.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items/{open.Consultations[0].Id}/withdraw",
            new DeliberationFlow.Council.Meetings.WithdrawAgendaItemRequest(null)), HttpStatusCode.OK);
        var after = await GetAsync(client, meetingUrl);
        Assert.Equal("2021-05-10T11:00:00+02:00", (string)after["modified"]!);
        Assert.DoesNotContain(open.Consultations[0].Id.ToString(), after.ToJsonString(), StringComparison.Ordinal);

        // Its paper made non-public, its item (now on the next meeting's agenda) is served as deleted, with the order the
        // 1.1 schema requires of every agenda item and nothing else of it.
        await test.MoveClockToAsync(Berlin.At(2021, 5, 10, 12));
        var paper = await test.GetPaperAsync("admin", open.Id);
        await Http.EnsureAsync(await test.ClientFor("admin").PutAsJsonAsync($"/api/papers/{open.Id}",
            new EditPaperRequest(paper.Name, paper.LeadOffice!.Key, null, paper.Date, false, "Personenbezogene Daten")), HttpStatusCode.OK);
        var gone = await GetAsync(client, $"http://localhost/oparl/agendaItem/{open.Consultations[0].Id}");
        Assert.Equal(["created", "deleted", "id", "modified", "order", "type"], gone.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal((true, "2021-05-10T12:00:00+02:00"), ((bool)gone["deleted"]!, (string)gone["modified"]!));
        Assert.Empty(new OParlSchemas().Problems(gone, "agenda item of a paper made non-public"));
    }

    private static async Task<List<string>> References(HttpClient client, string url) =>
        [.. (await GetAsync(client, url))["data"]!.AsArray().Select(p => (string)p!["reference"]!)];

    [Fact]
    public async Task Modified_MovesWithEveryReorder_EvenWithinTheSameSecond_ButNotWithTheSameOrderSentAgain()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Sqlite, Berlin.Clock(2021, 4, 1, 9));
        var client = test.App.CreateClient();
        var decision = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Consultations
            .Join(sp.GetRequiredService<DeliberationDbContext>().Papers.Where(p => p.Reference == "21-15813"), c => c.PaperId, p => p.Id, (c, _) => c)
            .OrderBy(c => c.Position).FirstAsync());
        var other = (await test.RegisterAsync("admin", new RegisterPaperRequest("21-17701", "Radverkehrskonzept", "Beschlussvorlage", "fb10", null, true, null, null))).Consultations[0];
        Assert.Equal(decision.MeetingId, other.MeetingId);
        var meetingUrl = $"http://localhost/oparl/meeting/{decision.MeetingId}";
        var itemUrls = new[] { $"http://localhost/oparl/agendaItem/{decision.Id}", $"http://localhost/oparl/agendaItem/{other.Id}" };

        // The clock stands still; the FPA meeting's agenda is arranged, the same order is sent again, and then the
        // other way round.
        List<Guid>[] orders = [[other.Id, decision.Id], [other.Id, decision.Id], [decision.Id, other.Id]];
        var seen = new List<string[]>();
        for (var round = 0; round <= orders.Length; round++)
        {
            if (round > 0)
            {
                var reordered = await test.ClientFor("sekretariat-fpa").PutAsJsonAsync($"/api/meetings/{decision.MeetingId}/agenda/order",
                    new DeliberationFlow.Council.Meetings.ReorderAgendaRequest(orders[round - 1]));
                await Http.EnsureAsync(reordered, HttpStatusCode.OK);
            }

            seen.Add(await ModifiedAsync(client, [meetingUrl, .. itemUrls]));
        }

        // Each real reorder moves the meeting and both items past what they said before, within the same second; the
        // same order sent again changes nothing served, so it moves nothing an OParl client would fetch again.
        foreach (var round in new[] { 1, 3 })
        {
            Assert.All(seen[round].Zip(seen[round - 1]), pair => Assert.True(string.CompareOrdinal(pair.First, pair.Second) > 0, $"round {round}: {pair.First} after {pair.Second}"));
        }

        Assert.Equal(seen[1], seen[2]);
    }

    [Fact]
    public async Task SendingAPublicMeetingsAgendaOrderAgain_Unchanged_MovesNoModified()
    {
        // The Rat adds a meeting in public on 17.05.2021 and the Ratsbüro takes 21-15813's decision into it and orders
        // the draft agenda.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 5, 5, 9));
        var (secretary, paperId, step, meetingId) = await RatSpecialMeetingWith15813Async(test, "Public");
        var order = new DeliberationFlow.Council.Meetings.ReorderAgendaRequest([step.Id]);
        await Http.EnsureAsync(await secretary.PutAsJsonAsync($"/api/meetings/{meetingId}/agenda/order", order), HttpStatusCode.OK);

        var client = test.App.CreateClient();
        var body = await BodyAsync(client);
        var stepUrl = $"http://localhost/oparl/consultation/{step.Id}";
        var paperUrl = $"http://localhost/oparl/paper/{paperId}";
        var meetingUrl = $"http://localhost/oparl/meeting/{meetingId}";
        var itemUrl = $"http://localhost/oparl/agendaItem/{step.Id}";
        var before = await ModifiedAsync(client, [stepUrl, paperUrl, meetingUrl, itemUrl]);

        // An hour later the agenda editor saves the same order again.
        await test.MoveClockToAsync(Berlin.At(2021, 5, 5, 10));
        var resent = await secretary.PutAsJsonAsync($"/api/meetings/{meetingId}/agenda/order", order);
        await Http.EnsureAsync(resent, HttpStatusCode.OK);

        // Nothing changed: the step, its paper, the meeting and its item keep their modified, and no list filtered on
        // modified_since names them.
        Assert.Equal(before, await ModifiedAsync(client, [stepUrl, paperUrl, meetingUrl, itemUrl]));
        var since = Uri.EscapeDataString("2021-05-05T09:30:00+02:00");
        foreach (var list in new[] { "consultation", "paper", "meeting", "agendaItem" })
        {
            var changed = await GetAsync(client, $"{(string)body[list]!}?modified_since={since}");
            Assert.True(changed["data"]!.AsArray().Count == 0, $"{list}: {changed["data"]!.ToJsonString()}");
        }
    }

    private static async Task<string[]> ModifiedAsync(HttpClient client, string[] urls)
    {
        var modified = new List<string>();
        foreach (var url in urls)
        {
            modified.Add((string)(await GetAsync(client, url))["modified"]!);
        }

        return [.. modified];
    }

    /// <param name="systemUrl">The System's URL; the in-memory test host's unless the service runs on Kestrel.</param>
    internal static async Task<JsonObject> BodyAsync(HttpClient client, string name = "Stadt Braunschweig", string systemUrl = System)
    {
        var system = await GetAsync(client, systemUrl);
        var bodies = await GetAsync(client, (string)system["body"]!);
        return bodies["data"]!.AsArray().Single(b => (string)b!["name"]! == name)!.AsObject();
    }

    internal static async Task<JsonObject> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>
    /// The Ratsbüro adds a Sondersitzung des Rates on 17.05.2021 (public or not) and takes 21-15813's decision into it as a
    /// Nachtrag: the step's meeting changes, which OParl serves.
    /// </summary>
    private static async Task<(HttpClient Secretary, Guid PaperId, DeliberationFlow.Council.Model.Consultation Step, Guid MeetingId)> RatSpecialMeetingWith15813Async(TestApp test, string publicity)
    {
        var secretary = test.ClientFor("sekretariat-va");
        var (paperId, step) = await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var paper = await db.Papers.SingleAsync(p => p.Reference == "21-15813");
            return (paper.Id, await db.Consultations.Where(c => c.PaperId == paper.Id).OrderBy(c => c.Position).LastAsync());
        });
        var scheduled = await secretary.PostAsJsonAsync("/api/committees/rat/meetings", new DeliberationFlow.Council.Meetings.ScheduleMeetingsRequest(
            "2021-05-17T15:00", null, null, null, "Sondersitzung des Rates", null, publicity, null));
        var meetingId = Assert.Single((await scheduled.Content.ReadFromJsonAsync<DeliberationFlow.Council.Meetings.ScheduledMeetings>())!.Created).Id;
        await Http.EnsureAsync(await secretary.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda/items",
            new DeliberationFlow.Council.Meetings.AddAgendaItemRequest(step.Id, LateAddition: true)), HttpStatusCode.OK);
        return (secretary, paperId, step, meetingId);
    }
}
