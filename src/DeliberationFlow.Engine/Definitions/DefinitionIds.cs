using System.Text.RegularExpressions;

namespace DeliberationFlow.Engine.Definitions;

/// <summary>
/// What a definition id may look like: it appears in addresses (/api/workflow-definitions/{id}), in file names and
/// in the database, so it keeps to the schema's pattern <c>^[a-z0-9][a-z0-9-]*$</c>.
/// </summary>
public static partial class DefinitionIds
{
    /// <summary>The length of the column that stores it (workflow_definitions.definition_id, workflow_instances.definition_id).</summary>
    public const int MaxLength = 100;

    /// <summary>What is wrong with <paramref name="id"/>, or null when it is a valid definition id.</summary>
    public static string? Problem(string id)
    {
        if (id.Length > MaxLength)
        {
            return $"The definition id is {id.Length} characters long; keep it to {MaxLength}.";
        }

        return Pattern().IsMatch(id)
            ? null
            : $"The definition id '{id}' may only contain lower-case letters a–z, digits and hyphens, and must begin with a letter or digit (e.g. \"beschlussvorlage-2\").";
    }

    // \z, not $: "$" would let a trailing line break through.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
