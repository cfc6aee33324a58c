using System.Text.Json;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;

namespace DeliberationFlow.Council.Workflows;

/// <summary>Checks a role wording of a consultation or hearing against the role vocabulary the planner understands.</summary>
internal static class RoleCheck
{
    /// <summary>The problem with the role property, or null when it is absent, not a text (the generic check reports that) or known.</summary>
    public static ActivityProblem? Problem(ActivityDefinition activity, string property)
    {
        if (!activity.Properties.TryGetValue(property, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        // A broken surrogate escape (no text) is reported by the generic property check.
        var text = value.TryGetString();

        return string.IsNullOrWhiteSpace(text) || Vocabulary.NormaliseRole(text) != ConsultationRole.Unknown
            ? null
            : ActivityProblem.AtProperty(property, $"'{property}' is \"{text}\", which is not a known role; use one of: {string.Join(", ", Vocabulary.RoleLabels)}.");
    }
}
