namespace DeliberationFlow.Council.OParl;

/// <summary>
/// Which of our records an object of another OParl system became: the key of an idempotent re-import.
/// One row per body and OParl id; the object's own <c>modified</c> tells whether it changed since.
/// </summary>
public sealed class OParlSourceLink
{
    public Guid BodyId { get; init; }

    /// <summary>The object's OParl id (its URL in the source system).</summary>
    public required string ExternalId { get; init; }

    /// <summary>The OParl type without its namespace: Paper, Meeting, Consultation…</summary>
    public required string Kind { get; init; }

    public Guid EntityId { get; init; }

    /// <summary>The source's <c>modified</c> when last imported.</summary>
    public DateTimeOffset? SourceModified { get; set; }

    public DateTimeOffset Imported { get; set; }
}
