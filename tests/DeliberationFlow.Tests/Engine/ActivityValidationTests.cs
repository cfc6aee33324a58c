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
        Assert.Equal("$.activities[1]", problem.Path);
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
        Assert.Contains(problems, p => p.Path == "$.activities[2]" && p.Message.StartsWith("'subject' is not a valid Liquid template", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Path == "$.activities[2]" && p.Message.Contains("Unknown recipient 'everyone'", StringComparison.Ordinal));
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
