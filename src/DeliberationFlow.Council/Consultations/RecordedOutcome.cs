using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;

namespace DeliberationFlow.Council.Consultations;

/// <summary>
/// What the minutes say of a consultation's outcome at one moment: wording, resolution text and tally. A correction keeps
/// the one before it, so the journal and the correction notice can say what was and what is.
/// </summary>
public sealed record RecordedOutcome(string? ResultText, string? ResolutionText, int? VotesFor, int? VotesAgainst, int? Abstentions)
{
    public static RecordedOutcome Of(Consultation consultation) => new(
        consultation.ResultText, consultation.ResolutionText, consultation.VotesFor, consultation.VotesAgainst, consultation.Abstentions);

    /// <summary>
    /// One line in the reader's language, e.g. „geändert beschlossen“, Beschlusstext „…“, 9 Ja, 2 Nein, 1 Enthaltung;
    /// with <paramref name="resolutionUpTo"/>, a longer resolution text is cut there and ends in "…".
    /// </summary>
    public string Describe(string language = MailLanguages.German, int? resolutionUpTo = null)
    {
        var english = language == MailLanguages.English;
        var line = english ? $"\"{ResultText}\"" : $"„{ResultText}“";
        if (ResolutionText is { } resolution)
        {
            if (resolutionUpTo is { } upTo && resolution.Length > upTo)
            {
                resolution = resolution[..upTo] + "…";
            }

            line += english ? $", resolution \"{resolution}\"" : $", Beschlusstext „{resolution}“";
        }

        if (VotesFor is { } yes)
        {
            var abstentions = Abstentions ?? 0;
            line += english
                ? $", {yes} for, {VotesAgainst ?? 0} against, {Tally.Abstentions(abstentions, english: true)}"
                : $", {yes} Ja, {VotesAgainst ?? 0} Nein, {Tally.Abstentions(abstentions)}";
        }

        return line;
    }
}
