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
/// Branches on the paper's attributes with one JavaScript expression (what it may contain: <see cref="ConditionRules"/>), e.g.
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
    /// Jint has no option for the longest string, so the sandbox refuses to build one longer than this: the
    /// amplifying built-ins (repeat, padStart, join, replace …), <c>+</c> and template literals (rewritten to
    /// the prelude's helpers by <see cref="ConditionRules.Rewrite(string, out string?)"/>) check the result's length before it is
    /// allocated, and the string methods and regular expressions refuse longer inputs. Ten times the longest
    /// attribute a paper has (a title of 1,000 characters), and small enough that the at most 1,000 elements of
    /// an array, each such a string, stay within tens of megabytes.
    /// </summary>
    public const int MaxBuiltStringLength = 10_000;

    /// <summary>
    /// A match's capture groups are copied out of the input one by one, so a match of <c>/((((.*))))/</c>
    /// allocates the input once per group; the input's length times the groups plus one stays under this.
    /// </summary>
    public const int MaxCapturedLength = 100_000;

    /// <summary>
    /// Runs in every evaluation engine before the expression. Jint enforces the time and memory limits only
    /// between statements, so one built-in call that turns a small input into a huge output ("x".repeat(4e8),
    /// String.prototype.replace with "$`", join over the same long string many times, new ArrayBuffer(4e8)), or
    /// that loops without running a statement (a built-in iterating with a built-in callback, a regular
    /// expression scanning for matches), got past them. So: what a condition never needs is removed (binary
    /// buffers, JSON, Reflect, Proxy, Promise, Intl, BigInt, the reflective Object functions and every method
    /// that changes an array, which together are all the ways to give an object a method or a reference to
    /// itself); every callback handed to a built-in, every regular-expression match and every string method
    /// runs through a small script function, which is a statement; and the amplifying built-ins refuse before
    /// building a result longer than <see cref="MaxBuiltStringLength"/>. The replacements keep the originals in
    /// a closure and call them through a captured Reflect.apply, so nothing the expression reaches can restore
    /// the unguarded versions. <c>__df_plus</c> and <c>__df_tpl</c> are global lexical bindings: the expression
    /// cannot assign them, and <see cref="ConditionRules"/> keeps it from shadowing them.
    /// </summary>
    private static readonly string SandboxPrelude = $$"""
        const __df_guards = (function (cap, maxArray, maxCaptured) {
            'use strict';
            const g = globalThis, S = String.prototype, A = Array.prototype, R = RegExp.prototype, O = Object;
            const apply = Reflect.apply, defineProperty = Object.defineProperty, getPrototypeOf = Object.getPrototypeOf,
                  ownKeys = Reflect.ownKeys, toStr = String, toNum = Number, toObj = Object, trunc = Math.trunc;
            for (const name of ['ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Atomics', 'JSON', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray',
                                'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array',
                                'BigInt64Array', 'BigUint64Array', 'Reflect', 'Proxy', 'Promise', 'Intl', 'BigInt', 'WeakRef', 'FinalizationRegistry',
                                'escape', 'unescape', 'eval', 'Function']) {
                delete g[name];
            }
            delete String.raw;
            delete Map.groupBy;
            for (const name of ownKeys(O)) {
                if (typeof O[name] === 'function' && name !== 'keys' && name !== 'values' && name !== 'entries' && name !== 'hasOwn' && name !== 'is') {
                    delete O[name];
                }
            }
            for (const name of ['__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__', '__proto__']) {
                delete O.prototype[name];
            }
            // Without mutators an array can never contain itself, which flat(Infinity) would follow without end.
            for (const name of ['push', 'pop', 'shift', 'unshift', 'splice', 'fill', 'copyWithin', 'reverse', 'sort', 'toLocaleString']) {
                delete A[name];
            }
            const refuse = (what) => { throw new RangeError(what + ' would build a string longer than ' + cap + ' characters'); };
            const define = (target, key, fn) => defineProperty(target, key, { value: fn, writable: true, enumerable: false, configurable: true });
            const receiver = (value, what) => { if (value == null) { throw new TypeError(what + ' called on null or undefined'); } return toStr(value); };
            const tooLong = (value, what) => { if (typeof value === 'string' && value.length > cap) { throw new RangeError(what + ' on a string longer than ' + cap + ' characters'); } };

            // Every string method runs through a script function (so recursion through them is counted) and refuses
            // inputs longer than the cap, which also bounds the expanding ones (toUpperCase, normalize) and searches.
            for (const name of ownKeys(S)) {
                const original = S[name];
                if (typeof original !== 'function' || name === 'constructor' || name === 'toString' || name === 'valueOf') {
                    continue;
                }
                const what = typeof name === 'symbol' ? 'String iterator' : name;
                define(S, name, function (...args) {
                    const s = receiver(this, what);
                    tooLong(s, what);
                    for (let i = 0; i < args.length; i++) { tooLong(args[i], what); }
                    return apply(original, s, args);
                });
            }
            for (const name of ['encodeURI', 'encodeURIComponent', 'decodeURI', 'decodeURIComponent', 'parseInt', 'parseFloat']) {
                const original = g[name];
                define(g, name, function (...args) { tooLong(args[0], name); return apply(original, undefined, args); });
            }

            const repeat = S.repeat, padStart = S.padStart, padEnd = S.padEnd, concat = S.concat, join = A.join, replace = S.replace,
                  replaceAll = S.replaceAll, indexOf = S.indexOf, regExpReplace = R[Symbol.replace], exec = R.exec, flat = A.flat;
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
                tooLong(s, 'replace');
                return apply(replace, s, [searchValue, guardReplacement(s, replaceValue, 'replace')]);
            });
            define(S, 'replaceAll', function (searchValue, replaceValue) {
                const s = receiver(this, 'replaceAll');
                tooLong(s, 'replaceAll');
                return apply(replaceAll, s, [searchValue, guardReplacement(s, replaceValue, 'replaceAll')]);
            });
            // Reachable directly as /re/[Symbol.replace](...), not only through String.prototype.replace.
            define(R, Symbol.replace, function (string, replaceValue) {
                const s = toStr(string);
                tooLong(s, 'replace');
                return apply(regExpReplace, this, [s, guardReplacement(s, replaceValue, 'replace')]);
            });
            // match, matchAll, split, search, test and replace all find their matches through exec, one call per
            // match (per position for split): as a script function each call is a statement, so the time limit
            // holds over all matches, not only per match, and a lookahead capturing the rest of the input
            // ([...s.matchAll(/(?=(.*))/g)], s.split(/(?=(.*))/)) meets the memory limit after a few matches.
            define(R, 'exec', function (string) {
                const s = toStr(string), source = toStr(this.source);
                let groups = 1;
                for (let i = apply(indexOf, source, ['(']); i >= 0; i = apply(indexOf, source, ['(', i + 1])) { groups++; }
                if (s.length * groups > maxCaptured) {
                    throw new RangeError('a regular expression with ' + (groups - 1) + ' groups may match at most ' + trunc(maxCaptured / groups) + ' characters');
                }
                return apply(exec, this, [s]);
            });
            define(A, 'flat', function (depth) {
                const d = depth === undefined ? 1 : toNum(depth);
                if (d > 16) { throw new RangeError('flat deeper than 16 levels'); }
                return apply(flat, this, [d]);
            });

            // A built-in callback (arr.map(encodeURIComponent)) runs no statement at all, and an arrow's calls are
            // checked only through the statement the rewrite gives it; a script wrapper makes every call of every
            // callback pass the limit checks. The callback is called without a receiver: the condition's arrows
            // ignore it anyway, and a built-in must not run on a receiver of the expression's choosing.
            const callback = (fn) => typeof fn !== 'function' ? fn : function (...args) { return apply(fn, undefined, args); };
            const iterating = ['every', 'filter', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flatMap', 'forEach', 'map', 'reduce', 'reduceRight', 'some', 'toSorted'];
            const iteratorPrototype = getPrototypeOf(getPrototypeOf([][Symbol.iterator]()));
            for (const target of [A, iteratorPrototype]) {
                for (const name of iterating) {
                    const original = target[name];
                    if (typeof original === 'function') {
                        define(target, name, function (fn, ...rest) { return apply(original, this, [callback(fn), ...rest]); });
                    }
                }
            }
            const from = Array.from;
            define(Array, 'from', function (items, mapFn) { return apply(from, this, mapFn === undefined ? [items] : [items, callback(mapFn)]); });

            const plus = (a, b) => {
                const r = a + b;
                if (typeof r === 'string' && r.length > cap) { refuse('+'); }
                return r;
            };
            const template = (strings, ...values) => {
                const parts = [strings[0]];
                let total = strings[0].length;
                for (let i = 0; i < values.length; i++) {
                    const part = `${values[i]}`;
                    total += part.length + strings[i + 1].length;
                    if (total > cap) { refuse('a template literal'); }
                    parts[2 * i + 1] = part;
                    parts[2 * i + 2] = strings[i + 1];
                }
                return apply(join, parts, ['']);
            };
            return { plus, template };
        })({{MaxBuiltStringLength}}, {{MaxArrayLength}}, {{MaxCapturedLength}});
        const __df_plus = __df_guards.plus, __df_tpl = __df_guards.template;
        """;

    private static readonly Prepared<Acornima.Ast.Script> PreparedPrelude = Jint.Engine.PrepareScript(SandboxPrelude, strict: true);

    public ActivityDescriptor Descriptor { get; } = new(
        TypeName,
        "Bedingung",
        ["True", "False"],
        [new("expression", PropertyKind.Text, true, "a JavaScript expression over 'paper' (reference, name, type, isPublic, leadOffice, participatingOffices, consultations); one expression, arrow functions only as callbacks.")]);

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

        var (syntaxError, problem) = ConditionRules.Diagnose(expression);
        if (syntaxError is not null)
        {
            yield return new(null, $"The expression is not valid JavaScript: {syntaxError}");
        }
        else if (problem is not null)
        {
            yield return new(null, $"The expression is not allowed: {problem}");
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
        // The clock starts when the expression does: the prelude's own cost (tens of milliseconds while the
        // interpreter is still cold) is the sandbox's, not the condition's, and must not fault a plausible condition.
        // A definition stored before the rule existed is checked here too: it faults instead of running.
        var runnable = ConditionRules.Rewrite(expression, out var problem)
                       ?? throw new WorkflowStateException($"The condition „{expression}“ is not allowed: {problem}");
        using var deadline = new CancellationTokenSource();
        var engine = new Jint.Engine(options =>
        {
            options
                .Strict()
                .CancellationToken(deadline.Token)
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
            deadline.CancelAfter(TimeLimit);
            return TypeConverter.ToBoolean(engine.Evaluate(runnable));
        }
        catch (Exception ex) when (ex is TimeoutException or RegexMatchTimeoutException or ExecutionCanceledException)
        {
            throw new WorkflowStateException($"The condition „{expression}“ failed: it ran longer than {TimeLimit.TotalMilliseconds:0} ms.");
        }
        catch (Exception ex) when (ex is JavaScriptException or StatementsCountOverflowException or MemoryLimitExceededException
                                       or RecursionDepthOverflowException or Acornima.ParseErrorException or ScriptPreparationException)
        {
            throw new WorkflowStateException($"The condition „{expression}“ failed: {ex.Message}");
        }
    }
}
