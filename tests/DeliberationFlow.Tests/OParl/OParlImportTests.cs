using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Committees;
using DeliberationFlow.Council.OParl;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.OParl;

/// <summary>Import from another system's OParl: a folder of files, or a server followed page by page.</summary>
[Collection(HostCollection.Name)]
public sealed class OParlImportTests
{
    [Fact]
    public async Task KarlsruheChain_ImportsFromItsFiles_Idempotently_AndExportsItsNineStepBeratungsfolge()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2026, 9, 1, 9));
        var admin = test.ClientFor("admin-wf");

        var report = await ImportAsync(admin, OParlFiles.Karlsruhe);
        Assert.Equal(new OParlImportCounts(2, 0, 1, 0), report.Counts["Paper"]); // 52415, 51438; 414 was deleted there and never came here
        Assert.Equal(3, report.Counts["Meeting"].Created);
        Assert.Equal(12 + 4 + 29, report.Counts["AgendaItem"].Created);
        Assert.Equal(97, report.Counts["Organization"].Created);
        Assert.Contains(report.Unmapped, u => u.StartsWith("Consultation: its paper is not in the source", StringComparison.Ordinal));
        Assert.Contains(report.Unmapped, u => u.StartsWith("Paper: ", StringComparison.Ordinal) && u.Contains("papers/vo/52415", StringComparison.Ordinal));
        Assert.False(report.UnmappedRoles.ContainsKey("unbekannt"));

        // Re-import by OParl id: nothing new, nothing changed.
        var again = await ImportAsync(admin, OParlFiles.Karlsruhe);
        Assert.All(again.Counts.Values, c => Assert.Equal((0, 0, 0), (c.Created, c.Updated, c.Deleted)));
        Assert.Equal(report.Counts.Keys, again.Counts.Keys);

        // The Änderungsprotokoll of the importing body names both imports: what the first brought, that the second changed nothing.
        var record = (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=import"))!.Entries;
        Assert.Equal(2, record.Count);
        Assert.All(record, e => Assert.Equal(("admin-wf", report.Source), (e.Actor, e.Subject)));
        Assert.StartsWith("OParl-Import: nichts geändert; nicht zugeordnet: ", record[0].Message, StringComparison.Ordinal);
        Assert.Contains("Paper 2 neu, 0 geändert, 0 gelöscht", record[1].Message, StringComparison.Ordinal);
        Assert.Contains("Organization 97 neu", record[1].Message, StringComparison.Ordinal);
        Assert.Equal(0, (await test.ClientFor("admin").GetFromJsonAsync<AuditPage>("/api/audit?area=import"))!.Total);

        // The export: the Beratungsfolge keeps its nine consultations in order, with committees, roles and results.
        var client = test.App.CreateClient();
        var body = await OParlInterfaceTests.BodyAsync(client, "Stadt Wolfenbüttel");
        var papers = await OParlInterfaceTests.GetAsync(client, (string)body["paper"]!);
        var paper = papers["data"]!.AsArray().Single(p => (string)p!["reference"]! == "2025/0916")!.AsObject();
        Assert.Equal(("Beschlussvorlage", "Done"), ((string)paper["paperType"]!, (string)paper["deliberationflow:status"]!));
        var steps = paper["consultation"]!.AsArray().Select(c => c!.AsObject()).ToList();
        var committees = new List<string>();
        var results = new List<string?>();
        foreach (var step in steps)
        {
            committees.Add((string)(await OParlInterfaceTests.GetAsync(client, (string)step["organization"]![0]!))["name"]!);
            results.Add(step["agendaItem"] is { } item ? (string?)(await OParlInterfaceTests.GetAsync(client, (string)item!))["result"] : null);
        }

        Assert.Equal(
            [
                "Ortschaftsrat Durlach", "Ortschaftsrat Wettersbach", "Ortschaftsrat Grötzingen", "Ortschaftsrat Wolfartsweier", "Ortschaftsrat Stupferich",
                "Planungsausschuss", "Ortschaftsrat Hohenwettersbach", "Ortschaftsrat Neureut", "Gemeinderat",
            ], committees);
        Assert.Equal(["Anhörung", "Anhörung", "Anhörung", "Anhörung", "Anhörung", "Vorberatung", "Anhörung", "Anhörung", "Entscheidung"],
            steps.Select(s => (string)s["role"]!));
        Assert.Equal([true, true, false, false, false, false, false, false, true], steps.Select(s => (bool)s["authoritative"]!));
        Assert.Equal(["mehrheitlich abgelehnt", null, null, null, null, "vorberaten ohne Änderungen", null, null, "mehrheitlich beschlossen"], results);
        Assert.Equal(["Rejected", "Planned", "Planned", "Planned", "Planned", "Recommended", "Planned", "Planned", "Adopted"],
            steps.Select(s => (string?)s["deliberationflow:outcome"] ?? (string)s["deliberationflow:status"]!));

        // The Gemeinderat's meeting keeps its agenda: 29 items, raw results and the normalised outcome beside them.
        var meeting = await OParlInterfaceTests.GetAsync(client, (string)steps[8]["meeting"]!);
        var items = meeting["agendaItem"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.Equal(29, items.Count);
        Assert.Equal(Enumerable.Range(0, 29), items.Select(i => (int)i["order"]!));
        var amended = items.Single(i => (string?)i["number"] == "6");
        Assert.Equal(("Zugestimmt zu geändertem Beschlusstext", "AdoptedAmended"), ((string)amended["result"]!, (string)amended["deliberationflow:outcome"]!));
        var schemas = new OParlSchemas();
        Assert.Empty(schemas.Problems(meeting, "meeting 10468").Concat(schemas.Problems(paper, "paper 52415")));
    }

    [Fact]
    public async Task FactionsAndParties_AreImportedAsSuch_ServedAsSuch_AndOfferedNowhereAsCommittees()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2026, 9, 1, 9));
        var admin = test.ClientFor("admin-wf");
        var folder = OParlFiles.NewScratchFolder();
        try
        {
            JsonObject Organization(string id, string name, string type) => new()
            {
                ["id"] = $"https://ris.example/oparl/organization/{id}", ["type"] = "https://schema.oparl.org/1.1/Organization",
                ["name"] = name, ["organizationType"] = type, ["created"] = "2021-11-01T09:00:00+01:00", ["modified"] = "2021-11-01T09:00:00+01:00",
            };
            await File.WriteAllTextAsync(Path.Combine(folder, "organizations.json"), new JsonArray(
                Organization("1", "Jugendhilfeausschuss", "Gremium"), Organization("2", "Fraktion Bündnis 90/Die Grünen", "Fraktion"),
                Organization("3", "SPD", "Partei")).ToJsonString());
            var report = await ImportAsync(admin, folder);
            Assert.Equal(3, report.Counts["Organization"].Created);

            var kinds = (await admin.GetFromJsonAsync<List<OrganizationView>>("/api/organizations"))!.ToDictionary(o => o.Name, o => o.Kind);
            Assert.Equal(("Committee", "Faction", "Party"), (kinds["Jugendhilfeausschuss"], kinds["Fraktion Bündnis 90/Die Grünen"], kinds["SPD"]));
            var committees = await admin.GetStringAsync("/api/committees");
            Assert.Contains("Jugendhilfeausschuss", committees, StringComparison.Ordinal);
            Assert.DoesNotContain("Grünen", committees, StringComparison.Ordinal);
            Assert.DoesNotContain("SPD", committees, StringComparison.Ordinal);

            var client = test.App.CreateClient();
            var body = await OParlInterfaceTests.BodyAsync(client, "Stadt Wolfenbüttel");
            var served = (await OParlInterfaceTests.GetAsync(client, (string)body["organization"]!))["data"]!.AsArray()
                .ToDictionary(o => (string)o!["name"]!, o => ((string)o!["organizationType"]!, o["meeting"] is not null));
            Assert.Equal((("Gremium", true), ("Fraktion", false), ("Partei", false)),
                (served["Jugendhilfeausschuss"], served["Fraktion Bündnis 90/Die Grünen"], served["SPD"]));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ImportedTexts_LongerThanTheirColumns_AreCutBetweenWholeCharacters()
    {
        // A remote title of 1 000 characters and more with an emoji across the column's end: cut in the middle of the
        // emoji, the name would hold half a character, which PostgreSQL's UTF-8 cannot store, and the import failed whole.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2026, 9, 1, 9));
        var admin = test.ClientFor("admin-wf");
        var folder = OParlFiles.NewScratchFolder();
        try
        {
            var paper = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(OParlFiles.Karlsruhe, "papers", "51438.json")))!.AsObject();
            var name = new string('a', 998) + "\U0001F3AD Seebühne";
            paper["name"] = name;
            paper["paperType"] = new string('b', 99) + "\U0001F3AD";
            await File.WriteAllTextAsync(Path.Combine(folder, "51438.json"), paper.ToJsonString());

            var report = await ImportAsync(admin, folder);
            Assert.Equal(1, report.Counts["Paper"].Created);
            var imported = (await admin.GetFromJsonAsync<PaperDetails>("/api/papers/by-reference/2024/0884/1"))!;
            Assert.Equal(new string('a', 998) + "…", imported.Name);
            Assert.Equal(new string('b', 99), imported.PaperType.TrimEnd('…'));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ReImport_OfAPaperDeletedAtTheSource_SoftDeletesIt_ListedOnlyWithModifiedSince()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2026, 9, 1, 9));
        var admin = test.ClientFor("admin-wf");
        var folder = OParlFiles.NewScratchFolder();
        try
        {
            File.Copy(Path.Combine(OParlFiles.Karlsruhe, "organizations.json"), Path.Combine(folder, "organizations.json"));
            File.Copy(Path.Combine(OParlFiles.Karlsruhe, "papers", "52415.json"), Path.Combine(folder, "52415.json"));
            File.Copy(Path.Combine(OParlFiles.Karlsruhe, "papers", "51438.json"), Path.Combine(folder, "51438.json"));
            await ImportAsync(admin, folder);

            var client = test.App.CreateClient();
            var body = await OParlInterfaceTests.BodyAsync(client, "Stadt Wolfenbüttel");
            var papersUrl = (string)body["paper"]!;
            var paper = (await OParlInterfaceTests.GetAsync(client, papersUrl))["data"]!.AsArray().Single(p => (string)p!["reference"]! == "2025/0916")!;
            var paperUrl = (string)paper["id"]!;

            // Karlsruhe's references hold a slash: the API finds the paper by it, written as it is or escaped.
            foreach (var path in new[] { "/api/papers/by-reference/2025/0916", "/api/papers/by-reference/2025%2F0916" })
            {
                var found = await admin.GetAsync(path);
                Assert.Equal(HttpStatusCode.OK, found.StatusCode);
                Assert.Equal(paperUrl.Split('/')[^1], (await found.Content.ReadFromJsonAsync<PaperDetails>())!.Id.ToString());
            }

            // Karlsruhe depublishes the paper: its object now says deleted.
            await test.MoveClockToAsync(Berlin.At(2026, 9, 2, 9));
            var source = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "52415.json")))!.AsObject();
            var deleted = new JsonObject
            {
                ["id"] = (string)source["id"]!, ["type"] = (string)source["type"]!, ["created"] = (string)source["created"]!,
                ["modified"] = "2026-09-02T08:00:00+02:00", ["deleted"] = true,
            };
            await File.WriteAllTextAsync(Path.Combine(folder, "52415.json"), deleted.ToJsonString());
            var report = await ImportAsync(admin, folder);
            Assert.Equal(new OParlImportCounts(0, 0, 1, 1), report.Counts["Paper"]);
            Assert.Equal(9, report.Counts["Consultation"].Deleted);

            var since = Uri.EscapeDataString("2026-09-02T00:00:00+02:00");
            Assert.DoesNotContain((await OParlInterfaceTests.GetAsync(client, papersUrl))["data"]!.AsArray(), p => (string)p!["id"]! == paperUrl);
            var synced = (await OParlInterfaceTests.GetAsync(client, $"{papersUrl}?modified_since={since}"))["data"]!.AsArray();
            var stub = Assert.Single(synced)!.AsObject();
            Assert.Equal((paperUrl, true), ((string)stub["id"]!, (bool)stub["deleted"]!));
            Assert.Null(stub["name"]);
            var alone = await client.GetAsync(paperUrl);
            Assert.Equal(HttpStatusCode.OK, alone.StatusCode);
            Assert.True((bool)JsonNode.Parse(await alone.Content.ReadAsStringAsync())!["deleted"]!);
            var consultations = (await OParlInterfaceTests.GetAsync(client, $"{(string)body["consultation"]!}?modified_since={since}"))["data"]!.AsArray();
            Assert.Equal(9, consultations.Count(c => (bool?)c!["deleted"] == true));
            Assert.DoesNotContain((await OParlInterfaceTests.GetAsync(client, (string)body["consultation"]!))["data"]!.AsArray(), c => (bool?)c!["deleted"] == true);

            // Gone from the service's own API too.
            var byReference = await admin.GetAsync($"/api/papers/{Guid.Parse(paperUrl.Split('/')[^1])}");
            Assert.Equal(HttpStatusCode.NotFound, byReference.StatusCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ImportFromAServer_FollowsNextLinks_AndBringsPapersWithTheirBeratungsfolge()
    {
        // The source is the service's own OParl (Braunschweig) with small pages, served by Kestrel on the loopback; the
        // client is the real HttpClient of the import, address guard included. Loopback is not the public internet, so
        // the test allows it as an installation allows its intranet RIS.
        await using var test = await TestApp.StartOnLoopbackAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 5, 10, 9), new Dictionary<string, string>
        {
            ["OParl:PageSize"] = "5",
            ["OParl:Import:AllowedNetworks:0"] = "127.0.0.0/8",
        });
        var client = test.App.CreateClient();
        var systemUrl = $"{test.BaseUrl}/oparl/system";
        var braunschweig = await OParlInterfaceTests.BodyAsync(client, systemUrl: systemUrl);
        var admin = test.ClientFor("admin-wf");

        var report = await ImportAsync(admin, (string)braunschweig["id"]!);
        Assert.Equal(3, report.Counts["Paper"].Created);
        Assert.Equal(91, report.Counts["Meeting"].Created);
        Assert.Equal(12, report.Counts["Person"].Created);
        Assert.Equal(10, report.Counts["Organization"].Created);
        Assert.Empty(report.Unmapped);
        Assert.Empty(report.NotRead);

        var again = await ImportAsync(admin, (string)braunschweig["id"]!);
        Assert.All(again.Counts.Values, c => Assert.Equal((0, 0, 0), (c.Created, c.Updated, c.Deleted)));

        var wolfenbuettel = await OParlInterfaceTests.BodyAsync(client, "Stadt Wolfenbüttel", systemUrl);
        var papers = new List<JsonObject>();
        for (var url = (string?)wolfenbuettel["paper"]; url is not null;)
        {
            var page = await OParlInterfaceTests.GetAsync(client, url);
            papers.AddRange(page["data"]!.AsArray().Select(p => p!.AsObject()));
            url = (string?)page["links"]!["next"];
        }

        var byReference = papers.ToDictionary(p => (string)p["reference"]!);
        Assert.Equal(["21-15513", "21-15513-01", "21-15813"], byReference.Keys.Order(StringComparer.Ordinal));
        var decision = byReference["21-15813"];
        Assert.Equal(["Vorberatung", "Vorberatung", "Entscheidung"], decision["consultation"]!.AsArray().Select(c => (string)c!["role"]!));
        Assert.Equal(("Adopted", "InProgress"), ((string)decision["consultation"]![0]!["deliberationflow:outcome"]!, (string)decision["deliberationflow:status"]!));
        Assert.Equal((string)byReference["21-15513"]["id"]!, (string)byReference["21-15513-01"]["superordinatedPaper"]![0]!);
        Assert.Equal((string)byReference["21-15513-01"]["id"]!, (string)decision["relatedPaper"]![0]!);

        // The imported committees keep their names; the key of the one already there (Rat) is made unique.
        var keys = await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var bodyId = await db.Bodies.Where(b => b.Key == "wolfenbuettel").Select(b => b.Id).SingleAsync();
            return await db.Organizations.Where(o => o.BodyId == bodyId).Select(o => o.Key).ToListAsync();
        });
        Assert.Contains("rat", keys);
        Assert.Contains("rat-2", keys);
        Assert.Contains("fpa", keys);

        // An imported office keeps its name in its source, but takes the e-mail address OParl does not carry, so its
        // papers' outcome notices reach it.
        var office = (await admin.GetFromJsonAsync<List<OrganizationView>>("/api/organizations"))!.First(o => o.Imported && o.Kind == "AdministrativeOffice");
        var renamed = await admin.PutAsJsonAsync($"/api/organizations/{office.Key}", new SaveOrganizationRequest(null, "Anderer Name", null, null, null, null));
        Assert.Equal(HttpStatusCode.Conflict, renamed.StatusCode);
        var addressed = await admin.PutAsJsonAsync($"/api/organizations/{office.Key}", new SaveOrganizationRequest(null, null, null, null, null, "fb10@wolfenbuettel.example"));
        await Http.EnsureAsync(addressed, HttpStatusCode.OK);
        Assert.Equal((office.Name, "fb10@wolfenbuettel.example", true), await addressed.Content.ReadFromJsonAsync<OrganizationView>() is { } o ? (o.Name, o.Email, o.Imported) : default);

        // With the committees imported, the shipped Beschlussvorlage, which came to Wolfenbüttel as a draft (it names fpa and
        // va), can be published there.
        await Http.EnsureAsync(await admin.PostAsync("/api/workflow-definitions/beschlussvorlage/versions/1/publish", null), HttpStatusCode.OK);

        // The imported 21-15813 is still in progress: a workflow takes it on. The FPA's recorded recommendation is followed,
        // the VA's planned step is taken over into the VA's next meeting; nothing is planned twice.
        var imported = (await admin.GetFromJsonAsync<PaperDetails>("/api/papers/by-reference/21-15813"))!;
        Assert.Null(imported.Workflow);
        var attached = await admin.PostAsJsonAsync($"/api/papers/{imported.Id}/workflow", new AttachWorkflowRequest("beschlussvorlage"));
        await Http.EnsureAsync(attached, HttpStatusCode.OK);
        var running = (await attached.Content.ReadFromJsonAsync<PaperDetails>())!;
        Assert.NotNull(running.Workflow);
        Assert.Equal(["Done", "Planned", "Planned"], running.Consultations.Select(c => c.Status));
        Assert.True(running.Consultations[1].MeetingStart > test.Clock.GetUtcNow());
        Assert.NotEqual(imported.Consultations[1].MeetingId, running.Consultations[1].MeetingId);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync($"/api/papers/{imported.Id}/workflow", new AttachWorkflowRequest(null))).StatusCode);
    }

    [Fact]
    public async Task Import_IsForAdminsOnly_AndNamesWhatItCannotRead()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Sqlite, Berlin.Clock(2021, 5, 10, 9));
        var refused = await test.ClientFor("sekretariat-fpa").PostAsJsonAsync("/api/oparl/import", new ImportOParlRequest(OParlFiles.Karlsruhe));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var anonymous = await test.App.CreateClient().PostAsJsonAsync("/api/oparl/import", new ImportOParlRequest(OParlFiles.Karlsruhe));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var nowhere = await test.ClientFor("admin").PostAsJsonAsync("/api/oparl/import", new ImportOParlRequest(Path.Combine(OParlFiles.Fixtures, "no-such-folder")));
        Assert.Equal(HttpStatusCode.BadRequest, nowhere.StatusCode);
        Assert.Contains("neither an http(s) URL nor a folder", await nowhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The server's other files are not the API's to read, not even by way of "..".
        foreach (var outside in new[] { "/etc", Path.Combine(OParlFiles.ScratchRoot, "..", "etc"), Path.Combine(OParlFiles.Fixtures, "..") })
        {
            var refusedFolder = await test.ClientFor("admin").PostAsJsonAsync("/api/oparl/import", new ImportOParlRequest(outside));
            Assert.Equal(HttpStatusCode.BadRequest, refusedFolder.StatusCode);
            var problem = await refusedFolder.Content.ReadAsStringAsync();
            Assert.Contains("\"source\"", problem, StringComparison.Ordinal);
            Assert.Contains("only from the import folders", problem, StringComparison.Ordinal);
        }
    }

    private static async Task<OParlImportReport> ImportAsync(HttpClient admin, string source)
    {
        var response = await admin.PostAsJsonAsync("/api/oparl/import", new ImportOParlRequest(source));
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<OParlImportReport>())!;
    }
}
