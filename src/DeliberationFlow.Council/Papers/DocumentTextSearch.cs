using System.Text;

namespace DeliberationFlow.Council.Papers;

/// <summary>
/// A search of the documents' text (<see cref="Model.PaperFileContent.Text"/>) as each database's full-text index takes it:
/// the words of what was typed, each found as the beginning of a word of the text (so "Strat" finds "Strategien" while it
/// is being typed), all of them in one document. PostgreSQL compares the words' German stems ("Strategien" and
/// "Strategie" both "strategi"), SQLite the words themselves with umlauts and accents folded ("uber" finds "über").
/// Only letters and digits make a word: nothing typed is ever read as the index's query syntax.
/// </summary>
public sealed record DocumentTextSearch(IReadOnlyList<string> Words)
{
    /// <summary>More words than this narrow nothing further, and each costs the index a lookup.</summary>
    private const int MaxWords = 12;

    /// <summary>The search for the words of <paramref name="text"/>; none when it holds no letter or digit.</summary>
    public static DocumentTextSearch? Of(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormC).Append(' '))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                if (!words.Contains(word.ToString()) && words.Count < MaxWords)
                {
                    words.Add(word.ToString());
                }

                word.Clear();
            }
        }

        return words.Count == 0 ? null : new DocumentTextSearch(words);
    }

    /// <summary>Where a hit begins in a snippet the database marked (a control character no stored text holds).</summary>
    public const char HitStart = '\u0002';

    /// <summary>Where a hit ends in a snippet the database marked.</summary>
    public const char HitEnd = '\u0003';
}

/// <summary>
/// A document of a paper whose text matched, with the passage around the hit as the database cut it, the hit between
/// <see cref="DocumentTextSearch.HitStart"/> and <see cref="DocumentTextSearch.HitEnd"/>; no passage when the hit lies
/// beyond the part of a long text a passage is looked for in.
/// </summary>
public sealed record DocumentTextHit(Guid PaperId, Guid FileId, string FileName, string? Passage);
