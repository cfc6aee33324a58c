using System.Text.Json;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;

namespace DeliberationFlow.Tests.Engine;

/// <summary>What a studio user is told before saving or publishing a definition that would go wrong at run time.</summary>
public sealed class ActivityValidationTests
{
    private static readonly ActivityRegistry Activities = CouncilActivities.Registry();

    private static readonly DefinitionValidationContext Braunschweig = new(new Dictionary<string, IReadOnlySet<string>>
    {
        [CouncilReferences.Committees] = new HashSet<string> { "rat", "va", "fpa" },
    });

    [Fact]
    public void UnconnectedOutcome_IsReported_WithTheActivityAndTheOutcome()
    {
        var problems = Validate(Flow(Consultation("rat", "rat", "Entscheidung"), [C("start", "Done", "rat"), C("rat", "Adopted", "end"), C("rat", "Rejected", "end")]));

        Assert.Contains(problems, p => p.Path == "$.activities[1]" && p.Message.Contains("'AdoptedAmended' of 'rat' has no connection", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("'Withdrawn' of 'rat'", StringComparison.Ordinal));
    }

    [Fact]
    public void ConsultationLimitedToSomeOutcomes_NeedsOnlyThoseConnected()
    {
        var rat = Consultation("rat", "rat", "Entscheidung", """ "outcomes": ["Adopted", "Rejected"] """);

        Assert.Empty(Validate(Flow(rat, [C("start", "Done", "rat"), C("rat", "Adopted", "end"), C("rat", "Rejected", "end")])));
    }

    [Fact]
    public void LoopWithNoWayOut_IsReported()
    {
        var definition = new WorkflowDefinition
        {
            DefinitionId = "loop", Version = 1, Name = "Loop",
            Activities =
            [
                new() { Id = "start", Type = "Start" },
                Consultation("a", "fpa", "Vorberatung", """ "outcomes": ["Adopted"] """),
                Consultation("b", "va", "Vorberatung", """ "outcomes": ["Adopted"] """),
                new() { Id = "end", Type = "End" },
            ],
            Connections = [C("start", "Done", "a"), C("a", "Adopted", "b"), C("b", "Adopted", "a")],
        };

        var problems = Validate(definition);

        Assert.Contains(problems, p => p.Path == "$.activities[1]" && p.Message.Contains("no path leads to an 'End'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Path == "$.activities[2]" && p.Message.Contains("no path leads to an 'End'", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownCommittee_IsReported_WhenTheBodyIsKnown()
    {
        var definition = Flow(Consultation("bau", "bauausschuss", "Vorberatung", """ "outcomes": ["Adopted"] """), [C("start", "Done", "bau"), C("bau", "Adopted", "end")]);

        Assert.Empty(Validate(definition));
        var problem = Assert.Single(Validate(definition, Braunschweig));
        Assert.Equal("$.activities[1].properties.committee", problem.Path);
        Assert.Contains("no committee 'bauausschuss'; known committees: fpa, rat, va", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConditionWithBrokenJavaScript_AndNotifyWithBrokenTemplate_AreReported()
    {
        var definition = new WorkflowDefinition
        {
            DefinitionId = "broken", Version = 1, Name = "Broken",
            Activities =
            [
                new() { Id = "start", Type = "Start" },
                new() { Id = "if", Type = "Condition", Properties = Json("""{ "expression": "paper.type === (" }""") },
                new() { Id = "mail", Type = "Notify", Properties = Json("""{ "recipients": ["leadOffice", "everyone"], "subject": "{{ paper.reference ", "text": "ok" }""") },
                new() { Id = "end", Type = "End" },
            ],
            Connections = [C("start", "Done", "if"), C("if", "True", "mail"), C("if", "False", "end"), C("mail", "Done", "end")],
        };

        var problems = Validate(definition);

        Assert.Contains(problems, p => p.Path == "$.activities[1]" && p.Message.StartsWith("The expression is not valid JavaScript", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Path == "$.activities[2].properties.subject" && p.Message.StartsWith("'subject' is not a valid Liquid template", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Path == "$.activities[2].properties.recipients[1]" && p.Message.Contains("Unknown recipient 'everyone'", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownConsultationRole_IsReportedAtTheRole_NamingTheKnownRoles()
    {
        var definition = Flow(Consultation("bau", "fpa", "Quatsch", """ "outcomes": ["Adopted"] """), [C("start", "Done", "bau"), C("bau", "Adopted", "end")]);

        var problem = Assert.Single(Validate(definition, Braunschweig));

        Assert.Equal("$.activities[1].properties.role", problem.Path);
        Assert.Contains("\"Quatsch\", which is not a known role; use one of: Anhörung, Vorberatung, Entscheidung, Kenntnisnahme, Beratung", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Entscheidung")]
    [InlineData("kenntnisnahme")]
    [InlineData("Beschlussfassung")]
    public void KnownConsultationRoles_AndTheirSynonyms_AreAccepted(string role)
    {
        var definition = Flow(Consultation("bau", "fpa", role, """ "outcomes": ["Adopted"] """), [C("start", "Done", "bau"), C("bau", "Adopted", "end")]);

        Assert.Empty(Validate(definition, Braunschweig));
    }

    [Fact]
    public void HearingWithUnknownRoleJoinAndCommittee_IsReportedAtEachProperty()
    {
        var hearing = new ActivityDefinition
        {
            Id = "sbr", Type = "Hearing",
            Properties = Json("""{ "committees": ["rat", "sbr-999"], "join": "some", "role": "Quatsch" }"""),
        };

        var paths = Validate(Flow(hearing, [C("start", "Done", "sbr"), C("sbr", "Done", "end")]), Braunschweig).Select(p => p.Path).Order(StringComparer.Ordinal);

        Assert.Equal(["$.activities[1].properties.committees[1]", "$.activities[1].properties.join", "$.activities[1].properties.role"], paths);
    }

    [Fact]
    public void WaitWithAnInvalidUntil_IsReportedAtUntil_AndTwoSettingsAtTheActivity()
    {
        var wait = new ActivityDefinition { Id = "wait", Type = "Wait", Properties = Json("""{ "until": "morgen", "daysAfterLastMeeting": 5000 }""") };

        var paths = Validate(Flow(wait, [C("start", "Done", "wait"), C("wait", "Done", "end")])).Select(p => p.Path).Order(StringComparer.Ordinal);

        Assert.Equal(["$.activities[1]", "$.activities[1].properties.daysAfterLastMeeting", "$.activities[1].properties.until"], paths);
    }

    [Fact]
    public void Condition_EvaluatesPaperAttributes()
    {
        const string paper = """{ "type": "Mitteilung", "participatingOffices": ["fb20"], "consultations": [ { "committee": "fpa", "outcome": "Rejected" } ] }""";

        Assert.True(ConditionActivity.Evaluate("paper.participatingOffices.includes('fb20')", paper));
        Assert.False(ConditionActivity.Evaluate("paper.type === 'Beschlussvorlage'", paper));
        Assert.True(ConditionActivity.Evaluate("paper.consultations.some(c => c.outcome === 'Rejected')", paper));
    }

    [Theory]
    [InlineData("(() => { while (true) { } })()")]
    [InlineData("(function f() { return f(); })()")]
    [InlineData("new Array(100000000).fill('x').join('')")]
    [InlineData("System.IO.File.Delete('/etc/passwd')")]
    [InlineData("importNamespace('System')")]
    public void Condition_IsSandboxed_AgainstRunawayAndHostileScripts(string expression)
    {
        var started = DateTime.UtcNow;

        var error = Assert.Throws<WorkflowStateException>(() => ConditionActivity.Evaluate(expression, "{}"));

        Assert.StartsWith("The condition", error.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "The sandbox must stop a script quickly.");
    }

    [Theory]
    [InlineData("\"x\".repeat(4e8).length > 0")]
    [InlineData("\"x\".padEnd(4e8).length > 0")]
    [InlineData("\"x\".padStart(4e8).length > 0")]
    [InlineData("Array(1e8).join('x').length > 0")]
    [InlineData("Array.prototype.join.call({ length: 4e8 }, 'x').length > 0")]
    [InlineData("new Array(1e9).length > 0")]
    [InlineData("Array.from({ length: 1e8 }).length > 0")]
    [InlineData("String.fromCharCode.apply(null, Array(1e8)).length > 0")]
    [InlineData("JSON.stringify(Array(500).fill('y'.repeat(90000))).length > 0")]
    [InlineData("(() => { let s = 'x'; for (let i = 0; i < 18; i++) s += s; return Array(500).fill(s).join('').length > 0; })()")]
    [InlineData("(() => { let s = 'x'; for (let i = 0; i < 18; i++) s += s; return ''.concat(...Array(500).fill(s)).length > 0; })()")]
    [InlineData("(() => { let s = 'x'; for (let i = 0; i < 18; i++) s += s; return String(Array(500).fill(s)).length > 0; })()")]
    [InlineData("'x'.repeat(1000).replace(/x/g, '$`$`').length > 0")]
    [InlineData("(() => { let s = 'x'; for (let i = 0; i < 18; i++) s += s; return 'y'.repeat(500).replaceAll('y', () => s).length > 0; })()")]
    [InlineData("new ArrayBuffer(4e8).byteLength > 0")]
    [InlineData("new Uint8Array(4e8).length > 0")]
    public void Condition_RefusesSingleCallsThatWouldAllocateFarBeyondTheMemoryLimit(string expression)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<WorkflowStateException>(() => ConditionActivity.Evaluate(expression, "{}"));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith("The condition", error.Message, StringComparison.Ordinal);
        // The limit is 4 MB; Jint measures between statements, so a few MB of overshoot is expected, hundreds are the defect.
        Assert.True(allocated < 64_000_000, $"The evaluation allocated {allocated:N0} bytes: {error.Message}");
    }

    [Fact]
    public void Condition_StopsACatastrophicRegularExpression_WithinItsOwnTimeLimit()
    {
        var error = Assert.Throws<WorkflowStateException>(() => ConditionActivity.Evaluate("/(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')", "{}"));

        Assert.Equal("The condition „/(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')“ failed: it ran longer than 100 ms.", error.Message);
    }

    [Fact]
    public void Condition_GuardedStringAndArrayBuiltIns_StillWorkOnPaperSizedValues()
    {
        const string paper = """{ "reference": "2024/0001", "participatingOffices": ["fb20", "fb40"] }""";

        Assert.True(ConditionActivity.Evaluate("paper.participatingOffices.join('+') === 'fb20+fb40' && String(paper.participatingOffices) === 'fb20,fb40'", paper));
        Assert.True(ConditionActivity.Evaluate("`${paper.participatingOffices}` === 'fb20,fb40' && paper.participatingOffices.toLocaleString() === 'fb20,fb40'", paper));
        Assert.True(ConditionActivity.Evaluate(@"paper.reference.replace('/', '-') === '2024-0001' && paper.reference.replaceAll(/0/g, d => d + d) === '20024/0000001'", paper));
        Assert.True(ConditionActivity.Evaluate(@"paper.reference.replace(/(\d+)\/(\d+)/, '$2-$1') === '0001-2024'", paper));
        Assert.True(ConditionActivity.Evaluate("'7'.padStart(3, '0') === '007' && 'ab'.repeat(2) === 'abab' && 'a'.concat('b', 1) === 'ab1' && 'x'.padEnd(2, '.') === 'x.'", paper));
        Assert.True(ConditionActivity.Evaluate("paper.reference.split('/')[0] === '2024' && typeof JSON === 'undefined'", paper));
    }

    private static IReadOnlyList<DefinitionProblem> Validate(WorkflowDefinition definition, DefinitionValidationContext? context = null) =>
        new WorkflowDefinitionValidator(Activities).Validate(definition, context ?? DefinitionValidationContext.Empty);

    private static WorkflowDefinition Flow(ActivityDefinition middle, Connection[] connections) => new()
    {
        DefinitionId = "flow", Version = 1, Name = "Flow",
        Activities = [new() { Id = "start", Type = "Start" }, middle, new() { Id = "end", Type = "End" }],
        Connections = connections,
    };

    private static ActivityDefinition Consultation(string id, string committee, string role, string extra = "") => new()
    {
        Id = id,
        Type = "Consultation",
        Properties = Json($$"""{ "committee": "{{committee}}", "role": "{{role}}" {{(extra.Length > 0 ? "," + extra : "")}} }"""),
    };

    private static Connection C(string source, string outcome, string target) => new(source, outcome, target);

    private static Dictionary<string, JsonElement> Json(string json) => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
}
