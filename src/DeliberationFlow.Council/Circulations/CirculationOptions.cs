namespace DeliberationFlow.Council.Circulations;

/// <summary>Configuration <c>Circulations</c>: when the members who have not answered are reminded.</summary>
public sealed class CirculationOptions
{
    public const string Section = "Circulations";

    /// <summary>
    /// How long before the Frist the members without an answer get the <c>circulation-reminder</c> mail: a day unless
    /// configured; zero sends none. Only when the Frist is at least twice as far ahead at the start: a reminder sooner
    /// after the request than before the Frist would remind of a mail just read.
    /// </summary>
    public TimeSpan ReminderBefore { get; set; } = TimeSpan.FromHours(24);

    /// <summary>When the reminder of a circulation started <paramref name="now"/> with that Frist is due, if it gets one.</summary>
    public DateTimeOffset? ReminderDue(DateTimeOffset now, DateTimeOffset deadline) =>
        ReminderBefore > TimeSpan.Zero && deadline - ReminderBefore >= now + ReminderBefore ? deadline - ReminderBefore : null;
}
