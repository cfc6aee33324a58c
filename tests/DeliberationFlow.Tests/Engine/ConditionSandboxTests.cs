using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Runtime;

namespace DeliberationFlow.Tests.Engine;

/// <summary>The condition sandbox's bound: every expression evaluates, or is refused, within 64 MB and about a second.</summary>
public sealed class ConditionSandboxTests
{
    private const long AllocationBound = 64_000_000;
    private const string Paper = """{ "reference": "2024/0001", "name": "Neubau der Grundschule", "type": "Mitteilung", "leadOffice": "fb20", "participatingOffices": ["fb20", "fb40"], "consultations": [ { "committee": "fpa", "outcome": "Rejected", "result": "abgelehnt" }, { "committee": "rat", "outcome": null } ] }""";

    [Theory]
    // The gaps measured before the rule: a string grown by statements and copied in a map, quadratic captures.
    [InlineData("(() => { let s = 'x'.repeat(1e5); s = s + s + s + s + s; return Array(300).fill(0).map(() => s.toLowerCase()).length; })()")]
    [InlineData("[...'x'.repeat(1e4).matchAll(/(?=(.*))/g)].length > 0")]
    [InlineData("'x'.repeat(1e4).split(/(?=(.*))/).length > 0")]
    [InlineData("('x'.repeat(5000) + 'x'.repeat(5000)).split(/(?=(.*))/).length > 0")]
    // Built-in callbacks run no statement; before, these allocated 60 and 600 MB.
    [InlineData("Array(300).fill('x'.repeat(1e5)).map(Function.prototype.call, String.prototype.toUpperCase).length > 0")]
    [InlineData("Array.from({ length: 500 }, () => 'ä'.repeat(9000)).map(encodeURIComponent).length > 0")]
    [InlineData("Array.from({ length: 500 }, () => 'ä'.repeat(9000)).map(s => encodeURIComponent(s)).length > 0")]
    // Deferred concatenation: many long strings built cheaply, then copied by one built-in.
    [InlineData("['x'.repeat(1e4)].map(s => s + s + s + s + s + s + s + s + s + s).flatMap(s => [s + 0, s + 1, s + 2, s + 3, s + 4, s + 5, s + 6, s + 7]).toSorted().length > 0")]
    [InlineData("['x'.repeat(9999)].map(s => `${s}${s}${s}${s}${s}${s}${s}${s}`).length > 0")]
    // Regular expressions: many slow matches, and captures of a long input per group.
    [InlineData("('a'.repeat(21) + 'c').repeat(400).match(/(a|aa)+b|c/g).length > 0")]
    [InlineData("[...('a'.repeat(21) + 'c').repeat(400).matchAll(/(a|aa)+b|c/g)].length > 0")]
    [InlineData("/((((((((((((((((((((.*))))))))))))))))))))/.exec('x'.repeat(9999)).length > 0")]
    // Search that is quadratic in its inputs.
    [InlineData("('a'.repeat(1e4)).includes('a'.repeat(5000) + 'b')")]
    public void AnAttack_IsRefusedOrEvaluated_WithinTheBound(string expression)
    {
        var started = DateTime.UtcNow;
        var before = GC.GetAllocatedBytesForCurrentThread();

        string outcome;
        try
        {
            outcome = ConditionActivity.Evaluate(expression, Paper).ToString();
        }
        catch (WorkflowStateException ex)
        {
            outcome = ex.Message;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var elapsed = DateTime.UtcNow - started;
        Assert.True(allocated < AllocationBound, $"The evaluation allocated {allocated:N0} bytes: {outcome}");
        Assert.True(elapsed < TimeSpan.FromSeconds(1.5), $"The evaluation took {elapsed.TotalMilliseconds:0} ms: {outcome}");
    }

    [Fact]
    public void AnObjectWhoseToStringIsABuiltIn_CannotBeWritten()
    {
        // Before the rule this overflowed the process stack: toUpperCase converts its receiver with toString, itself.
        var error = Assert.Throws<WorkflowStateException>(() => ConditionActivity.Evaluate("({ toString: ''.toUpperCase }) + ''", Paper));

        Assert.Contains("an object literal may only hold constants", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("let s = 1; s", "it must be exactly one expression, not a declaration (column 1)")]
    [InlineData("paper.a = 1", "an assignment is not allowed (column 1)")]
    [InlineData("paper.consultations.length++ > 0", "'++' or '--' is not allowed (column 1)")]
    [InlineData("paper.isPublic, paper.name", "the comma operator is not allowed (column 1)")]
    [InlineData("paper.consultations.some(c => paper.participatingOffices.some(o => o === c.committee))", "a callback inside another callback is not allowed (column 63)")]
    [InlineData("paper.consultations.some(c => { return c.outcome === 'Rejected'; })", "a callback must be an arrow with an expression body (c => …), not a block or async (column 26)")]
    [InlineData("(() => true)()", "an arrow function is allowed only as the argument of a call, such as .some(c => …) (column 2)")]
    [InlineData("paper.consultations.some(function (c) { return true; })", "a function expression is not allowed")]
    [InlineData("new Array(5).length > 0", "'new' (only 'new Date(…)' is allowed) is not allowed (column 1)")]
    [InlineData("''.constructor.constructor('return 1')()", "the member 'constructor' is not allowed (column 4)")]
    [InlineData("paper[paper.type]", "computed member access is allowed only with a literal, such as [0] or ['name'] (column 7)")]
    [InlineData("globalThis.paper", "the name 'globalThis' is not available")]
    [InlineData("paper.name.split.call('a,b', ',')", "the member 'call' is not allowed (column 18)")]
    [InlineData("paper.isPublic; paper.name", "it must be exactly one expression, not a second expression (column 17)")]
    [InlineData("[1].map((x, __df_plus) => x)", "names starting with '__df' are reserved (column 13)")]
    public void TheRule_RefusesStatementsStateAndNestedCallbacks_NamingWhatAndWhere(string expression, string expected)
    {
        var problem = ConditionRules.Check(expression);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        var error = Assert.Throws<WorkflowStateException>(() => ConditionActivity.Evaluate(expression, Paper));
        Assert.StartsWith($"The condition „{expression}“ is not allowed: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("paper.participatingOffices.includes('fb20') || paper.leadOffice === 'fb20'")]
    [InlineData("paper.consultations.some(c => c.outcome === 'Rejected')")]
    [InlineData("paper.consultations.filter(c => c.outcome !== null).map(c => c.committee + ':' + c.outcome).join() === 'fpa:Rejected'")]
    [InlineData("paper.consultations.every(c => typeof c.committee === 'string') && paper.consultations.reduce((n, c) => n + (c.outcome ? 1 : 0), 0) === 1")]
    [InlineData("`${paper.type}/${paper.reference}` === 'Mitteilung/2024/0001' && paper.name.toUpperCase().startsWith('NEUBAU')")]
    [InlineData("/grundschule/i.test(paper.name) && paper.name.split(/\\s+/).length === 3 && paper.name.match(/(\\w+) (\\w+)/)[2] === 'der'")]
    [InlineData("({ Mitteilung: true, Beschlussvorlage: false })['Mitteilung'] && paper.participatingOffices.toSorted()[0] === 'fb20'")]
    [InlineData("new Date(paper.date ?? '2024-01-01').getFullYear() === 2024 && Math.max(...[1, 2, 3]) === 3 && Object.keys(paper).includes('name')")]
    [InlineData("paper.consultations.find(c => c.committee === 'fpa')?.result === 'abgelehnt' && paper.participatingOffices.flat().length === 2")]
    public void PlausibleConditions_StillEvaluate(string expression)
    {
        Assert.Null(ConditionRules.Check(expression));
        Assert.True(ConditionActivity.Evaluate(expression, Paper), expression);
    }
}
