using DeliberationFlow.Council.Common;

namespace DeliberationFlow.Council.Consultations;

/// <summary>The checks an outcome's wording and tally pass, whether recorded or corrected.</summary>
internal static class OutcomeInput
{
    public const int MaxVotes = 10_000;

    /// <summary>A wording or reason is one line, as the minutes and the journal write it.</summary>
    public static void OneLine(ValidationErrors errors, string field, string? text, string message)
    {
        if (text is not null && text.Any(char.IsControl))
        {
            errors.Add(field, message);
        }
    }

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
