using System.Globalization;
using System.Text.RegularExpressions;
using DeliberationFlow.Engine.Definitions;

namespace DeliberationFlow.Server.Components.Studio.Designer;

/// <summary>One problem as the designer shows it: on an activity (and maybe one of its properties or ports), or on the workflow as a whole.</summary>
public sealed record DesignerProblem(string Path, string Message, string? ActivityId, string? Property, string? Outcome);

/// <summary>
/// The validator's problems placed where the admin works: each JSON path <c>$.activities[i]…</c> on activity i, each
/// <c>$.connections[i]…</c> on the activity the connection leaves (and its port), the rest on the workflow.
/// </summary>
public sealed partial class DesignerValidation
{
    private readonly Dictionary<string, List<DesignerProblem>> _byActivity;

    private DesignerValidation(IReadOnlyList<DesignerProblem> all)
    {
        All = all;
        _byActivity = all.Where(p => p.ActivityId is not null).GroupBy(p => p.ActivityId!).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        General = all.Where(p => p.ActivityId is null).ToList();
    }

    public IReadOnlyList<DesignerProblem> All { get; }

    /// <summary>Problems that concern no single activity (no start, no end, the name…).</summary>
    public IReadOnlyList<DesignerProblem> General { get; }

    public bool IsValid => All.Count == 0;

    public IReadOnlyList<DesignerProblem> For(string activityId) => _byActivity.TryGetValue(activityId, out var list) ? list : [];

    public IReadOnlyCollection<string> ActivitiesWithProblems => _byActivity.Keys;

    public static DesignerValidation Map(WorkflowDefinition definition, IReadOnlyList<DefinitionProblem> problems) =>
        new(problems.Select(p => Place(definition, p)).ToList());

    private static DesignerProblem Place(WorkflowDefinition definition, DefinitionProblem problem)
    {
        var activity = ActivityPath().Match(problem.Path);
        if (activity.Success)
        {
            var index = int.Parse(activity.Groups["i"].Value, CultureInfo.InvariantCulture);
            var property = activity.Groups["p"].Success ? activity.Groups["p"].Value : null;
            return index < definition.Activities.Count
                ? new(problem.Path, problem.Message, definition.Activities[index].Id, property, null)
                : new(problem.Path, problem.Message, null, null, null);
        }

        var connection = ConnectionPath().Match(problem.Path);
        if (connection.Success)
        {
            var index = int.Parse(connection.Groups["i"].Value, CultureInfo.InvariantCulture);
            if (index < definition.Connections.Count)
            {
                var c = definition.Connections[index];
                // A connection from a missing activity concerns the target it leads to, if that exists.
                var owner = definition.Activities.Any(a => a.Id == c.Source) ? c.Source
                    : definition.Activities.Any(a => a.Id == c.Target) ? c.Target : null;
                return new(problem.Path, problem.Message, owner, null, owner == c.Source ? c.Outcome : null);
            }
        }

        return new(problem.Path, problem.Message, null, null, null);
    }

    [GeneratedRegex(@"^\$\.activities\[(?<i>\d+)\](\.properties\.(?<p>[^.\[]+))?")]
    private static partial Regex ActivityPath();

    [GeneratedRegex(@"^\$\.connections\[(?<i>\d+)\]")]
    private static partial Regex ConnectionPath();
}
