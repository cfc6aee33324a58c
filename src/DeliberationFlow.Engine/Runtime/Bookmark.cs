namespace DeliberationFlow.Engine.Runtime;

/// <summary>
/// A suspended activity waiting for a stimulus. <see cref="Key"/> lets the outside find it
/// (for the council: the consultation id the outcome is recorded for). It is burnt on resume.
/// </summary>
public sealed class Bookmark
{
    public Guid Id { get; init; }
    public Guid InstanceId { get; init; }
    public required string ActivityId { get; init; }
    public required string Name { get; init; }
    public required string Key { get; init; }
    public string? Payload { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>What resumes a bookmark: who sent it, when, and the data it carries.</summary>
public sealed record Stimulus(string Actor, DateTimeOffset ReceivedAt, object? Input);
