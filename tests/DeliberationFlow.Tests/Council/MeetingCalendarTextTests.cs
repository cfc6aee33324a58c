using System.Text;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;

namespace DeliberationFlow.Tests.Council;

/// <summary>The iCalendar text of the feed and the invitation: long lines folded without breaking a character.</summary>
public sealed class MeetingCalendarTextTests
{
    // Emoji (two UTF-16 halves, four octets), a flag sequence, combining marks and Hebrew, long enough for several folds.
    private const string Name = "Sondersitzung 🏳️‍🌈 Zoë é שלום 😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀 Ende";
    private const string Place = "Rathaus, Raum 🏛️ A1.129, Platz der Deutschen Einheit 1, 38100 Braunschweig 📍📍📍📍📍📍📍📍";

    [Fact]
    public void AFeedAndAnInvitation_KeepEveryCharacterOfALongNameAndPlace_InLinesOfAtMost75Octets()
    {
        var now = new DateTimeOffset(2021, 4, 22, 13, 0, 0, TimeSpan.Zero);
        var body = new Body { Id = Guid.NewGuid(), Key = "bs", Name = "Stadt Braunschweig" };
        var committee = new Organization { Id = Guid.NewGuid(), BodyId = body.Id, Key = "fpa", Name = "Finanz- und Personalausschuss" };
        var meeting = new Meeting
        {
            Id = Guid.NewGuid(), BodyId = body.Id, OrganizationId = committee.Id, Name = Name, Location = Place,
            Start = new DateTimeOffset(2021, 4, 29, 13, 0, 0, TimeSpan.Zero), Created = now, Modified = now,
        };

        foreach (var text in new[]
                 {
                     MeetingCalendar.Feed("Sitzungen – Zoë 😀", body, [(meeting, committee)]),
                     MeetingCalendar.Invitation(meeting, committee, body, [$"Ö 1 21-15513 {Name}"], MailIdentity.Default),
                 })
        {
            // As it goes over the wire: UTF-8. A fold between the halves of an emoji came back as U+FFFD twice.
            var sent = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
            Assert.DoesNotContain('\uFFFD', sent);
            Assert.All(sent.Split("\r\n"), line => Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, $"{Encoding.UTF8.GetByteCount(line)} octets: {line}"));

            var calendarEvent = Assert.Single(Ical.Net.Calendar.Load(sent)!.Events);
            Assert.Equal($"Finanz- und Personalausschuss: {Name}", calendarEvent.Summary);
            Assert.Equal(Place, calendarEvent.Location);
        }
    }
}
