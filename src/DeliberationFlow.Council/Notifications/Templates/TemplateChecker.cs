using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Ast;

namespace DeliberationFlow.Council.Notifications.Templates;

/// <summary>A problem in a template, with where it is (1-based line and column of the part).</summary>
public sealed record TemplateProblem(string Part, int? Line, int? Column, string Message)
{
    public override string ToString() => Line is null ? $"{Part}: {Message}" : $"{Part} ({Line}:{Column}): {Message}";
}

/// <summary>
/// Parses a Liquid template and checks every field it names against the kind's model, so a typo such as
/// <c>{{ meeting.dat }}</c> is refused when the template is saved rather than printing nothing in a thousand mails.
/// </summary>
public static partial class TemplateChecker
{
    internal static readonly FluidParser Parser = new();

    /// <summary>The most values a literal range such as <c>(1..10)</c> may hold; no message needs more.</summary>
    public const int MaxRangeLength = 10_000;

    public static IReadOnlyList<TemplateProblem> Check(string part, string source, IReadOnlyDictionary<string, object?> model)
    {
        if (!Parser.TryParse(source, out var template, out var error))
        {
            var position = PositionPattern().Match(error ?? "");
            return
            [
                position.Success
                    ? new TemplateProblem(part, int.Parse(position.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(position.Groups[2].Value, CultureInfo.InvariantCulture), error!)
                    : new TemplateProblem(part, null, null, error ?? "The template does not parse."),
            ];
        }

        var checker = new FieldVisitor(model);
        checker.VisitTemplate(template);
        return checker.Unknown.Distinct().Select(path =>
        {
            var (line, column) = Locate(source, path);
            return new TemplateProblem(part, line, column, $"Unknown field '{path}'.");
        }).Concat(Hazards(template).Select(hazard => new TemplateProblem(part, null, null, hazard))).ToList();
    }

    /// <summary>
    /// What in a template could grow without bound before the renderer's limits (steps, output length, a filter's result)
    /// can act: a range is built whole before its first round, so its bounds must be numbers and not too far apart; and
    /// <c>capture</c> renders into a text of its own, past the output limit, so capturing a variable into itself in a loop
    /// doubles it each round. Checked when a template is saved and again before a stored one is rendered.
    /// </summary>
    public static IReadOnlyList<string> Hazards(IFluidTemplate template)
    {
        var visitor = new HazardVisitor();
        visitor.VisitTemplate(template);
        return visitor.Found.Distinct().ToList();
    }

    private sealed class HazardVisitor : AstVisitor
    {
        public List<string> Found { get; } = [];

        protected override Expression VisitRangeExpression(RangeExpression rangeExpression)
        {
            if (rangeExpression is { From: LiteralExpression from, To: LiteralExpression to })
            {
                var (first, last) = (from.Value.ToNumberValue(), to.Value.ToNumberValue());
                if (last - first >= MaxRangeLength)
                {
                    Found.Add($"The range ({first.ToString(CultureInfo.InvariantCulture)}..{last.ToString(CultureInfo.InvariantCulture)}) is longer than {MaxRangeLength:N0}; " +
                              "Liquid builds it whole before the first round, which holds the message for seconds.");
                }
            }
            else
            {
                Found.Add("A range's bounds must be numbers, such as (1..3): one computed from a value could build millions of rounds before the first; loop over the list itself instead.");
            }

            return base.VisitRangeExpression(rangeExpression);
        }

        protected override Statement VisitCaptureStatement(CaptureStatement captureStatement)
        {
            Found.Add("'capture' is not available in mail templates (a capture of a variable into itself doubles it each round); build the text with 'assign' and filters such as 'append'.");
            return base.VisitCaptureStatement(captureStatement);
        }
    }

    /// <summary>Where the path first appears in the source (the parser keeps no positions in its tree).</summary>
    private static (int?, int?) Locate(string source, string path)
    {
        var pattern = @"(?<![\w.])" + string.Join(@"\s*\.\s*", path.Split('.').Select(Regex.Escape)) + @"(?!\w)";
        var match = Regex.Match(source, pattern);
        if (!match.Success)
        {
            match = Regex.Match(source, Regex.Escape(path.Split('.')[^1]));
        }

        if (!match.Success)
        {
            return (null, null);
        }

        var before = source[..match.Index];
        var line = before.Count(c => c == '\n') + 1;
        var column = match.Index - (before.LastIndexOf('\n') + 1) + 1;
        return (line, column);
    }

    [GeneratedRegex(@"\((\d+):(\d+)\)")]
    private static partial Regex PositionPattern();

    private sealed class FieldVisitor(IReadOnlyDictionary<string, object?> model) : AstVisitor
    {
        private readonly Dictionary<string, object?> _loopVariables = [];
        private readonly HashSet<string> _locals = ["forloop", "empty", "blank", "nil", "null", "true", "false"];

        public List<string> Unknown { get; } = [];

        protected override Expression VisitMemberExpression(MemberExpression memberExpression)
        {
            Resolve(memberExpression, report: true);
            foreach (var segment in memberExpression.Segments.OfType<IndexerSegment>())
            {
                Visit(segment.Expression);
            }

            return memberExpression;
        }

        protected override Statement VisitForStatement(ForStatement forStatement)
        {
            var source = forStatement.Source is MemberExpression member ? Resolve(member, report: true) : null;
            if (forStatement.Source is not MemberExpression)
            {
                Visit(forStatement.Source); // a range (1..n): its bounds
            }

            Visit(forStatement.Limit);
            Visit(forStatement.Offset);
            var hadOuter = _loopVariables.Remove(forStatement.Identifier, out var outer);
            _loopVariables[forStatement.Identifier] = source is IList list && list.Count > 0 ? list[0] : Any.Value;
            foreach (var statement in forStatement.Statements)
            {
                Visit(statement);
            }

            _loopVariables.Remove(forStatement.Identifier);
            if (hadOuter)
            {
                _loopVariables[forStatement.Identifier] = outer;
            }

            Visit(forStatement.Else);
            return forStatement;
        }

        protected override Statement VisitAssignStatement(AssignStatement assignStatement)
        {
            Visit(assignStatement.Value);
            _locals.Add(assignStatement.Identifier);
            return assignStatement;
        }

        protected override Statement VisitCaptureStatement(CaptureStatement captureStatement)
        {
            _locals.Add(captureStatement.Identifier);
            return base.VisitCaptureStatement(captureStatement);
        }

        protected override Statement VisitIncrementStatement(IncrementStatement incrementStatement)
        {
            _locals.Add(incrementStatement.Identifier);
            return incrementStatement;
        }

        protected override Statement VisitDecrementStatement(DecrementStatement decrementStatement)
        {
            _locals.Add(decrementStatement.Identifier);
            return decrementStatement;
        }

        /// <summary>Follows the path through the model; returns the value found, or null where it cannot go on.</summary>
        private object? Resolve(MemberExpression expression, bool report)
        {
            if (expression.Segments.Count == 0 || expression.Segments[0] is not IdentifierSegment first)
            {
                return null;
            }

            object? current;
            if (_loopVariables.TryGetValue(first.Identifier, out var element))
            {
                current = element;
            }
            else if (_locals.Contains(first.Identifier))
            {
                return null;
            }
            else if (!model.TryGetValue(first.Identifier, out current))
            {
                if (report)
                {
                    Unknown.Add(first.Identifier);
                }

                return null;
            }

            var path = first.Identifier;
            foreach (var segment in expression.Segments.Skip(1))
            {
                switch (segment, current)
                {
                    case (_, Any):
                        return Any.Value;
                    case (IdentifierSegment id, IDictionary<string, object?> fields):
                        path += "." + id.Identifier;
                        if (!fields.TryGetValue(id.Identifier, out current))
                        {
                            if (report)
                            {
                                Unknown.Add(path);
                            }

                            return null;
                        }

                        break;
                    case (IdentifierSegment id, IList list) when id.Identifier is "first" or "last":
                        path += "." + id.Identifier;
                        current = list.Count > 0 ? list[0] : Any.Value;
                        break;
                    case (IdentifierSegment { Identifier: "size" }, IList or string):
                        return null;
                    case (IndexerSegment, IList list):
                        path += "[]";
                        current = list.Count > 0 ? list[0] : Any.Value;
                        break;
                    case (IdentifierSegment id, _):
                        if (report)
                        {
                            Unknown.Add(path + "." + id.Identifier);
                        }

                        return null;
                    default:
                        return null;
                }
            }

            return current;
        }

        /// <summary>A value about which nothing is known (e.g. a loop over a literal range); every field is allowed on it.</summary>
        private sealed class Any
        {
            public static readonly Any Value = new();
        }
    }
}
