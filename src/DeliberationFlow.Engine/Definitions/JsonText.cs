using System.Text.Json;

namespace DeliberationFlow.Engine.Definitions;

/// <summary>Reading texts of definition documents, which users write and may get wrong.</summary>
public static class JsonText
{
    /// <summary>
    /// The text of a string value, or null when its escapes do not form valid UTF-16 (a lone surrogate such as
    /// <c>"\ud800"</c>): JSON lets a document say that, and <see cref="JsonElement.GetString"/> throws on it, which would
    /// turn a mistake in a draft into a server error.
    /// </summary>
    public static string? TryGetString(this JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
