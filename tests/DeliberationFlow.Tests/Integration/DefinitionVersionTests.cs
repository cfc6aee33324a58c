using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Definitions;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Integration;

/// <summary>Admins develop workflows as drafts and versions; instances stay on their version unless migrated.</summary>
[Collection(HostCollection.Name)]
public sealed class DefinitionVersionTests
{
    [Fact]
    public async Task Draft_WithProblems_IsRefusedWithEveryPath_AndNothingIsStored()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var document = await DocumentAsync(admin, "beschlussvorlage", 1);
        document["activities"]![1]!["properties"]!["committee"] = "bauausschuss";
        document["activities"]![2]!["type"] = "Abstimmung";
        document["connections"]!.AsArray().RemoveAt(document["connections"]!.AsArray().Count - 1);
        // A value of the wrong kind comes in the same answer as the checks of meaning, not before them.
        document["activities"]![3]!["displayName"] = 7;
        document["connections"]![0]!["target"] = "nirgendwo";
        // A paper type given as one text instead of a list would leave the workflow serving no paper type at all.
        document["properties"]!["paperTypes"] = "Beschlussvorlage";

        var response = await admin.PutAsJsonAsync("/api/workflow-definitions/beschlussvorlage/draft", document);

        await Http.EnsureAsync(response, HttpStatusCode.BadRequest);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.Equal(["Expected a text here, not the number 7."], problem.Errors["$.activities[3].displayName"]);
        Assert.Equal(["No activity has the id 'nirgendwo'; connect to an existing activity."], problem.Errors["$.connections[0].target"]);
        Assert.Contains("no committee 'bauausschuss'", problem.Errors["$.activities[1].properties.committee"][0], StringComparison.Ordinal);
        Assert.Contains("Unknown activity type 'Abstimmung'", problem.Errors["$.activities[2].type"][0], StringComparison.Ordinal);
        Assert.Contains(problem.Errors, e => e.Value.Any(m => m.Contains("has no connection", StringComparison.Ordinal)));
        Assert.Equal(["Give the paper types this workflow serves as a list of texts, e.g. [\"Beschlussvorlage\"]."], problem.Errors["$.properties.paperTypes"]);
        var definitions = (await admin.GetFromJsonAsync<List<DefinitionSummary>>("/api/workflow-definitions"))!;
        Assert.Equal([1], definitions.Single(d => d.DefinitionId == "beschlussvorlage").Versions.Select(v => v.Version));
        Assert.Equal(0, (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=workflow"))!.Total);
        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("sekretariat-fpa").GetAsync("/api/workflow-definitions")).StatusCode);
    }

    [Fact]
    public async Task Draft_WithAPaperTypeOfBrokenEscapes_IsRefusedAtThatEntry_NotAServerError()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var document = await DocumentAsync(admin, "beschlussvorlage", 1);
        document["properties"]!["paperTypes"] = new JsonArray("Beschlussvorlage", "PLACEHOLDER");
        // JSON allows an unpaired surrogate escape; no serializer writes one, so it goes into the text as a client could send it.
        var text = document.ToJsonString().Replace("\"PLACEHOLDER\"", "\"\\ud800\"", StringComparison.Ordinal);

        var response = await admin.PutAsync("/api/workflow-definitions/beschlussvorlage/draft", new StringContent(text, System.Text.Encoding.UTF8, "application/json"));

        await Http.EnsureAsync(response, HttpStatusCode.BadRequest);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.Contains("broken escape", Assert.Single(problem.Errors["$.properties.paperTypes[1]"]), StringComparison.Ordinal);
        var definitions = (await admin.GetFromJsonAsync<List<DefinitionSummary>>("/api/workflow-definitions"))!;
        Assert.Equal([1], definitions.Single(d => d.DefinitionId == "beschlussvorlage").Versions.Select(v => v.Version));
    }

    [Fact]
    public async Task Draft_WithAnInvalidOrMismatchedId_IsRefusedNamingTheId_WithTheOtherProblems_AndNothingIsStored()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var document = await DocumentAsync(admin, "beschlussvorlage", 1);

        foreach (var id in new[] { "Bad Id", "a..b", "ä", new string('a', 300) })
        {
            document["definitionId"] = id;
            var refused = await admin.PutAsJsonAsync($"/api/workflow-definitions/{Uri.EscapeDataString(id)}/draft", document);

            await Http.EnsureAsync(refused, HttpStatusCode.BadRequest);
            var errors = (await refused.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors;
            Assert.Equal(["$.definitionId"], errors.Keys);
            Assert.Contains(id.Length > 100 ? "keep it to 100" : "lower-case letters", errors["$.definitionId"][0], StringComparison.Ordinal);
        }

        // An address that differs from the document is reported with the document's other problems, even ones that stop reading it.
        document["definitionId"] = "beschlussvorlage";
        document["name"] = 5;
        var response = await admin.PutAsJsonAsync("/api/workflow-definitions/Bad%20Id/draft", document);

        await Http.EnsureAsync(response, HttpStatusCode.BadRequest);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.Contains("lower-case letters", problem.Errors["id"][0], StringComparison.Ordinal);
        Assert.Contains("The document is 'beschlussvorlage' but is saved as 'Bad Id'", problem.Errors["$.definitionId"][0], StringComparison.Ordinal);
        Assert.Equal(["Expected a text here, not the number 5."], problem.Errors["$.name"]);
        // A body that is no definition object is named as such, not by a .NET type.
        var list = await admin.PutAsJsonAsync("/api/workflow-definitions/beschlussvorlage/draft", new JsonArray());
        await Http.EnsureAsync(list, HttpStatusCode.BadRequest);
        Assert.StartsWith("Expected a workflow definition object", (await list.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors["$"][0], StringComparison.Ordinal);
        // An id given twice is reported as that, once; neither of the two is compared with the address (the last, which
        // the JSON parser keeps, was said to differ from it as well).
        document["name"] = "Zweimal";
        document["definitionId"] = "andere";
        var twice = await admin.PutAsync("/api/workflow-definitions/beschlussvorlage/draft", new StringContent(
            "{\"definitionId\":\"beschlussvorlage\"," + document.ToJsonString()[1..], System.Text.Encoding.UTF8, "application/json"));
        await Http.EnsureAsync(twice, HttpStatusCode.BadRequest);
        var twiceErrors = (await twice.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors;
        Assert.Equal(["$.definitionId"], twiceErrors.Keys);
        Assert.StartsWith("'definitionId' is given twice in a workflow definition", Assert.Single(twiceErrors["$.definitionId"]), StringComparison.Ordinal);

        var definitions = (await admin.GetFromJsonAsync<List<DefinitionSummary>>("/api/workflow-definitions"))!;
        Assert.DoesNotContain(definitions, d => d.DefinitionId is "Bad Id" or "a..b" or "ä" || d.DefinitionId.Length > 100);
        Assert.Equal([1], definitions.Single(d => d.DefinitionId == "beschlussvorlage").Versions.Select(v => v.Version));
        Assert.Equal(0, (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=workflow"))!.Total);
    }

    [Fact]
    public async Task NewVersion_StartsNewPapers_OldOnesStayOrMigrate_AndRetractOrRevertGoBack()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");

        // v2 of the Beschlussvorlage leaves out the Verwaltungsausschuss.
        var v2 = await DocumentAsync(admin, "beschlussvorlage", 1);
        v2["name"] = "Beschlussvorlage: Finanz- und Personalausschuss → Rat";
        var activities = v2["activities"]!.AsArray();
        activities.Remove(activities.Single(a => (string)a!["id"]! == "va"));
        var connections = v2["connections"]!.AsArray();
        foreach (var connection in connections.Where(c => (string)c!["source"]! == "va").ToList())
        {
            connections.Remove(connection);
        }

        foreach (var connection in connections.Where(c => (string)c!["target"]! == "va"))
        {
            connection!["target"] = "rat";
        }

        var waitingAtVa = await RegisterAsync(test, "21-40001");
        var waitingAtFpa = await RegisterAsync(test, "21-40002");
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        await RecordAsync(test, waitingAtVa.Consultations[0].Id);

        var draft = await ExpectAsync<DefinitionVersionView>(await admin.PutAsJsonAsync("/api/workflow-definitions/beschlussvorlage/draft", v2));
        Assert.Equal((2, "Draft"), (draft.Version, draft.State));
        Assert.Equal(1, (await RegisterAsync(test, "21-40003")).Workflow!.Version);
        var published = await ExpectAsync<DefinitionVersionView>(await admin.PostAsync("/api/workflow-definitions/beschlussvorlage/versions/2/publish", null));
        Assert.Equal("Published", published.State);
        Assert.Equal(2, (await RegisterAsync(test, "21-40004")).Workflow!.Version);

        // The dry run tells, per instance, where it would stand; the instance waiting at the VA cannot move.
        // Movable: 21-40002 and 21-40003 (at the FPA) and the demo's 21-15813 (at the Rat).
        var dryRun = await ExpectAsync<MigrationReport>(await admin.PostAsJsonAsync("/api/workflow-definitions/beschlussvorlage/migrations", new MigrateInstancesRequest(2, DryRun: true)));
        Assert.Equal((3, 1), (dryRun.Migrated, dryRun.Refused));
        Assert.Equal(["21-15813", "21-40002", "21-40003"], dryRun.Instances.Where(i => i.Migratable).Select(i => i.PaperReference).Order(StringComparer.Ordinal));
        Assert.Contains("has no activity 'va'", dryRun.Instances.Single(i => i.PaperReference == "21-40001").Result, StringComparison.Ordinal);
        Assert.Equal(1, (await test.GetPaperAsync("admin", waitingAtFpa.Id)).Workflow!.Version);

        var run = await ExpectAsync<MigrationReport>(await admin.PostAsJsonAsync("/api/workflow-definitions/beschlussvorlage/migrations", new MigrateInstancesRequest(2, DryRun: false)));
        Assert.Equal(3, run.Migrated);
        var migrated = await test.GetPaperAsync("admin", waitingAtFpa.Id);
        Assert.Equal(2, migrated.Workflow!.Version);
        Assert.Single(migrated.Consultations);
        Assert.Contains(migrated.Journal, j => j.Kind == "InstanceMigrated");

        // Migrated, the paper goes from the FPA straight to the Rat; the one left on v1 goes on to the VA.
        var afterFpa = await RecordAsync(test, migrated.Consultations[0].Id);
        Assert.Equal(["fpa", "rat"], afterFpa.Consultations.Select(c => c.Committee.Key));
        var stayed = await test.GetPaperAsync("admin", waitingAtVa.Id);
        Assert.Equal((1, "va"), (stayed.Workflow!.Version, stayed.Consultations[1].Committee.Key));

        // Retracting v2 sends new papers back to v1; reverting to v1 makes it the next draft.
        await ExpectAsync<DefinitionVersionView>(await admin.PostAsync("/api/workflow-definitions/beschlussvorlage/versions/2/retract", null));
        Assert.Equal(1, (await RegisterAsync(test, "21-40005")).Workflow!.Version);

        // A paper already running on the retracted v2 finishes on it (its steps take the pinned version from memory).
        await test.MoveClockToAsync(Berlin.At(2021, 5, 18, 19, 0));
        var finished = await RecordAsync(test, afterFpa.Consultations.Single(c => c.Committee.Key == "rat").Id);
        Assert.Equal((2, "Finished"), (finished.Workflow!.Version, finished.Workflow.Status));
        var reverted = await ExpectAsync<DefinitionVersionView>(await admin.PostAsync("/api/workflow-definitions/beschlussvorlage/versions/1/revert", null));
        Assert.Equal((3, "Draft"), (reverted.Version, reverted.State));
        var history = (await admin.GetFromJsonAsync<List<DefinitionSummary>>("/api/workflow-definitions"))!.Single(d => d.DefinitionId == "beschlussvorlage");
        Assert.Equal([("1", "Published"), ("2", "Retracted"), ("3", "Draft")], history.Versions.Select(v => (v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), v.State)));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync("/api/workflow-definitions/beschlussvorlage/versions/1/publish", null)).StatusCode);

        // The Änderungsprotokoll names who did each of it (a version keeps only who created its draft); the dry run and
        // the refused publication left nothing.
        var record = (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=workflow"))!.Entries;
        Assert.All(record, e => Assert.Equal(("admin", "beschlussvorlage"), (e.Actor, e.Subject)));
        Assert.Collection(record,
            e => Assert.Equal("Entwurf Version 3 aus Version 1 angelegt („Beschlussvorlage: Finanz- und Personalausschuss → Verwaltungsausschuss → Rat“).", e.Message),
            e => Assert.StartsWith("Version 2 („Beschlussvorlage: Finanz- und Personalausschuss → Rat“) zurückgezogen", e.Message, StringComparison.Ordinal),
            e =>
            {
                Assert.StartsWith("Laufende Vorgänge auf Version 2 umgestellt: 3 (", e.Message, StringComparison.Ordinal);
                Assert.All(["21-15813", "21-40002", "21-40003"], reference => Assert.Contains(reference, e.Message, StringComparison.Ordinal));
                Assert.EndsWith("; abgelehnt: 1.", e.Message, StringComparison.Ordinal);
            },
            e => Assert.StartsWith("Version 2 („Beschlussvorlage: Finanz- und Personalausschuss → Rat“) veröffentlicht", e.Message, StringComparison.Ordinal),
            e => Assert.Equal("Entwurf Version 2 angelegt („Beschlussvorlage: Finanz- und Personalausschuss → Rat“).", e.Message));
    }

    [Fact]
    public async Task Migration_RefusesAStepThatWouldNotGoOnAsPlanned_AndMovesATrueCounterpart()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");

        // v2 keeps the id and type of 'rat' but makes it the VA's Kenntnisnahme (ports Noted and Withdrawn only), and lets the
        // FPA's Vorberatung also conclude "Noted" (one port more, the same committee and role).
        var v2 = await DocumentAsync(admin, "beschlussvorlage", 1);
        var activities = v2["activities"]!.AsArray();
        activities.Single(a => (string)a!["id"]! == "rat")!["properties"] = new JsonObject { ["committee"] = "va", ["role"] = "Kenntnisnahme" };
        activities.Single(a => (string)a!["id"]! == "fpa")!["properties"]!["outcomes"] = new JsonArray("Adopted", "AdoptedAmended", "Rejected", "Noted", "Withdrawn");
        var connections = v2["connections"]!.AsArray();
        foreach (var connection in connections.Where(c => (string)c!["source"]! == "rat" && (string)c!["outcome"]! != "Withdrawn").ToList())
        {
            connections.Remove(connection);
        }

        connections.Add(new JsonObject { ["source"] = "rat", ["outcome"] = "Noted", ["target"] = "end" });
        connections.Add(new JsonObject { ["source"] = "fpa", ["outcome"] = "Noted", ["target"] = "va" });
        var waitingAtFpa = await RegisterAsync(test, "21-40011");
        await ExpectAsync<DefinitionVersionView>(await admin.PutAsJsonAsync("/api/workflow-definitions/beschlussvorlage/draft", v2));
        await ExpectAsync<DefinitionVersionView>(await admin.PostAsync("/api/workflow-definitions/beschlussvorlage/versions/2/publish", null));

        // The demo's 21-15813 waits at the Rat's Entscheidung: v2's 'rat' would plan something else, so it is refused, with why.
        const string Reason = "Refused: the step 'rat' in v2 plans committee 'va' instead of 'rat'; has the role 'Kenntnisnahme' instead of 'Entscheidung'; "
                              + "lets the committee only advise where it decides; has no path for 'Adopted', 'AdoptedAmended', 'Rejected', 'Recommended', "
                              + "which the planned consultation can conclude.";
        var dryRun = await ExpectAsync<MigrationReport>(await admin.PostAsJsonAsync("/api/workflow-definitions/beschlussvorlage/migrations", new MigrateInstancesRequest(2, DryRun: true)));
        Assert.Equal((1, 1), (dryRun.Migrated, dryRun.Refused));
        var refused = dryRun.Instances.Single(i => i.PaperReference == "21-15813");
        Assert.Equal(("rat", false, Reason), (refused.CurrentActivityId, refused.Migratable, refused.Result));
        Assert.Equal(("fpa", true, "Would stand at 'fpa' in v2."),
            dryRun.Instances.Where(i => i.PaperReference == "21-40011").Select(i => (i.CurrentActivityId, i.Migratable, i.Result)).Single());

        var run = await ExpectAsync<MigrationReport>(await admin.PostAsJsonAsync("/api/workflow-definitions/beschlussvorlage/migrations", new MigrateInstancesRequest(2, DryRun: false)));
        Assert.Equal((1, 1), (run.Migrated, run.Refused));
        Assert.Equal(Reason, run.Instances.Single(i => i.PaperReference == "21-15813").Result);

        // The refused paper stays on v1, and the Rat still decides it when its meeting has begun.
        var decision = await test.GetPaperByReferenceAsync("21-15813");
        Assert.Equal(1, decision.Workflow!.Version);
        Assert.DoesNotContain(decision.Journal, j => j.Kind == "InstanceMigrated");
        var rat = decision.Consultations.Single(c => c.Committee.Key == "rat" && c.Status == "Planned");
        var migrated = await test.GetPaperAsync("admin", waitingAtFpa.Id);
        Assert.Equal(2, migrated.Workflow!.Version);
        Assert.Contains(migrated.Journal, j => j.Kind == "InstanceMigrated");

        // The true counterpart goes on in v2 through its new port, to the VA.
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        var noted = await ExpectAsync<RecordOutcomeResponse>(await test.RecordAsync("admin", migrated.Consultations[0].Id, new RecordOutcomeRequest("Noted", "zur Kenntnis genommen", null)));
        Assert.Equal(["fpa", "va"], noted.Paper.Consultations.Select(c => c.Committee.Key));

        await test.MoveClockToAsync(Berlin.At(2021, 5, 18, 19, 0));
        var decided = await RecordAsync(test, rat.Id);
        Assert.Equal((1, "Finished"), (decided.Workflow!.Version, decided.Workflow.Status));
    }

    [Fact]
    public async Task Draft_WithANameOrActivityIdLongerThanStored_IsRefusedNamingThePath_AndNothingIsStored()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var document = await DocumentAsync(admin, "beschlussvorlage", 1);
        // 301 characters of a name (an emoji is two), and an activity id of 101: PostgreSQL stores neither, so a save
        // (or, for the id, every paper reaching that step) failed with a 500.
        document["name"] = "Beschlussvorlage 😀" + new string('ä', 283);
        var longId = new string('f', 101);
        document["activities"]![1]!["id"] = longId;
        foreach (var connection in document["connections"]!.AsArray().Where(c => (string)c!["source"]! == "fpa" || (string)c!["target"]! == "fpa"))
        {
            connection![(string)connection["source"]! == "fpa" ? "source" : "target"] = longId;
        }

        var response = await admin.PutAsJsonAsync("/api/workflow-definitions/beschlussvorlage/draft", document);

        await Http.EnsureAsync(response, HttpStatusCode.BadRequest);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.Equal(["$.activities[1].id", "$.name"], problem.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["The name is 302 characters long; keep it to 300."], problem.Errors["$.name"]);
        Assert.Equal(["The activity id is 101 characters long; keep it to 100."], problem.Errors["$.activities[1].id"]);
        var definitions = (await admin.GetFromJsonAsync<List<DefinitionSummary>>("/api/workflow-definitions"))!;
        Assert.Equal([1], definitions.Single(d => d.DefinitionId == "beschlussvorlage").Versions.Select(v => v.Version));
        Assert.Equal(0, (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=workflow"))!.Total);

        // At the limits it is stored, and a paper runs through the step with the longest id.
        document["name"] = "Beschlussvorlage 😀" + new string('ä', 281);
        var limitId = new string('f', 100);
        document["activities"]![1]!["id"] = limitId;
        foreach (var connection in document["connections"]!.AsArray())
        {
            if ((string)connection!["source"]! == longId)
            {
                connection["source"] = limitId;
            }

            if ((string)connection["target"]! == longId)
            {
                connection["target"] = limitId;
            }
        }

        await ExpectAsync<DefinitionVersionView>(await admin.PutAsJsonAsync("/api/workflow-definitions/beschlussvorlage/draft", document));
        await ExpectAsync<DefinitionVersionView>(await admin.PostAsync("/api/workflow-definitions/beschlussvorlage/versions/2/publish", null));
        var paper = await RegisterAsync(test, "21-40021");
        Assert.Equal((2, limitId), (paper.Workflow!.Version, paper.Workflow.CurrentActivityId));
    }

    [Fact]
    public async Task ConcurrentPublishesAndSaves_PublishADraftOnce_AndNeverChangeAPublishedVersion()
    {
        // A cheap password hash keeps the concurrent requests close together (see ConcurrentOutcomeTests).
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1));
        var admin = test.ClientFor("admin");
        var other = test.ClientFor("admin");
        var document = await DocumentAsync(admin, "beschlussvorlage", 1);

        for (var round = 0; round < 3; round++)
        {
            var draft = await ExpectAsync<DefinitionVersionView>(await admin.PutAsJsonAsync("/api/workflow-definitions/beschlussvorlage/draft", document));
            var publishes = Enumerable.Range(0, 4).Select(_ => admin.PostAsync($"/api/workflow-definitions/beschlussvorlage/versions/{draft.Version}/publish", null));
            // Another admin goes on editing the draft meanwhile: each save lands in the draft or is refused, never in the published version.
            var saves = Enumerable.Range(0, 4).Select(i =>
            {
                var edited = document.DeepClone();
                edited["name"] = $"Bearbeitet {round}.{i}";
                return other.PutAsJsonAsync("/api/workflow-definitions/beschlussvorlage/draft", edited);
            });
            var answers = await Task.WhenAll([.. publishes, .. saves]);

            Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{(int)a.StatusCode}"));
            Assert.Equal(1, answers.Take(4).Count(a => a.StatusCode == HttpStatusCode.OK));
            var published = (await admin.GetFromJsonAsync<DefinitionDocumentView>($"/api/workflow-definitions/beschlussvorlage/versions/{draft.Version}"))!;
            Assert.Equal("Published", published.State);
            var stored = JsonNode.Parse(published.Document)!;
            var history = (await admin.GetFromJsonAsync<List<DefinitionSummary>>("/api/workflow-definitions"))!.Single(d => d.DefinitionId == "beschlussvorlage");
            // A save before the publication may have renamed the draft; none after it touched the published version.
            Assert.Equal(("published", history.Versions.Single(v => v.Version == draft.Version).Name), ((string)stored["state"]!, (string)stored["name"]!));
            Assert.Equal(draft.Version, history.PublishedVersion);
            // A save after the publication started the next draft, which the next round saves over.
        }

        var record = (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=workflow"))!.Entries;
        Assert.Equal(3, record.Count(e => e.Message.Contains("veröffentlicht", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ConcurrentMigrations_MoveEachInstanceOnce_TheLaterOnesMoveNothingOrGetAConflict()
    {
        // A cheap password hash keeps the concurrent requests close together (see ConcurrentOutcomeTests).
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1));
        var admin = test.ClientFor("admin");
        var papers = new List<PaperDetails>();
        for (var i = 0; i < 6; i++)
        {
            papers.Add(await RegisterAsync(test, $"21-4003{i}"));
        }

        // v2 is v1 again: every instance has its counterpart.
        await ExpectAsync<DefinitionVersionView>(await admin.PostAsync("/api/workflow-definitions/beschlussvorlage/versions/1/revert", null));
        await ExpectAsync<DefinitionVersionView>(await admin.PostAsync("/api/workflow-definitions/beschlussvorlage/versions/2/publish", null));

        // Two admins (or a double click) start the migration at once.
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            admin.PostAsJsonAsync("/api/workflow-definitions/beschlussvorlage/migrations", new MigrateInstancesRequest(2, DryRun: false))));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{(int)a.StatusCode}"));
        var reports = new List<MigrationReport>();
        foreach (var answer in answers.Where(a => a.StatusCode == HttpStatusCode.OK))
        {
            reports.Add((await answer.Content.ReadFromJsonAsync<MigrationReport>())!);
        }

        // The six papers and the demo's 21-15813, each moved by exactly one of the migrations; only a migration that moved
        // some has a line in the Änderungsprotokoll.
        Assert.Equal(7, reports.Sum(r => r.Migrated));
        var record = (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=workflow"))!.Entries;
        Assert.Equal(reports.Count(r => r.Migrated > 0), record.Count(e => e.Message.StartsWith("Laufende Vorgänge", StringComparison.Ordinal)));
        foreach (var paper in papers)
        {
            var after = await test.GetPaperAsync("admin", paper.Id);
            Assert.Equal(2, after.Workflow!.Version);
            Assert.Single(after.Journal, j => j.Kind == "InstanceMigrated");
        }
    }

    [Fact]
    public async Task Migration_ToAnOlderPublishedVersion_RefusesTheNewerInstances_AndMovesNothingBack()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        await ExpectAsync<DefinitionVersionView>(await admin.PostAsync("/api/workflow-definitions/beschlussvorlage/versions/1/revert", null));
        await ExpectAsync<DefinitionVersionView>(await admin.PostAsync("/api/workflow-definitions/beschlussvorlage/versions/2/publish", null));
        var onV2 = await RegisterAsync(test, "21-40041");
        Assert.Equal(2, onV2.Workflow!.Version);

        // v1 is still published (publishing v2 did not retract it), but a paper that started on v2 is not moved back to it.
        const string Reason = "Refused: it stands on v2, newer than v1; a migration only moves forward (revert v1 into a new draft and publish it to go back).";
        foreach (var dryRun in new[] { true, false })
        {
            var report = await ExpectAsync<MigrationReport>(await admin.PostAsJsonAsync("/api/workflow-definitions/beschlussvorlage/migrations", new MigrateInstancesRequest(1, dryRun)));
            Assert.Equal((0, 1), (report.Migrated, report.Refused));
            Assert.Equal(("21-40041", 2, false, Reason), report.Instances.Select(i => (i.PaperReference, i.FromVersion, i.Migratable, i.Result)).Single());
        }

        var after = await test.GetPaperAsync("admin", onV2.Id);
        Assert.Equal(2, after.Workflow!.Version);
        Assert.DoesNotContain(after.Journal, j => j.Kind == "InstanceMigrated");

        // Moving nothing changed nothing: the Änderungsprotokoll has no line for it (it had "umgestellt: 0; abgelehnt: 1").
        var record = (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=workflow"))!.Entries;
        Assert.DoesNotContain(record, e => e.Message.Contains("umgestellt", StringComparison.Ordinal));
        Assert.Equal(2, record.Count);
    }

    [Fact]
    public async Task AnActivityWithALongDisplayName_RunsOnPostgres_ItsJournalLineCutToTheColumn()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        // A display name has no limit of its own; the journal's line "… gestartet." carries it, and was longer than its column.
        var document = await DocumentAsync(admin, "beschlussvorlage", 1);
        var label = "Finanz- und Personalausschuss " + string.Concat(Enumerable.Repeat("(Haushalt, Stellenplan, Beteiligungen) ", 60));
        document["activities"]![1]!["displayName"] = label;
        await ExpectAsync<DefinitionVersionView>(await admin.PutAsJsonAsync("/api/workflow-definitions/beschlussvorlage/draft", document));
        await ExpectAsync<DefinitionVersionView>(await admin.PostAsync("/api/workflow-definitions/beschlussvorlage/versions/2/publish", null));

        var paper = await RegisterAsync(test, "21-40051");

        Assert.Equal((2, "fpa", "Suspended"), (paper.Workflow!.Version, paper.Workflow.CurrentActivityId, paper.Workflow.Status));
        var started = paper.Journal.Single(j => j.Kind == "ActivityExecuted" && j.Message.StartsWith("Finanz- und Personalausschuss (", StringComparison.Ordinal));
        Assert.Equal(2000, started.Message.Length);
        Assert.EndsWith("…", started.Message, StringComparison.Ordinal);
    }

    private static async Task<JsonObject> DocumentAsync(HttpClient admin, string id, int version)
    {
        var view = (await admin.GetFromJsonAsync<DefinitionDocumentView>($"/api/workflow-definitions/{id}/versions/{version}"))!;
        return JsonNode.Parse(view.Document)!.AsObject();
    }

    private static Task<PaperDetails> RegisterAsync(TestApp test, string reference) =>
        test.RegisterAsync("admin", new RegisterPaperRequest(reference, "Vorlage " + reference, "Beschlussvorlage", "fb10", null, true, null, null));

    private static async Task<PaperDetails> RecordAsync(TestApp test, Guid consultationId) =>
        (await ExpectAsync<RecordOutcomeResponse>(await test.RecordAsync("admin", consultationId, new RecordOutcomeRequest("Adopted", "beschlossen", null)))).Paper;

    private static async Task<T> ExpectAsync<T>(HttpResponseMessage response)
    {
        await Http.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }
}
