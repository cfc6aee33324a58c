namespace DeliberationFlow.Council.Common;

/// <summary>
/// The first answer to a request sent with an <c>Idempotency-Key</c>. Stored in the same transaction as
/// the change it answers, so a repeat gets that answer back and causes no second step.
/// </summary>
public sealed class IdempotencyRecord
{
    public required string Key { get; init; }
    public Guid UserId { get; init; }
    public required string Operation { get; init; }
    public required string RequestHash { get; init; }
    public int StatusCode { get; init; }
    public required string ResponseJson { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
