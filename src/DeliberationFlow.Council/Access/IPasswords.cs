namespace DeliberationFlow.Council.Access;

/// <summary>How a password becomes the stored hash (ASP.NET Core Identity's PBKDF2 hasher in the service), so the use cases never keep a password.</summary>
public interface IPasswords
{
    string Hash(UserAccount user, string password);

    bool Verify(UserAccount user, string password);
}
