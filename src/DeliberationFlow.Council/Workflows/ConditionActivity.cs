using System.Text.Json;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;
using Jint;
using Jint.Native.Json;
using JsonSerializer = System.Text.Json.JsonSerializer;
using Jint.Runtime;

namespace DeliberationFlow.Council.Workflows;

/// <summary>
/// Branches on the paper's attributes with a JavaScript expression, e.g.
/// <c>paper.participatingOffices.includes('fb20')</c>. The interpreter (Jint) runs sandboxed: no access to
/// .NET, at most 100 ms, 10,000 statements and 4 MB per evaluation.
/// </summary>
public sealed class ConditionActivity(ConsultationPlanner planner, PaperModel papers) : IActivity
{
    public const string TypeName = "Condition";
    public const int MaxExpressionLength = 2_000;

    public ActivityDescriptor Descriptor { get; } = new(
        TypeName,
        "Bedingung",
        ["True", "False"],
        [new("expression", PropertyKind.Text, true, "a JavaScript expression over 'paper' (reference, name, type, isPublic, leadOffice, participatingOffices, consultations).")]);

    public IEnumerable<string> Validate(ActivityDefinition activity, DefinitionValidationContext context)
    {
        var expression = activity.GetString("expression");
        if (expression is null)
        {
            yield break;
        }

        if (expression.Length > MaxExpressionLength)
        {
            yield return $"The expression has {expression.Length} characters; keep it to {MaxExpressionLength}.";
            yield break;
        }

        if (SyntaxError(expression) is { } error)
        {
            yield return $"The expression is not valid JavaScript: {error}";
        }
    }

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityExecutionContext context, CancellationToken cancellationToken)
    {
        var paper = await planner.PaperOfAsync(context.Instance, cancellationToken);
        var model = JsonSerializer.Serialize(await papers.DescribeAsync(paper, cancellationToken), JsonSerializerOptions.Web);
        var expression = context.Activity.GetString("expression")!;
        var result = Evaluate(expression, model);
        context.Journal(JournalEventKind.ActivityExecuted, $"Bedingung „{expression}“ ist {(result ? "erfüllt" : "nicht erfüllt")}.");
        return ActivityResult.Done(result ? "True" : "False");
    }

    /// <summary>Evaluates the expression in a fresh, limited interpreter; a script error or a limit hit faults the step.</summary>
    public static bool Evaluate(string expression, string paperJson)
    {
        var engine = new Jint.Engine(options => options
            .Strict()
            .TimeoutInterval(TimeSpan.FromMilliseconds(100))
            .MaxStatements(10_000)
            .LimitMemory(4_000_000)
            .LimitRecursion(32));
        try
        {
            engine.SetValue("paper", new JsonParser(engine).Parse(paperJson));
            return TypeConverter.ToBoolean(engine.Evaluate(expression));
        }
        catch (Exception ex) when (ex is JavaScriptException or TimeoutException or StatementsCountOverflowException or MemoryLimitExceededException
                                       or RecursionDepthOverflowException or ExecutionCanceledException or Acornima.ParseErrorException or ScriptPreparationException)
        {
            throw new WorkflowStateException($"The condition „{expression}“ failed: {ex.Message}");
        }
    }

    private static string? SyntaxError(string expression)
    {
        try
        {
            Jint.Engine.PrepareScript(expression, strict: true);
            return null;
        }
        catch (Exception ex) when (ex is Acornima.ParseErrorException or ScriptPreparationException)
        {
            return ex.InnerException?.Message ?? ex.Message;
        }
    }
}
