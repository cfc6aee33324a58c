namespace DeliberationFlow.Council.Access;

/// <summary>A login of one body. Secretaries are scoped to committees; councillors are linked to their person.</summary>
public sealed class UserAccount
{
    public Guid Id { get; init; }
    public Guid BodyId { get; init; }
    public required string UserName { get; init; }
    public required string DisplayName { get; set; }
    public string? Email { get; set; }
    public required string PasswordHash { get; set; }
    public UserRole Role { get; set; }
    public Guid? PersonId { get; set; }
    public List<Guid> CommitteeIds { get; set; } = [];
    public DateTimeOffset Created { get; init; }

    /// <summary>When an admin deactivated the account: it signs in no more, and its sessions end. The row stays for the record.</summary>
    public DateTimeOffset? DeactivatedAt { get; set; }

    public bool IsActive => DeactivatedAt is null;
}
