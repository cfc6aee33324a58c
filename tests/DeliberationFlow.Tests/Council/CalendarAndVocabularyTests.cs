using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Tests.Infrastructure;

namespace DeliberationFlow.Tests.Council;

public sealed class CalendarAndVocabularyTests
{
    [Fact]
    public void Invitation_ForTheMondayAfterTheSpringChange_IsAtTheSameLocalTimeAWeekBefore()
    {
        // Summer time began on Sunday 28.03.2021; a meeting on Monday 29.03.2021, 15:00 CEST.
        var meeting = Berlin.At(2021, 3, 29, 15);

        var invitation = BodyClock.LocalDaysBefore(meeting, 7, Berlin.Zone);

        Assert.Equal(new DateTimeOffset(2021, 3, 29, 13, 0, 0, TimeSpan.Zero), meeting);
        Assert.Equal(new DateTimeOffset(2021, 3, 22, 14, 0, 0, TimeSpan.Zero), invitation);
        Assert.Equal(15, BodyClock.ToLocal(invitation, Berlin.Zone).Hour);
    }

    [Fact]
    public void Invitation_AcrossTheAutumnChange_KeepsTheLocalTime()
    {
        // Winter time began on Sunday 31.10.2021; a meeting on Tuesday 02.11.2021, 15:00 CET.
        var invitation = BodyClock.LocalDaysBefore(Berlin.At(2021, 11, 2, 15), 7, Berlin.Zone);

        Assert.Equal(new DateTimeOffset(2021, 10, 26, 13, 0, 0, TimeSpan.Zero), invitation);
    }

    [Fact]
    public void SubmissionDeadline_InWorkingDays_SkipsWeekendsAndTheEasterHolidaysOfLowerSaxony()
    {
        var body = new Body { Key = "bs", Name = "Stadt Braunschweig", State = "NI" };

        // Thursday 08.04.2021 after Easter: Karfreitag 02.04. and Ostermontag 05.04. are no working days.
        var deadline = Deadlines.WorkingDaysBefore(Berlin.At(2021, 4, 8, 15), 10, body);

        Assert.Equal(Berlin.At(2021, 3, 23, 15), deadline);
        Assert.False(Deadlines.IsWorkingDay(new DateOnly(2022, 10, 31), body)); // Reformationstag (a Monday), a holiday in Lower Saxony since 2018
        Assert.False(Deadlines.IsWorkingDay(new DateOnly(2021, 5, 13), body)); // Christi Himmelfahrt
        Assert.True(Deadlines.IsWorkingDay(new DateOnly(2021, 6, 3), body)); // Fronleichnam is no holiday in Lower Saxony
    }

    [Fact]
    public void LocalTime_SkippedByTheSpringChange_MovesForward()
    {
        var instant = BodyClock.FromLocal(new DateTime(2021, 3, 28, 2, 30, 0), Berlin.Zone);

        Assert.Equal(new DateTime(2021, 3, 28, 3, 30, 0), BodyClock.ToLocal(instant, Berlin.Zone).DateTime);
        Assert.True(BodyClock.IsSkipped(new DateTime(2021, 3, 28, 2, 30, 0), Berlin.Zone));
        Assert.False(BodyClock.IsSkipped(new DateTime(2021, 3, 28, 3, 0, 0), Berlin.Zone));
    }

    [Fact]
    public void LocalTime_GivenTwiceByTheAutumnChange_IsTheFirst_StillInSummerTime()
    {
        // 31.10.2021: at 03:00 CEST the clocks go back to 02:00 CET, so 02:30 comes twice. Taken as RFC 5545 reads it (and
        // every calendar a meeting is exported to): the first, 00:30 UTC; .NET's offset for it alone would give 01:30 UTC.
        var instant = BodyClock.FromLocal(new DateTime(2021, 10, 31, 2, 30, 0), Berlin.Zone);

        Assert.Equal(new DateTimeOffset(2021, 10, 31, 0, 30, 0, TimeSpan.Zero), instant);
        Assert.Equal(TimeSpan.FromHours(2), BodyClock.ToLocal(instant, Berlin.Zone).Offset);
        Assert.False(BodyClock.IsSkipped(new DateTime(2021, 10, 31, 2, 30, 0), Berlin.Zone));
    }

    [Theory]
    [InlineData("zur Kenntnis genommen", Outcome.Noted)]
    [InlineData("Kenntnisnahme", Outcome.Noted)]
    [InlineData("ungeändert beschlossen", Outcome.Adopted)]
    [InlineData("einstimmig beschlossen", Outcome.Adopted)]
    [InlineData("mehrheitlich zugestimmt", Outcome.Adopted)]
    [InlineData("vorberaten ohne Änderungen", Outcome.Recommended)]
    [InlineData("einstimmig empfohlen", Outcome.Recommended)]
    [InlineData("abgesetzt", Outcome.RemovedFromAgenda)]
    [InlineData("keine Abstimmung", Outcome.NoVote)]
    [InlineData("nicht zur Abstimmung gestellt", Outcome.NoVote)]
    [InlineData("geändert beschlossen", Outcome.AdoptedAmended)]
    [InlineData("Zugestimmt zu geändertem Beschlusstext", Outcome.AdoptedAmended)]
    [InlineData("mehrheitlich abgelehnt", Outcome.Rejected)]
    [InlineData("bei Stimmengleichheit abgelehnt", Outcome.Rejected)]
    [InlineData("vertagt", Outcome.Deferred)]
    [InlineData("verwiesen in den Planungsausschuss", Outcome.Referred)]
    [InlineData("zurückgezogen", Outcome.Withdrawn)]
    [InlineData("erledigt", Outcome.Settled)]
    [InlineData("erledigt durch Stellungnahme der Verwaltung", Outcome.Settled)]
    [InlineData("mit Stellungnahme einverstanden", Outcome.Settled)]
    [InlineData("gewählt", Outcome.Elected)]
    [InlineData("einstimmig gewählt", Outcome.Elected)]
    public void Outcome_WordedAsInRealMinutes_IsNormalised(string wording, Outcome expected) =>
        Assert.Equal(expected, Vocabulary.NormaliseOutcome(wording));

    [Theory]
    [InlineData("Anhörung", ConsultationRole.Hearing)]
    [InlineData("Vorberatung", ConsultationRole.PreDeliberation)]
    [InlineData("Entscheidung", ConsultationRole.Decision)]
    [InlineData("Kenntnisnahme", ConsultationRole.Noting)]
    [InlineData("Beratung", ConsultationRole.Deliberation)]
    [InlineData("unbekannt", ConsultationRole.Unknown)]
    public void Role_WordedAsInRealData_IsNormalised(string wording, ConsultationRole expected) =>
        Assert.Equal(expected, Vocabulary.NormaliseRole(wording));

    [Fact]
    public void Outcome_UnknownWording_IsNotGuessed() => Assert.Null(Vocabulary.NormaliseOutcome("Wiedervorlage erbeten"));
}
