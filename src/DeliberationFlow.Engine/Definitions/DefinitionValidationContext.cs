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

    /// <summary>
    /// The activities of <see cref="Definition"/> whose id did not read (a number, a list, none at all; the reader
    /// reports that at the id). A reference by id that finds no activity may mean one of them, so an activity that names
    /// another one does not report the name as wrong while such an activity exists: that would be a guess about an id
    /// the user has not written yet, beside the problem already reported at it.
    /// </summary>
    public IReadOnlyList<ActivityDefinition> ActivitiesWithoutId { get; init; } = [];

    /// <summary>The known values of a kind of reference, or null when they are not known here.</summary>
    public IReadOnlySet<string>? Known(string kind) => References.GetValueOrDefault(kind);
}
