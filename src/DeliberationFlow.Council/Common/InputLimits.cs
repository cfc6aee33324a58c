namespace DeliberationFlow.Council.Common;

/// <summary>Limits of request input that more than one use case checks; a use case's own limits stay with it.</summary>
public static class InputLimits
{
    /// <summary>
    /// The first year a meeting's start or a paper's date may fall in. The service plans and records a council's current
    /// business: a paper older than the council information systems (1990s) comes, if at all, by an OParl import, which
    /// does not pass through these checks, and a meeting is only planned ahead. The bound also keeps the calendar
    /// arithmetic on such a date (deadlines counted back, the zone's offset) far from DateTime's first year, where it
    /// threw and the request got a 500.
    /// </summary>
    public const int FirstYear = 1990;

    /// <summary>
    /// The last year a meeting's start, a series' end or a paper's date may fall in: decades beyond any legislative term
    /// (five years), and far from DateTime's last year, where a meeting's end or a series' last day could not be computed.
    /// </summary>
    public const int LastYear = 2099;

    /// <summary>
    /// A reason that goes into the paper's journal and the members' mails (a meeting moved or cancelled, an item taken
    /// off the agenda): a paragraph or two. The meeting keeps it in a column of this size.
    /// </summary>
    public const int MaxReasonLength = 1000;

    public static bool IsPlausibleYear(int year) => year is >= FirstYear and <= LastYear;
}
