using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Server.Web;
using OutcomeKind = DeliberationFlow.Council.Model.Outcome;

namespace DeliberationFlow.Server.Components.Workspace;

/// <summary>
/// The outcome of one agenda item as the secretary types it from the minutes. Holds its own idempotency key for
/// the life of the form, so saving again after a lost answer cannot record the outcome twice.
/// </summary>
public sealed class OutcomeEntry(AgendaItemView item)
{
    public static readonly OutcomeKind[] Choices =
    [
        OutcomeKind.Adopted, OutcomeKind.AdoptedAmended, OutcomeKind.Rejected, OutcomeKind.Recommended, OutcomeKind.Noted, OutcomeKind.NoVote,
        OutcomeKind.Settled, OutcomeKind.Elected, OutcomeKind.Deferred, OutcomeKind.Referred, OutcomeKind.RemovedFromAgenda, OutcomeKind.Withdrawn,
    ];

    public AgendaItemView Item { get; } = item;
    public string IdempotencyKey { get; } = $"ui-{item.ConsultationId:N}-{Guid.NewGuid():N}";

    /// <summary>Open items take an outcome; recorded, withdrawn or removed items are shown only.</summary>
    public bool IsOpen => Item.Status == Vocabulary.Label(ConsultationStatus.Planned) && !Item.RemovedFromAgenda;

    public string? ResultText { get; set; }
    public OutcomeKind? Outcome { get; set; }
    public string? ResolutionText { get; set; }
    public int? VotesFor { get; set; }
    public int? VotesAgainst { get; set; }
    public int? Abstentions { get; set; }
    public string? ReferTo { get; set; }

    /// <summary>Saved: the answer's wording; set when the outcome was recorded.</summary>
    public string? Saved { get; set; }

    /// <summary>
    /// Whether the meeting has begun. Before it only a withdrawal or the item taken off the agenda can be recorded, as
    /// <see cref="OutcomeTiming"/> rules for every way in; the form says so before the save is refused.
    /// </summary>
    public bool MeetingBegun { get; init; } = true;

    /// <summary>The refusal of the last save, in words a secretary can act on.</summary>
    public string? Error { get; set; }

    public bool IsFilled => !string.IsNullOrWhiteSpace(ResultText) || Outcome is not null;

    /// <summary>The chosen outcome, or the one the wording names ("einstimmig beschlossen" → beschlossen).</summary>
    public OutcomeKind? EffectiveOutcome => Outcome ?? Vocabulary.NormaliseOutcome(ResultText);

    public bool? Unanimous => VotesFor is null ? null : (VotesAgainst ?? 0) == 0 && (Abstentions ?? 0) == 0;

    public string TallyText => Tally?.ToString() ?? "";

    /// <summary>The vote in words, for the page to show in the UI language.</summary>
    public UiText? Tally => VotesFor is null
        ? null
        : Unanimous == true
            ? new UiText("{0} Ja, {1} Nein, {2} Enthaltungen – einstimmig", VotesFor, VotesAgainst ?? 0, Abstentions ?? 0)
            : Abstentions == 1
                ? new UiText("{0} Ja, {1} Nein, {2} Enthaltung", VotesFor, VotesAgainst ?? 0, 1)
                : new UiText("{0} Ja, {1} Nein, {2} Enthaltungen", VotesFor, VotesAgainst ?? 0, Abstentions ?? 0);

    /// <summary>A quick choice fills the wording and the outcome together.</summary>
    public void Choose(OutcomeKind outcome)
    {
        Outcome = outcome;
        ResultText = outcome == OutcomeKind.Adopted && Unanimous == true ? "einstimmig beschlossen" : Vocabulary.Label(outcome);
        if (outcome != OutcomeKind.Referred)
        {
            ReferTo = null;
        }
    }

    public void Defer() => Choose(OutcomeKind.Deferred);

    public void Refer(string committeeKey)
    {
        Choose(OutcomeKind.Referred);
        ReferTo = committeeKey;
    }

    public IReadOnlyList<string> Problems() => ProblemTexts().Select(p => p.ToString()).ToList();

    /// <summary>What keeps the entry from being saved, for the page to show in the UI language.</summary>
    public IReadOnlyList<UiText> ProblemTexts()
    {
        if (!IsFilled)
        {
            return [];
        }

        var problems = new List<UiText>();
        if (EffectiveOutcome is null)
        {
            // The wording itself is the minutes' text, not a word of the UI: it is not translated.
            problems.Add(new UiText("„{0}“ ist keine bekannte Formulierung: bitte die Art des Ergebnisses wählen.", new Verbatim(ResultText ?? "")));
        }

        if (!MeetingBegun && EffectiveOutcome is { } chosen && !OutcomeTiming.MayRecordBeforeMeeting(chosen))
        {
            problems.Add(new UiText("Die Sitzung hat noch nicht begonnen: vor ihrem Beginn lässt sich nur „zurückgezogen“ oder „abgesetzt“ erfassen."));
        }

        if (ResultText is { } text && text.Any(char.IsControl))
        {
            problems.Add(new UiText("Das Ergebnis ist eine Zeile Text, ohne Zeilenumbrüche."));
        }

        if (EffectiveOutcome == OutcomeKind.Referred && string.IsNullOrWhiteSpace(ReferTo))
        {
            problems.Add(new UiText("Bitte das Gremium wählen, an das die Vorlage verwiesen wird."));
        }

        if (new[] { VotesFor, VotesAgainst, Abstentions }.Any(v => v is < 0 or > 10_000))
        {
            problems.Add(new UiText("Stimmen sind Zahlen von 0 bis 10000."));
        }

        if (VotesFor is null && (VotesAgainst is not null || Abstentions is not null))
        {
            problems.Add(new UiText("Bitte auch die Ja-Stimmen angeben."));
        }

        return problems;
    }

    public RecordOutcomeRequest ToRequest()
    {
        var outcome = EffectiveOutcome ?? throw new InvalidOperationException("No outcome; check Problems() first.");
        var text = string.IsNullOrWhiteSpace(ResultText) ? Vocabulary.Label(outcome) : ResultText.Trim();
        return new RecordOutcomeRequest(
            outcome.ToString(), text, string.IsNullOrWhiteSpace(ResolutionText) ? null : ResolutionText.Trim(),
            outcome == OutcomeKind.Referred ? ReferTo : null, VotesFor, VotesFor is null ? null : VotesAgainst ?? 0,
            VotesFor is null ? null : Abstentions ?? 0);
    }
}
