namespace DeliberationFlow.Engine.Runtime;

/// <summary>Fitting texts of users and templates into the columns that store them.</summary>
public static class Texts
{
    /// <summary>
    /// <paramref name="text"/> at most <paramref name="length"/> characters long, ending in "…" when cut; a surrogate pair
    /// (an emoji in a name) is never split in two, which would leave half a character.
    /// </summary>
    public static string Cut(string text, int length)
    {
        if (text.Length <= length)
        {
            return text;
        }

        var keep = length - 1;
        if (char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return text[..keep] + "…";
    }
}
