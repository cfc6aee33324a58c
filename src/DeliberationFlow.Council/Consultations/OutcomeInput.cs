using DeliberationFlow.Council.Common;

namespace DeliberationFlow.Council.Consultations;

/// <summary>The checks an outcome's wording and tally pass, whether recorded or corrected.</summary>
internal static class OutcomeInput
{
    public const int MaxVotes = 10_000;

    /// <summary>The wording of the result is one line of the minutes ("mit 9 Ja-Stimmen bei 2 Enthaltungen beschlossen").</summary>
    public const int MaxResultTextLength = 500;

    /// <summary>
    /// The resolution text (Beschlusstext) may run to several pages of the minutes, some 2 000 characters each; a longer
    /// text belongs in the paper's attachments.
    /// </summary>
    public const int MaxResolutionTextLength = 10_000;

    /// <summary>A wording or reason is one line, as the minutes and the journal write it.</summary>
    public static void OneLine(ValidationErrors errors, string field, string? text, string message)
    {
        if (text is not null && text.Any(char.IsControl))
        {
            errors.Add(field, message);
        }
    }

    /// <summary>The wording and the resolution text fit what the minutes keep of them (and their columns).</summary>
    public static void Lengths(ValidationErrors errors, string? resultText, string? resolutionText)
    {
        errors.MaxLength("resultText", resultText, MaxResultTextLength, "The result's wording");
        errors.MaxLength("resolutionText", resolutionText, MaxResolutionTextLength, "The resolution text");
    }

    /// <summary>The field a problem with the whole tally is reported at: the first of the tally's fields the request gives.</summary>
    public static string TallyField(int? votesFor, int? votesAgainst) =>
        votesFor is not null ? "votesFor" : votesAgainst is not null ? "votesAgainst" : "abstentions";

    public static void Votes(ValidationErrors errors, int? votesFor, int? votesAgainst, int? abstentions)
    {
        foreach (var (field, votes) in new[] { ("votesFor", votesFor), ("votesAgainst", votesAgainst), ("abstentions", abstentions) })
        {
            if (votes is < 0 or > MaxVotes)
            {
                errors.Add(field, $"'{field}' counts votes: give a number from 0 to {MaxVotes}.");
            }
        }
    }
}
