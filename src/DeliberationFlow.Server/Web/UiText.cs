using System.Globalization;
using Microsoft.Extensions.Localization;

namespace DeliberationFlow.Server.Web;

/// <summary>
/// A sentence a page shows, kept as its German format (the key of its English translation in SharedResource) and its
/// arguments until the page renders it in the user's language. <see cref="ToString"/> gives the German text.
/// </summary>
public sealed record UiText(string Format, params object[] Args)
{
    public override string ToString() => string.Format(CultureInfo.GetCultureInfo("de-DE"), Format, Args);

    /// <summary>The sentence in the UI language; arguments that are words of the UI (a role, a status) are translated too.</summary>
    public string In(IStringLocalizer localizer) =>
        localizer[Format, Args.Select(a => a is string word && word.Length > 0 ? (object)localizer[word].Value : a).ToArray()];
}

/// <summary>An argument of a <see cref="UiText"/> that is data (a reference, a name, a date), shown as it is in every language.</summary>
public sealed record Verbatim(string Text)
{
    public override string ToString() => Text;
}
