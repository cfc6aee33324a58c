using System.Text;
using Acornima;
using Acornima.Ast;

namespace DeliberationFlow.Council.Workflows;

/// <summary>
/// What a condition may be: one expression that reads the paper. Jint checks its time and memory limits only
/// between statements, so state (variables, assignments, loops) and code that runs without statements (nested
/// callbacks, objects whose methods a built-in calls implicitly) are where the sandbox's bounds leaked; this
/// rule removes them from the language a condition can use, before anything runs. It only walks Acornima's AST.
/// </summary>
public static class ConditionRules
{
    /// <summary>Names the sandbox prelude defines for the rewritten expression; a condition may not bind them.</summary>
    public const string ReservedPrefix = "__df";

    // Globals a condition reads; anything else (globalThis, Reflect, Function, eval …) is unreachable by name.
    private static readonly HashSet<string> Globals = new(StringComparer.Ordinal)
    {
        "paper", "Math", "Number", "String", "Boolean", "Array", "Object", "Date", "RegExp",
        "parseInt", "parseFloat", "isNaN", "isFinite", "NaN", "Infinity", "undefined",
    };

    // Reach the constructors, prototypes and Function.prototype's call/apply/bind, through which a built-in
    // could be called on a receiver it was never meant for (an array-like claiming a length of 1e9).
    private static readonly HashSet<string> ForbiddenMembers = new(StringComparer.Ordinal)
    {
        "constructor", "prototype", "__proto__", "call", "apply", "bind", "caller", "callee", "arguments",
        "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__",
    };

    public const string Hint = "a condition is one expression that reads 'paper', with arrow functions only as callbacks, e.g. paper.consultations.some(c => c.outcome === 'Rejected')";

    /// <summary>Parses the expression; returns the problem (with its column) or null when it keeps to the rule.</summary>
    public static string? Check(string expression) => Analyse(expression, out _, out _);

    /// <summary>As <see cref="Check"/>, telling a text that is not JavaScript at all from one outside the rule.</summary>
    public static (string? SyntaxError, string? Problem) Diagnose(string expression)
    {
        var problem = Analyse(expression, out _, out var syntax);
        return syntax ? (problem, null) : (null, problem);
    }

    /// <summary>
    /// The expression as the sandbox runs it, or null with the <paramref name="problem"/> <see cref="Check"/> would
    /// report; one parse for both. Every <c>+</c> and template literal goes through the prelude's length-capped helpers
    /// (Jint defers concatenation, so it would otherwise let many long strings exist cheaply and copy them all inside
    /// one built-in call), and every arrow gets a statement body, so each callback call passes Jint's limit checks.
    /// </summary>
    public static string? Rewrite(string expression, out string? problem)
    {
        problem = Analyse(expression, out var script, out _);
        return problem is null ? new Emitter(expression).Emit(((ExpressionStatement)script!.Body[0]).Expression) : null;
    }

    private static string? Analyse(string expression, out Script? script, out bool syntax)
    {
        script = null;
        syntax = false;
        try
        {
            script = new Parser().ParseScript(expression, strict: true);
        }
        catch (ParseErrorException ex)
        {
            syntax = true;
            return ex.Message;
        }

        if (script.Body.Count != 1 || script.Body[0] is not ExpressionStatement statement)
        {
            var at = script.Body.FirstOrDefault(s => s is not ExpressionStatement) ?? (script.Body.Count > 1 ? script.Body[1] : null);
            return $"it must be exactly one expression, not {(at is null ? "empty" : Describe(at) + Column(at))}; {Hint}.";
        }

        var checker = new Checker();
        checker.Expression(statement.Expression, null);
        return checker.Problem is { } p ? $"{p}; {Hint}." : null;
    }

    private static string Column(Node node) => $" (column {node.Location.Start.Column + 1})";

    private static string Describe(Node node) => node.Type switch
    {
        NodeType.VariableDeclaration => "a declaration",
        NodeType.FunctionDeclaration or NodeType.FunctionExpression => "a function",
        NodeType.ClassDeclaration or NodeType.ClassExpression => "a class",
        NodeType.AssignmentExpression => "an assignment",
        NodeType.UpdateExpression => "'++' or '--'",
        NodeType.SequenceExpression => "the comma operator",
        NodeType.NewExpression => "'new' (only 'new Date(…)' is allowed)",
        NodeType.ThisExpression => "'this'",
        NodeType.TaggedTemplateExpression => "a tagged template",
        NodeType.YieldExpression or NodeType.AwaitExpression => "'yield' or 'await'",
        NodeType.ExpressionStatement => "a second expression",
        _ when node.Type.ToString().EndsWith("Statement", StringComparison.Ordinal) => $"a statement ({node.Type})",
        _ => $"'{node.Type}'",
    };

    private sealed class Checker
    {
        private readonly HashSet<string> _parameters = new(StringComparer.Ordinal);
        private bool _inArrow;

        public string? Problem { get; private set; }

        private void Fail(string message, Node at) => Problem ??= message + Column(at);

        public void Expression(Node node, Node? parent)
        {
            if (Problem is not null)
            {
                return;
            }

            switch (node)
            {
                case BigIntLiteral:
                    Fail("a BigInt literal is not allowed", node);
                    break;
                case Literal:
                    break;
                case Identifier identifier:
                    if (!Globals.Contains(identifier.Name) && !_parameters.Contains(identifier.Name)
                        && parent is not UnaryExpression { Operator: Operator.TypeOf })
                    {
                        Fail($"the name '{identifier.Name}' is not available (use 'paper', the callback's parameters or {string.Join(", ", Globals.Where(g => g != "paper"))})", node);
                    }

                    break;
                case TemplateLiteral template:
                    foreach (var e in template.Expressions)
                    {
                        Expression(e, node);
                    }

                    break;
                case ArrayExpression array:
                    foreach (var element in array.Elements)
                    {
                        if (element is not null)
                        {
                            Expression(element, node);
                        }
                    }

                    break;
                case SpreadElement spread when parent is ArrayExpression or CallExpression or NewExpression:
                    Expression(spread.Argument, node);
                    break;
                case ObjectExpression obj:
                    Constant(obj);
                    break;
                case UnaryExpression { Type: NodeType.UnaryExpression } unary when unary.Operator != Operator.Delete:
                    Expression(unary.Argument, node);
                    break;
                case UnaryExpression { Type: NodeType.UnaryExpression }:
                    Fail("'delete' is not allowed", node);
                    break;
                case BinaryExpression binary:
                    Expression(binary.Left, node);
                    Expression(binary.Right, node);
                    break;
                case ConditionalExpression conditional:
                    Expression(conditional.Test, node);
                    Expression(conditional.Consequent, node);
                    Expression(conditional.Alternate, node);
                    break;
                case ChainExpression chain:
                    Expression(chain.Expression, node);
                    break;
                case MemberExpression member:
                    Expression(member.Object, node);
                    Member(member);
                    break;
                case NewExpression { Callee: Identifier { Name: "Date" } } newDate:
                    foreach (var argument in newDate.Arguments)
                    {
                        Expression(argument, node);
                    }

                    break;
                case CallExpression call:
                    Expression(call.Callee, node);
                    foreach (var argument in call.Arguments)
                    {
                        if (argument is ArrowFunctionExpression arrow)
                        {
                            Arrow(arrow);
                        }
                        else
                        {
                            Expression(argument, node);
                        }
                    }

                    break;
                case ArrowFunctionExpression:
                    Fail("an arrow function is allowed only as the argument of a call, such as .some(c => …)", node);
                    break;
                case FunctionExpression:
                    Fail("a function expression is not allowed (write a callback as an arrow with an expression body, c => …)", node);
                    break;
                default:
                    Fail($"{Describe(node)} is not allowed", node);
                    break;
            }
        }

        private void Arrow(ArrowFunctionExpression arrow)
        {
            if (_inArrow)
            {
                Fail("a callback inside another callback is not allowed", arrow);
                return;
            }

            if (arrow.Async || arrow.Body is not Acornima.Ast.Expression)
            {
                Fail("a callback must be an arrow with an expression body (c => …), not a block or async", arrow);
                return;
            }

            var added = new List<string>();
            foreach (var parameter in arrow.Params)
            {
                if (parameter is not Identifier identifier)
                {
                    Fail("a callback's parameters must be plain names (no defaults, destructuring or rest)", parameter);
                    return;
                }

                if (identifier.Name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
                {
                    Fail($"names starting with '{ReservedPrefix}' are reserved", parameter);
                    return;
                }

                if (_parameters.Add(identifier.Name))
                {
                    added.Add(identifier.Name);
                }
            }

            _inArrow = true;
            Expression(arrow.Body, arrow);
            _inArrow = false;
            _parameters.ExceptWith(added);
        }

        private void Member(MemberExpression member)
        {
            string? name = member switch
            {
                { Computed: false, Property: Identifier identifier } => identifier.Name,
                { Computed: true, Property: StringLiteral s } => s.Value,
                { Computed: true, Property: NumericLiteral } => null,
                _ => "",
            };
            if (name == "")
            {
                Fail("computed member access is allowed only with a literal, such as [0] or ['name']", member.Property);
            }
            else if (name is not null && ForbiddenMembers.Contains(name))
            {
                Fail($"the member '{name}' is not allowed", member.Property);
            }
        }

        // Object literals hold data only: a function-valued property (toString: ''.toUpperCase) makes
        // built-ins call each other without end inside the interpreter, which overflows the process stack.
        private void Constant(Node node)
        {
            if (Problem is not null)
            {
                return;
            }

            switch (node)
            {
                case Literal and not RegExpLiteral and not BigIntLiteral:
                case TemplateLiteral { Expressions.Count: 0 }:
                case UnaryExpression { Operator: Operator.UnaryNegation or Operator.UnaryPlus, Argument: NumericLiteral }:
                    break;
                case ArrayExpression array:
                    foreach (var element in array.Elements)
                    {
                        if (element is not null)
                        {
                            Constant(element);
                        }
                    }

                    break;
                case ObjectExpression obj:
                    foreach (var property in obj.Properties)
                    {
                        if (property is not ObjectProperty { Kind: PropertyKind.Init, Method: false, Shorthand: false, Computed: false } p)
                        {
                            Fail("an object literal may only list plain 'key: value' pairs", property);
                            return;
                        }

                        if (p.Key is Identifier { Name: "__proto__" } or StringLiteral { Value: "__proto__" })
                        {
                            Fail("the key '__proto__' is not allowed", p.Key);
                            return;
                        }

                        Constant(p.Value);
                    }

                    break;
                default:
                    Fail("an object literal may only hold constants (strings, numbers, booleans, null, arrays and objects of them)", node);
                    break;
            }
        }
    }

    private sealed class Emitter(string source)
    {
        public string Emit(Node node)
        {
            switch (node)
            {
                case BinaryExpression { Type: NodeType.BinaryExpression, Operator: Operator.Addition } plus:
                    return $"{ReservedPrefix}_plus({Emit(plus.Left)}, {Emit(plus.Right)})";
                case TemplateLiteral { Expressions.Count: > 0 } template:
                {
                    var text = new StringBuilder($"{ReservedPrefix}_tpl([");
                    text.AppendJoin(", ", template.Quasis.Select(q => "`" + q.Value.Raw + "`")).Append(']');
                    foreach (var e in template.Expressions)
                    {
                        text.Append(", ").Append(Emit(e));
                    }

                    return text.Append(')').ToString();
                }

                case ArrowFunctionExpression arrow:
                    return $"({string.Join(", ", arrow.Params.Select(p => ((Identifier)p).Name))}) => {{ return ({Emit(arrow.Body)}); }}";
                default:
                {
                    var text = new StringBuilder();
                    var position = node.Start;
                    foreach (var child in node.ChildNodes.OrderBy(c => c.Start))
                    {
                        text.Append(source, position, child.Start - position).Append(Emit(child));
                        position = child.End;
                    }

                    return text.Append(source, position, node.End - position).ToString();
                }
            }
        }
    }
}
