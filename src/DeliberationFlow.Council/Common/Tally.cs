namespace DeliberationFlow.Council.Common;

/// <summary>
/// The count of abstentions in words, as minutes and notices write a vote: „1 Enthaltung“, „2 Enthaltungen“ (English
/// "1 abstention", "2 abstentions"). Ja/Nein, dafür/dagegen and for/against are the same for every count.
/// </summary>
public static class Tally
{
    public static string Abstentions(int count, bool english = false) =>
        english
            ? $"{count} {(count == 1 ? "abstention" : "abstentions")}"
            : $"{count} {(count == 1 ? "Enthaltung" : "Enthaltungen")}";
}
