using System.Globalization;
using System.Resources;

namespace DeliberationFlow.Server.Components.Account;

/// <summary>
/// The sign-in form's validation messages in the UI language. Data annotations read messages from static properties
/// (ErrorMessageResourceType), not from an IStringLocalizer, so these look the German wording up in SharedResource.
/// </summary>
public static class SignInTexts
{
    private static readonly ResourceManager Resources = new("DeliberationFlow.Server.Resources.SharedResource", typeof(SharedResource).Assembly);

    public static string UserNameRequired => Get("Bitte den Benutzernamen eingeben.");

    public static string PasswordRequired => Get("Bitte das Passwort eingeben.");

    private static string Get(string german) => Resources.GetString(german, CultureInfo.CurrentUICulture) ?? german;
}
