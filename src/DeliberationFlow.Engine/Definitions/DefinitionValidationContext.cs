namespace DeliberationFlow.Engine.Definitions;

/// <summary>
/// What a definition is checked against beyond its own shape: the references an activity may make
/// (for the council: the committees of the body that will run it). Empty when the context is unknown,
/// e.g. for shared definitions read at start-up.
/// </summary>
public sealed record DefinitionValidationContext(IReadOnlyDictionary<string, IReadOnlySet<string>> References)
{
    public static readonly DefinitionValidationContext Empty = new(new Dictionary<string, IReadOnlySet<string>>());

    /// <summary>The definition being checked, for activities that refer to other activities.</summary>
    public WorkflowDefinition? Definition { get; init; }

    /// <summary>The known values of a kind of reference, or null when they are not known here.</summary>
    public IReadOnlySet<string>? Known(string kind) => References.GetValueOrDefault(kind);
}
