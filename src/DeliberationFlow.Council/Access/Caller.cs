namespace DeliberationFlow.Council.Access;

/// <summary>Who is asking: an authenticated user of one body, with a role and, for secretaries, their committees.</summary>
public sealed record Caller(Guid UserId, string UserName, Guid BodyId, UserRole Role, IReadOnlySet<Guid> CommitteeIds, Guid? PersonId)
{
    public bool IsAdmin => Role == UserRole.Admin;

    /// <summary>Admins record everywhere in their body; secretaries only for their committees.</summary>
    public bool MayRecordFor(Guid committeeId) => IsAdmin || (Role == UserRole.Secretary && CommitteeIds.Contains(committeeId));

    public bool MayRegisterPapers => Role is UserRole.Admin or UserRole.Secretary;
}

public enum UserRole
{
    Admin,
    Secretary,
    Councillor,
}
