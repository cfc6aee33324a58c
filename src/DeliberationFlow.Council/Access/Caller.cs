namespace DeliberationFlow.Council.Access;

/// <summary>Who is asking: an authenticated user of one body, with a role and, for secretaries, their committees.</summary>
public sealed record Caller(Guid UserId, string UserName, Guid BodyId, UserRole Role, IReadOnlySet<Guid> CommitteeIds, Guid? PersonId)
{
    public bool IsAdmin => Role == UserRole.Admin;

    /// <summary>Admins record everywhere in their body; secretaries only for their committees.</summary>
    public bool MayRecordFor(Guid committeeId) => IsAdmin || (Role == UserRole.Secretary && CommitteeIds.Contains(committeeId));

    public bool MayRegisterPapers => Role is UserRole.Admin or UserRole.Secretary;

    /// <summary>
    /// Whether the caller keeps a paper consulted in these committees (edits it, attaches its workflow, reads its
    /// delivery log): admins every paper; a secretary the papers of their own committees, and those no committee has
    /// taken on yet (registered without a workflow, or imported).
    /// </summary>
    public bool MayKeepPaperConsultedIn(IReadOnlyCollection<Guid> committeeIds) =>
        IsAdmin || (Role == UserRole.Secretary && (committeeIds.Count == 0 || committeeIds.Any(CommitteeIds.Contains)));
}

public enum UserRole
{
    Admin,
    Secretary,
    Councillor,
}
