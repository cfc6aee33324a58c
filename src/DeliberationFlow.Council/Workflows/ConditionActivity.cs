using System.Text.Json;
using System.Text.RegularExpressions;
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
/// .NET, at most 100 ms (regular expressions included), 10,000 statements and 4 MB per evaluation, arrays of at most
/// 1,000 elements, and no built-in that turns a small input into a huge string in one call.
/// </summary>
public sealed class ConditionActivity(ConsultationPlanner planner, PaperModel papers) : IActivity
{
    public const string TypeName = "Condition";
    public const int MaxExpressionLength = 2_000;

    /// <summary>Wall-clock budget of one evaluation; regular expressions get the same budget per match.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(100);

    public const long MemoryLimitBytes = 4_000_000;

    /// <summary>
    /// Jint checks <see cref="MemoryLimitBytes"/> between statements, so a single built-in call could allocate
    /// gigabytes before the check ran (<c>new Array(1e9)</c>). Jint's own MaxArraySize refuses such arrays up
    /// front; a paper has a handful of offices and consultations, so 1,000 elements is generous.
    /// </summary>
    public const int MaxArrayLength = 1_000;

    /// <summary>
    /// Jint has no option for the longest string a built-in may return, so the sandbox's replacements of the
    /// amplifying string built-ins (see <see cref="SandboxPrelude"/>) refuse a result longer than this
    /// (200 KB as UTF-16) before it is allocated.
    /// </summary>
    public const int MaxBuiltStringLength = 100_000;

    /// <summary>
    /// Runs in every evaluation engine before the expression. Jint enforces the memory limit only between
    /// statements, so one built-in call that turns a small input into a huge output ("x".repeat(4e8),
    /// String.prototype.replace with "$`", JSON.stringify or join over the same long string many times,
    /// new ArrayBuffer(4e8)) got past it. A condition reads a few attributes of one paper and never needs
    /// binary buffers, JSON, String.raw or locale-formatted arrays, so those are removed; repeat, padStart,
    /// padEnd, concat, join and the replace family stay, because they have plausible uses on attributes, but
    /// refuse with a RangeError before building a result longer than <see cref="MaxBuiltStringLength"/>.
    /// The replacements keep the originals in a closure and call them through a captured Reflect.apply, so
    /// a script that redefines Function.prototype.call or the prototypes cannot reach the unguarded versions.
    /// </summary>
    private static readonly string SandboxPrelude = $$"""
        (function (cap, maxArray) {
            'use strict';
            const g = globalThis, S = String.prototype, A = Array.prototype, R = RegExp.prototype;
            const apply = Reflect.apply, defineProperty = Object.defineProperty, toStr = String, toNum = Number, toObj = Object, trunc = Math.trunc;
            for (const name of ['ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Atomics', 'JSON', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray',
                                'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array',
                                'BigInt64Array', 'BigUint64Array']) {
                delete g[name];
            }
            delete String.raw;
            // Without its own toLocaleString an array falls back to Object.prototype's, which calls the guarded join.
            delete A.toLocaleString;
            const refuse = (what) => { throw new RangeError(what + ' would build a string longer than ' + cap + ' characters'); };
            const define = (target, key, fn) => defineProperty(target, key, { value: fn, writable: true, enumerable: false, configurable: true });
            const receiver = (value, what) => { if (value == null) { throw new TypeError(what + ' called on null or undefined'); } return toStr(value); };
            const repeat = S.repeat, padStart = S.padStart, padEnd = S.padEnd, concat = S.concat, join = A.join, replace = S.replace,
                  replaceAll = S.replaceAll, indexOf = S.indexOf, regExpReplace = R[Symbol.replace];
            // Arguments are converted once here and handed on converted, so a valueOf/toString runs once as usual.
            define(S, 'repeat', function (count) {
                const s = receiver(this, 'repeat'), n = toNum(count);
                if (s.length * (n > 0 ? n : 0) > cap) { refuse('repeat'); }
                return apply(repeat, s, [n]);
            });
            const pad = (original, what) => function (maxLength, fillString) {
                const s = receiver(this, what), n = toNum(maxLength);
                if (n > cap && n > s.length) { refuse(what); }
                return apply(original, s, [n, fillString]);
            };
            define(S, 'padStart', pad(padStart, 'padStart'));
            define(S, 'padEnd', pad(padEnd, 'padEnd'));
            define(S, 'concat', function (...values) {
                const s = receiver(this, 'concat'), parts = [];
                let total = s.length;
                for (let i = 0; i < values.length; i++) { parts[i] = toStr(values[i]); total += parts[i].length; }
                if (total > cap) { refuse('concat'); }
                return apply(concat, s, parts);
            });
            // join also serves Array.prototype.toString, String(array) and template literals over arrays.
            // An array-like may claim any length without allocating it, hence the element check.
            define(A, 'join', function (separator) {
                const o = toObj(this), length = trunc(toNum(o.length)) || 0;
                if (length > maxArray) { throw new RangeError('join over ' + length + ' elements; at most ' + maxArray + ' are allowed'); }
                const sep = separator === undefined ? ',' : toStr(separator), parts = [];
                let total = length > 0 ? (length - 1) * sep.length : 0;
                for (let i = 0; i < length; i++) {
                    const e = o[i];
                    parts[i] = e == null ? '' : toStr(e);
                    total += parts[i].length;
                    if (total > cap) { refuse('join'); }
                }
                if (total > cap) { refuse('join'); }
                return apply(join, parts, [sep]);
            });
            // A replacement function is capped by what it returns in total. A replacement string is capped by a
            // bound that holds for every pattern: at most one match per position, and each "$" token (such as
            // "$`") expanding to at most the whole input. Conservative, but attributes are short.
            const guardReplacement = (s, replaceValue, what) => {
                if (typeof replaceValue === 'function') {
                    let produced = 0;
                    return function (...args) {
                        const r = toStr(apply(replaceValue, undefined, args));
                        produced += r.length;
                        if (s.length + produced > cap) { refuse(what); }
                        return r;
                    };
                }
                const r = toStr(replaceValue);
                let dollars = 0;
                for (let i = apply(indexOf, r, ['$']); i >= 0; i = apply(indexOf, r, ['$', i + 1])) { dollars++; }
                if (s.length + (s.length + 1) * (r.length + dollars * s.length) > cap) { refuse(what); }
                return r;
            };
            define(S, 'replace', function (searchValue, replaceValue) {
                const s = receiver(this, 'replace');
                return apply(replace, s, [searchValue, guardReplacement(s, replaceValue, 'replace')]);
            });
            define(S, 'replaceAll', function (searchValue, replaceValue) {
                const s = receiver(this, 'replaceAll');
                return apply(replaceAll, s, [searchValue, guardReplacement(s, replaceValue, 'replaceAll')]);
            });
            // Reachable directly as /re/[Symbol.replace](...), not only through String.prototype.replace.
            define(R, Symbol.replace, function (string, replaceValue) {
                const s = toStr(string);
                return apply(regExpReplace, this, [s, guardReplacement(s, replaceValue, 'replace')]);
            });
        })({{MaxBuiltStringLength}}, {{MaxArrayLength}});
        """;

    private static readonly Prepared<Acornima.Ast.Script> PreparedPrelude = Jint.Engine.PrepareScript(SandboxPrelude, strict: true);

    public ActivityDescriptor Descriptor { get; } = new(
        TypeName,
        "Bedingung",
        ["True", "False"],
        [new("expression", PropertyKind.Text, true, "a JavaScript expression over 'paper' (reference, name, type, isPublic, leadOffice, participatingOffices, consultations).")]);

    // Reported at the activity: the expression is its only property.
    public IEnumerable<ActivityProblem> Validate(ActivityDefinition activity, DefinitionValidationContext context)
    {
        var expression = activity.GetString("expression");
        if (expression is null)
        {
            yield break;
        }

        if (expression.Length > MaxExpressionLength)
        {
            yield return new(null, $"The expression has {expression.Length} characters; keep it to {MaxExpressionLength}.");
            yield break;
        }

        if (SyntaxError(expression) is { } error)
        {
            yield return new(null, $"The expression is not valid JavaScript: {error}");
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
        var engine = new Jint.Engine(options =>
        {
            options
                .Strict()
                .TimeoutInterval(TimeLimit)
                .MaxStatements(10_000)
                .LimitMemory(MemoryLimitBytes)
                .LimitRecursion(32);
            // Jint's default is 10 s per match, far past the condition's own budget; a catastrophic pattern
            // such as /(a+)+$/ must stop within the same 100 ms as any other runaway script.
            options.Constraints.RegexTimeout = TimeLimit;
            options.Constraints.MaxArraySize = MaxArrayLength;
            // eval and new Function would compile code the definition validator never saw.
            options.Host.StringCompilationAllowed = false;
        });
        try
        {
            engine.Execute(PreparedPrelude);
            engine.SetValue("paper", new JsonParser(engine).Parse(paperJson));
            return TypeConverter.ToBoolean(engine.Evaluate(expression));
        }
        catch (Exception ex) when (ex is TimeoutException or RegexMatchTimeoutException)
        {
            throw new WorkflowStateException($"The condition „{expression}“ failed: it ran longer than {TimeLimit.TotalMilliseconds:0} ms.");
        }
        catch (Exception ex) when (ex is JavaScriptException or StatementsCountOverflowException or MemoryLimitExceededException
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
