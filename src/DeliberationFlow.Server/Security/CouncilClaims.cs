using System.Globalization;
using System.Security.Claims;
using DeliberationFlow.Council.Access;

namespace DeliberationFlow.Server.Security;

/// <summary>The claims a signed-in user carries, and the <see cref="Caller"/> the use cases get from them.</summary>
public static class CouncilClaims
{
    public const string Body = "deliberationflow:body";
    public const string Committee = "deliberationflow:committee";
    public const string Person = "deliberationflow:person";

    public static IEnumerable<Claim> For(UserAccount user)
    {
        yield return new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(), ClaimValueTypes.String);
        yield return new Claim(ClaimTypes.Name, user.UserName);
        yield return new Claim(ClaimTypes.Role, user.Role.ToString());
        yield return new Claim(Body, user.BodyId.ToString());
        foreach (var committee in user.CommitteeIds)
        {
            yield return new Claim(Committee, committee.ToString());
        }

        if (user.PersonId is { } person)
        {
            yield return new Claim(Person, person.ToString());
        }
    }

    public static Caller ToCaller(this ClaimsPrincipal principal)
    {
        Guid Read(string type) => Guid.Parse(principal.FindFirstValue(type)
            ?? throw new InvalidOperationException($"The signed-in user has no '{type}' claim."), CultureInfo.InvariantCulture);

        return new Caller(
            Read(ClaimTypes.NameIdentifier),
            principal.Identity?.Name ?? "?",
            Read(Body),
            Enum.Parse<UserRole>(principal.FindFirstValue(ClaimTypes.Role) ?? nameof(UserRole.Councillor)),
            principal.FindAll(Committee).Select(c => Guid.Parse(c.Value, CultureInfo.InvariantCulture)).ToHashSet(),
            principal.FindFirstValue(Person) is { } person ? Guid.Parse(person, CultureInfo.InvariantCulture) : null);
    }
}
