namespace DeliberationFlow.Council.Model;

public sealed class Person
{
    public Guid Id { get; init; }
    public Guid BodyId { get; init; }
    public required string Name { get; set; }
    public string? GivenName { get; set; }
    public string? FamilyName { get; set; }
    public string? FormOfAddress { get; set; }
    public string? Email { get; set; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Modified { get; set; }

    /// <summary>Soft deletion (OParl): the row stays, with <c>Modified</c> set to the time it was deleted.</summary>
    public bool Deleted { get; set; }
}

/// <summary>A person's seat in an organization for a period.</summary>
public sealed class Membership
{
    public Guid Id { get; init; }
    public Guid BodyId { get; init; }
    public Guid PersonId { get; init; }
    public Guid OrganizationId { get; init; }

    /// <summary>Free text as in OParl ("Vorsitzende", "Mitglied", "Stellvertreter").</summary>
    public string? Role { get; set; }

    public bool VotingRight { get; set; } = true;
    public DateOnly? StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Modified { get; set; }

    /// <summary>Soft deletion (OParl): the row stays, with <c>Modified</c> set to the time it was deleted.</summary>
    public bool Deleted { get; set; }

    /// <summary>
    /// A deputy's seat (Stellvertreter, Vertreterin …, as the role is written): invited as well, but a seat of its own only
    /// when standing in for an absent member.
    /// </summary>
    public bool IsDeputy => Role is { } role && (role.Contains("vertret", StringComparison.OrdinalIgnoreCase) || role.Contains("deputy", StringComparison.OrdinalIgnoreCase));

    public bool IsActiveOn(DateOnly day) => (StartDate is null || StartDate <= day) && (EndDate is null || EndDate >= day);
}
