using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;

namespace DeliberationFlow.Tests.Engine;

public sealed class WorkflowDefinitionValidationTests
{
    private static readonly ActivityRegistry Activities = CouncilActivities.Registry();

    [Fact]
    public void ShippedWorkflows_AllLoadAndValidate()
    {
        var catalog = WorkflowDefinitionCatalog.LoadFolder(Path.Combine(AppContext.BaseDirectory, "workflows"), Activities);

        Assert.Contains(catalog.All, d => d.DefinitionId == "beschlussvorlage" && d.Version == 1 && d.State == DefinitionState.Published);
        Assert.Equal([1, 2], catalog.All.Where(d => d.DefinitionId == "mitteilung").Select(d => d.Version).Order());
    }

    [Fact]
    public void Read_ReportsTheJsonPathOfAMistypedProperty()
    {
        var result = WorkflowDefinitionReader.Read("""
            { "definitionId": "x", "version": 1, "name": "X",
              "activities": [ { "id": "start", "tpye": "Start" } ], "connections": [] }
            """);

        Assert.Null(result.Definition);
        Assert.Equal(
            [
                "$.activities[0].tpye: 'tpye' is not a property of an activity; known properties: id, type, displayName, properties, designer.",
                "$.activities[0].type: This value is required; give a non-empty text.",
            ],
            result.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Read_ReportsEveryValueOfTheWrongKindAtOnce_InTheDocumentsTerms()
    {
        var result = WorkflowDefinitionReader.Read("""
            { "definitionId": "x", "version": "eins", "name": 5, "state": "fertig", "properties": [],
              "activities": [ { "id": "start", "type": "Start", "designer": { "x": "abc", "y": 1 } }, 7,
                              { "id": ["a"], "type": "End", "designer": { "x": 1e400 }, "properties": true } ],
              "connections": [ { "source": "start", "outcome": false, "target": null } ] }
            """);

        Assert.Null(result.Definition);
        Assert.Equal(
            [
                "$.activities[0].designer.x: Expected a number here, not the text \"abc\".",
                "$.activities[1]: Expected an activity object here, not the number 7.",
                "$.activities[2].designer.x: Expected a number here, not the number 1e400.",
                "$.activities[2].designer.y: This value is required; give a number.",
                "$.activities[2].id: Expected a text here, not a list.",
                "$.activities[2].properties: Expected an object of settings here, not the value true.",
                "$.connections[0].outcome: Expected a text here, not the value false.",
                "$.connections[0].target: This value is required; give a non-empty text.",
                "$.name: Expected a text here, not the number 5.",
                "$.properties: Expected an object of settings here, not a list.",
                "$.state: Expected one of \"draft\", \"published\" or \"retracted\" here, not the text \"fertig\".",
                "$.version: Expected a whole number here, not the text \"eins\".",
            ],
            result.Problems.Select(p => p.ToString()).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(result.Problems, p => p.Message.Contains("System.", StringComparison.Ordinal) || p.Message.Contains("DeliberationFlow", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[]", "Expected a workflow definition object (with definitionId, version, name, activities and connections), not a list.")]
    [InlineData("\"text\"", "Expected a workflow definition object (with definitionId, version, name, activities and connections), not the text \"text\".")]
    [InlineData("null", "The document is empty; expected a workflow definition object.")]
    public void Read_ADocumentThatIsNoObject_IsReportedAtTheRoot(string json, string message)
    {
        var problem = Assert.Single(WorkflowDefinitionReader.Read(json).Problems);

        Assert.Equal(("$", message), (problem.Path, problem.Message));
    }

    [Fact]
    public void Read_ReportsMissingRequiredValuesWithTheirPaths()
    {
        var result = WorkflowDefinitionReader.Read("""
            { "definitionId": "", "version": 0, "name": "X",
              "activities": [ { "id": "start", "type": "" } ], "connections": [ { "source": "start", "outcome": "Done" } ] }
            """);

        Assert.Equal(["$.activities[0].type", "$.connections[0].target", "$.definitionId", "$.version"], result.Problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_ADocumentWithATypeError_GetsTheChecksOfMeaningInTheSameAnswer()
    {
        var problems = ReadAndValidate("""
            { "definitionId": "x", "version": "eins", "name": "X",
              "activities": [ { "id": "start", "type": "Start" },
                              { "id": "fpa", "type": "Consultation", "properties": { "committee": "bauausschuss", "role": "Vorberatung", "outcomes": ["Adopted", "Rejected"] } },
                              { "id": "end", "type": "End" } ],
              "connections": [ { "source": "start", "outcome": "Done", "target": "fpa" }, { "source": "fpa", "outcome": "Adopted", "target": "nowhere" },
                               { "source": "fpa", "outcome": "Rejected", "target": "end" } ] }
            """, "rat", "fpa");

        Assert.Equal(
            [
                "$.activities[1].properties.committee: The body has no committee 'bauausschuss'; known committees: fpa, rat.",
                "$.connections[1].target: No activity has the id 'nowhere'; connect to an existing activity.",
                "$.version: Expected a whole number here, not the text \"eins\".",
            ],
            problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Validate_AValueOfTheWrongKind_IsReportedOnce_NotAgainAsMissingOrDangling()
    {
        var problems = ReadAndValidate("""
            { "definitionId": "x", "version": 1, "name": "X",
              "activities": [ { "id": "start", "type": "Start" },
                              { "id": "fpa", "type": "Consultation", "properties": { "committee": 5, "role": "Vorberatung", "outcomes": ["Adopted"] } },
                              { "id": "end", "type": "End" } ],
              "connections": [ { "source": "start", "outcome": "Done", "target": "fpa" }, { "source": "fpa", "outcome": "Adopted", "target": 7 } ] }
            """, "rat");

        // Neither "Set 'committee'" nor "no activity has the id ''", nor an unreachable End behind the unreadable target.
        Assert.Equal(
            [
                "$.activities[1].properties.committee: 'committee' must be a non-empty text.",
                "$.connections[1].target: Expected a text here, not the number 7.",
            ],
            problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Validate_AnActivityWhoseIdOrTypeDoesNotRead_LeavesTheRestChecked_WithoutGuessesAboutIt()
    {
        var problems = ReadAndValidate("""
            { "definitionId": "x", "version": 1, "name": "X",
              "activities": [ { "id": "start", "type": "Start" }, null, { "id": 3, "type": "Consultation", "properties": { "committee": "rat", "role": "Vorberatung", "outcomes": ["Adopted"] } },
                              { "id": "hpa", "type": "Consultation", "properties": { "committee": "hpa", "role": "Vorberatung", "outcomes": ["Adopted"] } },
                              { "id": "end", "type": ["End"] } ],
              "connections": [ { "source": "start", "outcome": "Done", "target": "3" }, { "source": "3", "outcome": "Adopted", "target": "hpa" },
                               { "source": "hpa", "outcome": "Adopted", "target": "end" } ] }
            """, "rat");

        // The placeholder for null keeps the later indices the document's; no "add an End", no "cannot be reached".
        Assert.Equal(
            [
                "$.activities[1]: Expected an activity object here, not null.",
                "$.activities[2].id: Expected a text here, not the number 3.",
                "$.activities[3].properties.committee: The body has no committee 'hpa'; known committees: rat.",
                "$.activities[4].type: Expected a text here, not a list.",
                "$.connections[0].target: No activity has the id '3'; connect to an existing activity.",
                "$.connections[1].source: No activity has the id '3'; connect an existing activity.",
            ],
            problems.Select(p => p.ToString()));
    }

    /// <summary>
    /// An OutcomeDecision whose 'of' names a Consultation whose own id did not read (a number, or none): the id is reported
    /// where it is, and 'of' is not called "not a Consultation or Hearing" — a guess about the id the user has yet to write.
    /// </summary>
    [Theory]
    [InlineData("\"id\": 3,", "$.activities[1].id: Expected a text here, not the number 3.")]
    [InlineData("", "$.activities[1].id: This value is required; give a non-empty text.")]
    public void Validate_AnOutcomeDecisionOfAConsultationWhoseIdDidNotRead_ReportsTheIdOnly(string id, string idProblem)
    {
        var problems = ReadAndValidate($$"""
            { "definitionId": "x", "version": 1, "name": "X",
              "activities": [ { "id": "start", "type": "Start" },
                              { {{id}} "type": "Consultation", "properties": { "committee": "rat", "role": "Vorberatung", "outcomes": ["Adopted"] } },
                              { "id": "decide", "type": "OutcomeDecision", "properties": { "of": "3" } },
                              { "id": "end", "type": "End" } ],
              "connections": [ { "source": "start", "outcome": "Done", "target": "decide" },
                               { "source": "decide", "outcome": "Adopted", "target": "end" }, { "source": "decide", "outcome": "AdoptedAmended", "target": "end" },
                               { "source": "decide", "outcome": "Rejected", "target": "end" }, { "source": "decide", "outcome": "Noted", "target": "end" } ] }
            """, "rat");

        Assert.Equal([idProblem], problems.Select(p => p.ToString()));
    }

    /// <summary>
    /// The exemption is for a target that may be the unread one: with every id read, or with only a Wait without id,
    /// a name that finds no Consultation or Hearing is still reported.
    /// </summary>
    [Theory]
    [InlineData("\"id\": \"3\", \"type\": \"Wait\"", "")]
    [InlineData("\"id\": 3, \"type\": \"Wait\"", "$.activities[1].id: Expected a text here, not the number 3.")]
    [InlineData("\"id\": \"fpa\", \"type\": \"Consultation\"", "")]
    public void Validate_AnOutcomeDecisionOfNoConsultationOrHearing_IsReported_WhenNoReadableTargetIsMissing(string activity, string idProblem)
    {
        var properties = activity.Contains("Wait", StringComparison.Ordinal)
            ? """{ "daysAfterLastMeeting": 3 }"""
            : """{ "committee": "rat", "role": "Vorberatung", "outcomes": ["Adopted"] }""";
        var problems = ReadAndValidate($$"""
            { "definitionId": "x", "version": 1, "name": "X",
              "activities": [ { "id": "start", "type": "Start" }, { {{activity}}, "properties": {{properties}} },
                              { "id": "decide", "type": "OutcomeDecision", "properties": { "of": "3" } },
                              { "id": "end", "type": "End" } ],
              "connections": [ { "source": "start", "outcome": "Done", "target": "decide" },
                               { "source": "decide", "outcome": "Adopted", "target": "end" }, { "source": "decide", "outcome": "AdoptedAmended", "target": "end" },
                               { "source": "decide", "outcome": "Rejected", "target": "end" }, { "source": "decide", "outcome": "Noted", "target": "end" } ] }
            """, "rat").Where(p => p.Path.StartsWith("$.activities[1].id", StringComparison.Ordinal) || p.Path.StartsWith("$.activities[2]", StringComparison.Ordinal));

        Assert.Equal(
            [.. new[] { idProblem }.Where(p => p.Length > 0),
             "$.activities[2].properties.of: 'of' names '3', which is not a Consultation or Hearing activity of this workflow."],
            problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Validate_OrdersTheCombinedProblemsByPath_IndicesByNumber()
    {
        var activities = string.Join(", ", Enumerable.Range(0, 11).Select(k => $$"""{ "id": "a{{k}}", "type": "Voting{{k}}" }"""));
        var problems = ReadAndValidate($$"""
            { "definitionId": "x", "version": 1, "name": 1, "activities": [ {{activities}} ], "connections": [] }
            """);

        var paths = problems.Select(p => p.Path).ToList();
        Assert.True(paths.IndexOf("$.activities[2].type") < paths.IndexOf("$.activities[10].type"), string.Join(", ", paths));
        Assert.Equal("$.name", paths[^1]);
    }

    /// <summary>
    /// Found by <see cref="WorkflowDefinitionMutationTests"/> (its no-duplicates assertion failed): text edits had turned <c>"outcomes": ["Rejected"]</c> into <c>["Rejected","Rejected"]</c> and the
    /// connection for Rejected into a second one for Withdrawn. The open-port check went through the outcomes as listed,
    /// so the one open port was reported once per entry.
    /// </summary>
    [Fact]
    public void Validate_AnOutcomeListedTwice_IsOnePort_ReportedOnceWhenOpen()
    {
        var problems = ReadAndValidate("""
            {"definitionId":"random-2","version":3,"name":"Zufall","activities":[{"id":"start","type":"Start"},{"id":"c0","type":"Consultation","properties":{"committee":"k1","role":"Entscheidung","outcomes":["AdoptedAmended"]}},{"id":"c1","type":"Consultation","properties":{"committee":"k2","role":"Vorberatung","outcomes":["Rejected","Rejected"]}},{"id":"end","type":"End"}],"connections":[{"source":"start","outcome":"Done","target":"c0"},{"source":"c0","outcome":"AdoptedAmended","target":"c1"},{"source":"c1","outcome":"Withdrawn","target":"end"},{"source":"c1","outcome":"Withdrawn","target":"end"}]}
            """, "k1", "k2");

        Assert.Equal(
            [
                "$.activities[2]: Outcome 'Rejected' of 'c1' has no connection; connect it to the next activity (or to an 'End').",
                "$.connections[2].outcome: Activity 'c1' (Consultation) has no outcome 'Withdrawn'; use one of: Rejected.",
                "$.connections[3]: Outcome 'Withdrawn' of 'c1' is connected twice; keep one connection per outcome.",
                "$.connections[3].outcome: Activity 'c1' (Consultation) has no outcome 'Withdrawn'; use one of: Rejected.",
            ],
            problems.Select(p => p.ToString()));
    }

    /// <summary>
    /// A known member given twice in one object (JSON allows it) kept the last value without a word: the document below
    /// was valid, an activity meant as the Start ran as an End, "outcomes" lost a port and the name was the second one.
    /// Each is reported once, where it repeats, naming the member; neither value is guessed at, so nothing follows from
    /// it (no missing Start, no open or unknown outcome).
    /// </summary>
    [Fact]
    public void Read_AKnownMemberGivenTwice_IsReportedOnceWhereItRepeats_AndNeitherValueIsTaken()
    {
        var problems = ReadAndValidate("""
            {"definitionId":"doppelt","version":1,"name":"Erster Name","name":"Zweiter Name",
             "activities":[
               {"id":"start","type":"Start","Type":"End","type":"Start"},
               {"id":"c0","type":"Consultation","properties":{"committee":"k1","role":"Entscheidung","outcomes":["Adopted","Rejected"],"outcomes":["Adopted"]}},
               {"id":"end","type":"End","designer":{"x":1,"y":2,"x":3}}],
             "connections":[
               {"source":"start","outcome":"Done","target":"c0"},
               {"source":"c0","outcome":"Adopted","target":"end"},
               {"source":"c0","outcome":"Rejected","target":"end","target":"end"}]}
            """, "k1");

        Assert.Equal(
            [
                "$.activities[0].type: 'Type' gives 'type' a second time in an activity (names are read regardless of case); only one value can count. Keep one 'type' and remove the other.",
                "$.activities[1].properties.outcomes: 'outcomes' is given twice in these properties; only one value can count. Keep one 'outcomes' and remove the other.",
                "$.activities[2].designer.x: 'x' is given twice in a designer position; only one value can count. Keep one 'x' and remove the other.",
                "$.connections[2].target: 'target' is given twice in a connection; only one value can count. Keep one 'target' and remove the other.",
                "$.name: 'name' is given twice in a workflow definition; only one value can count. Keep one 'name' and remove the other.",
            ],
            problems.Select(p => p.ToString()));
    }

    /// <summary>
    /// A setting the activity's type does not have, given twice (a typo copied: "comittee" twice), was reported only as
    /// given twice: "Keep one 'comittee'" had the author keep the typo, and that the type has no such setting was lost.
    /// It is reported as unknown, naming it and the known ones, as when given once, and not also as given twice; and as
    /// no setting of the type it hides none of the activity's outcomes (the open one is reported). A known setting given
    /// twice stays "given twice".
    /// </summary>
    [Fact]
    public void Validate_AnUnknownSettingGivenTwice_IsReportedAsUnknown_NotAsGivenTwice()
    {
        var problems = ReadAndValidate("""
            {"definitionId":"tippfehler","version":1,"name":"Tippfehler",
             "activities":[
               {"id":"start","type":"Start"},
               {"id":"c0","type":"Consultation","properties":{"committee":"k1","comittee":"k1","role":"Entscheidung","comittee":"k2","outcomes":["Adopted","Rejected"]}},
               {"id":"c1","type":"Consultation","properties":{"committee":"k1","role":"Anhörung","role":"Vorberatung","outcomes":["Adopted"]}},
               {"id":"end","type":"End"}],
             "connections":[
               {"source":"start","outcome":"Done","target":"c0"},
               {"source":"c0","outcome":"Adopted","target":"c1"},
               {"source":"c1","outcome":"Adopted","target":"end"}]}
            """, "k1");

        Assert.Equal(
            [
                "$.activities[1]: Outcome 'Rejected' of 'c0' has no connection; connect it to the next activity (or to an 'End').",
                "$.activities[1].properties.comittee: 'Consultation' has no property 'comittee'; known properties: committee, role, authoritative, reminder, outcomes.",
                "$.activities[2].properties.role: 'role' is given twice in these properties; only one value can count. Keep one 'role' and remove the other.",
            ],
            problems.Select(p => p.ToString()));
    }

    /// <summary>
    /// Found by the mutation tests: a member name the reader does not know, given twice in one object (JSON allows it),
    /// was reported once per occurrence, with the same path and words.
    /// </summary>
    [Fact]
    public void Read_AnUnknownMemberGivenTwice_IsReportedOnce()
    {
        var result = WorkflowDefinitionReader.Read("""
            {"definitionId":"random-5","version":2,"name":"Zufall","activities":[{"id":"start","type":"Start"},{"id":"c0","type":"Consultation","target":{"committee":"k2","role":"Vorberatung","authoritative":false,"outcomes":["Rejected"]}},{"id":"c1","type":"Consultation","properties":{"committee":"k0","role":"Vorberatung","authoritative":false,"outcomes":["Adopted"]}},{"id":"c2","type":"Consultation","properties":{"committee":"k1","role":"Entscheidung","outcomes":["AdoptedAmended"]}},{"id":"c3","type":"Consultation","source":{"committee":"k1","role":"Entscheidung","authoritative":false,"outcomes":["AdoptedAmended","Withdrawn"]}},{"id":"c4","type":"Consultation","properties":{"committee":"k2","role":"Vorberatung","outcomes":["Rejected"]}},{"id":"end","type":"End"}],"connections":[{"properties":"start","outcome":"Done","properties":"c0"},{"source":"c0","outcome":"Rejected","target":"c1"},{"source":"c1","outcome":"Adopted","target":"c2"},{"source":"c2","outcome":"AdoptedAmended","target":"c3"},{"source":"c3","outcome":"Withdrawn","target":"end"},{"source":"c3","outcome":"AdoptedAmended","target":"c4"},{"source":"c4","outcome":"Rejected","taget":"end"}]}
            """);

        Assert.Equal(
            [
                "$.activities[1].target: 'target' is not a property of an activity; known properties: id, type, displayName, properties, designer.",
                "$.activities[4].source: 'source' is not a property of an activity; known properties: id, type, displayName, properties, designer.",
                "$.connections[0].properties: 'properties' is not a property of a connection; known properties: source, outcome, target.",
                "$.connections[0].source: This value is required; give a non-empty text.",
                "$.connections[0].target: This value is required; give a non-empty text.",
                "$.connections[6].taget: 'taget' is not a property of a connection; known properties: source, outcome, target.",
                "$.connections[6].target: This value is required; give a non-empty text.",
            ],
            result.Problems.Select(p => p.ToString()));
        var problems = new WorkflowDefinitionValidator(Activities).Validate(result, DefinitionValidationContext.Empty);
        Assert.Equal(problems.Count, problems.Distinct().Count());
    }

    /// <summary>
    /// Found by the mutation tests: two member names with broken escapes in one activity. Neither name can be shown, so
    /// both were reported at the activity in the same words; one report says it all.
    /// </summary>
    [Fact]
    public void Read_SeveralMemberNamesWithBrokenEscapesInOneObject_AreReportedOnce()
    {
        var result = WorkflowDefinitionReader.Read("""
            {"definitionId":"random-2","versio":1,"name":"Zufall","activities":[{"id":"start","type":"Start"},{"id":"c0","type":"Consultation","properties":{"committee":"k2","role":"Vorberatung","authoritative":false,"outcomes":["Rejected","Withdrawn"]}},{"id":"c1","t\ud800ype":"Consultation","prope\ud800rties":{"committee":"k2","role":"Vorberatung","outcomes":["Rejected"]}},{"id":"end","type":"End"}],"connections":[{"source":"start","outcome":"Done","target":"c0"},{"source":"c0","outcome":"Withdrawn","target":"end"},{"source":"c0","outcome":"Rejected","target":"c1"},{"source":"c1","outcome":"Rejected","target":"end"}]}
            """);

        Assert.Equal(
            [
                "$.versio: 'versio' is not a property of a workflow definition; known properties: $schema, definitionId, version, name, description, state, properties, activities, connections.",
                "$.version: Set a version number of 1 or more.",
                "$.activities[2]: A property name contains a broken escape (an unpaired surrogate such as \\ud800); remove or correct it.",
                "$.activities[2].type: This value is required; give a non-empty text.",
            ],
            result.Problems.Select(p => p.ToString()));
        var problems = new WorkflowDefinitionValidator(Activities).Validate(result, DefinitionValidationContext.Empty);
        Assert.Equal(problems.Count, problems.Distinct().Count());
    }

    private static IReadOnlyList<DefinitionProblem> ReadAndValidate(string json, params string[] committees)
    {
        var context = new DefinitionValidationContext(new Dictionary<string, IReadOnlySet<string>>
        {
            [CouncilReferences.Committees] = committees.ToHashSet(StringComparer.Ordinal),
        });
        return new WorkflowDefinitionValidator(Activities).Validate(WorkflowDefinitionReader.Read(json), context);
    }

    [Fact]
    public void Validate_ReportsEveryProblemAtOnce_EachWithPathAndAdvice()
    {
        var definition = new WorkflowDefinition
        {
            DefinitionId = "broken",
            Version = 1,
            Name = "Broken",
            Activities =
            [
                new() { Id = "start", Type = "Start" },
                new() { Id = "fpa", Type = "Consultation", Properties = Properties("""{ "role": "Vorberatung", "authoritative": "ja", "colour": "red" }""") },
                new() { Id = "lost", Type = "Consultation", Properties = Properties("""{ "committee": "rat", "role": "Entscheidung" }""") },
                new() { Id = "vote", Type = "Voting" },
            ],
            Connections = [new("start", "Done", "fpa"), new("fpa", "Approved", "end"), new("fpa", "Adopted", "nowhere")],
        };

        var problems = new WorkflowDefinitionValidator(Activities).Validate(definition);

        var paths = problems.Select(p => p.Path).ToList();
        Assert.Contains("$.activities[1].properties.committee", paths);
        Assert.Contains("$.activities[1].properties.authoritative", paths);
        Assert.Contains("$.activities[1].properties.colour", paths);
        Assert.Contains("$.activities[3].type", paths);
        Assert.Contains("$.connections[1].outcome", paths);
        Assert.Contains("$.connections[1].target", paths);
        Assert.Contains("$.connections[2].target", paths);
        Assert.Contains("$.activities[2]", paths);
        Assert.Contains(problems, p => p.Path == "$.activities" && p.Message.Contains("'End'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Path == "$.activities[3].type" && p.Message.Contains("Consultation", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Bad Id")]
    [InlineData("a..b")]
    [InlineData("ä")]
    [InlineData("-leading-hyphen")]
    [InlineData("trailing-newline\n")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Validate_ReportsADefinitionIdOutsideTheSchemaPattern(string id)
    {
        var definition = new WorkflowDefinition
        {
            DefinitionId = id, Version = 1, Name = "X",
            Activities = [new() { Id = "start", Type = "Start" }, new() { Id = "end", Type = "End" }],
            Connections = [new("start", "Done", "end")],
        };

        var problem = Assert.Single(new WorkflowDefinitionValidator(Activities).Validate(definition));

        Assert.Equal("$.definitionId", problem.Path);
        Assert.Contains(id.Length > DefinitionIds.MaxLength ? "keep it to 100" : "lower-case letters", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("beschlussvorlage-fachausschuss")]
    [InlineData("2021-haushalt")]
    public void Validate_AcceptsADefinitionIdWithinThePattern(string id) =>
        Assert.Null(DefinitionIds.Problem(id));

    [Fact]
    public void Validate_RefusesAnOversizedWorkflow_AtOnce_WithoutCheckingItsSteps()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();

        var problems = new WorkflowDefinitionValidator(Activities).Validate(Chain(10_000));

        Assert.Equal(
            ["$.activities: The workflow has 10002 activities; keep it to 500 (split it into several workflows).",
             "$.connections: The workflow has 10001 connections; keep it to 2000."],
            problems.Select(p => p.ToString()));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(1), $"Refusing took {started.Elapsed}.");
    }

    [Fact]
    public void Validate_AChainAtTheLimit_IsValid_AndCheckedWithoutScanningEveryConnectionPerActivity()
    {
        var definition = Chain(WorkflowDefinitionValidator.MaxActivities - 2);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var problems = new WorkflowDefinitionValidator(Activities).Validate(definition);

        Assert.Empty(problems);
        // Quadratic, 500 activities took about 20 ms here; the bound is loose for a shared machine, the point is the cap above.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"Checking took {started.Elapsed}.");
    }

    /// <summary>Start → n consultations, each adopted into the next → End.</summary>
    private static WorkflowDefinition Chain(int n)
    {
        var ids = Enumerable.Range(0, n).Select(k => $"c{k}").ToList();
        List<string> path = ["start", .. ids, "end"];
        return new WorkflowDefinition
        {
            DefinitionId = "chain", Version = 1, Name = "Chain",
            Activities =
            [
                new() { Id = "start", Type = "Start" },
                .. ids.Select(id => new ActivityDefinition
                {
                    Id = id, Type = "Consultation", Properties = Properties("""{ "committee": "rat", "role": "Vorberatung", "outcomes": ["Adopted"] }"""),
                }),
                new() { Id = "end", Type = "End" },
            ],
            Connections = [.. path.Zip(path.Skip(1), (from, to) => new Connection(from, from == "start" ? "Done" : "Adopted", to))],
        };
    }

    [Fact]
    public void LoadFolder_RefusesAnInvalidFile_NamingTheFileAndThePath()
    {
        var folder = Directory.CreateTempSubdirectory("workflows-").FullName;
        File.WriteAllText(Path.Combine(folder, "two-starts.json"), """
            { "definitionId": "two-starts", "version": 1, "name": "Two starts",
              "activities": [ { "id": "a", "type": "Start" }, { "id": "b", "type": "Start" }, { "id": "end", "type": "End" } ],
              "connections": [ { "source": "a", "outcome": "Done", "target": "end" }, { "source": "b", "outcome": "Done", "target": "end" } ] }
            """);

        var error = Assert.Throws<InvalidWorkflowDefinitionException>(() => WorkflowDefinitionCatalog.LoadFolder(folder, Activities));

        Assert.Contains("two-starts.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.activities: Keep exactly one 'Start' activity", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, System.Text.Json.JsonElement> Properties(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>(json)!;
}
