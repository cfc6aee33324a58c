using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Council.Persons;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;

namespace DeliberationFlow.Tests.Integration;

/// <summary>Following a committee: when its meeting is invited, followers who are not members hear of the public agenda.</summary>
[Collection(HostCollection.Name)]
public sealed class CommitteeFollowTests
{
    [Fact]
    public async Task Followers_HearOfThePublicAgenda_WhenTheMeetingIsInvited_AndNothingNonPublic()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 3, 20, 9));
        var open = await test.RegisterAsync("admin", new RegisterPaperRequest(
            "21-20401", "Radschnellweg Braunschweig–Wolfenbüttel", "Beschlussvorlage", "fb10", null, true, null, "beschlussvorlage-fachausschuss"));
        var secret = await test.RegisterAsync("admin", new RegisterPaperRequest(
            "21-20402", "Grundstücksangelegenheit Ölper", "Beschlussvorlage", "fb10", null, false, null, "beschlussvorlage-fachausschuss"));
        Assert.Equal(Berlin.At(2021, 4, 14, 15, 0), open.Consultations[0].MeetingStart);
        Assert.Equal(open.Consultations[0].MeetingId, secret.Consultations[0].MeetingId);

        // The FPA's secretary and Ratsfrau Beispiel (Rat, FPA) follow the PlUA; she also follows the FPA, whose member she is.
        foreach (var (user, key) in new[] { ("sekretariat-fpa", "plua"), ("ratsmitglied", "plua"), ("ratsmitglied", "fpa") })
        {
            await Http.EnsureAsync(await test.ClientFor(user).PutAsync($"/api/committees/{key}/follow", null), HttpStatusCode.OK);
        }

        await Http.EnsureAsync(await test.ClientFor("ratsmitglied").PutAsync("/api/committees/plua/follow", null), HttpStatusCode.OK); // a second click
        Assert.Equal(["fpa", "plua"], (await test.ClientFor("ratsmitglied").GetFromJsonAsync<List<FollowedCommittee>>("/api/me/followed-committees"))!
            .Select(c => c.Key).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await test.ClientFor("ratsmitglied").PutAsync("/api/committees/bauausschuss/follow", null)).StatusCode);

        // The Ladungsfrist of the PlUA's meeting on 14.04.2021: seven days before, at the meeting's time.
        await test.MoveClockToAsync(Berlin.At(2021, 4, 7, 15, 0, 1));
        await test.ReconcileAsync();
        var agendas = await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Tagesordnung: Planungs- und Umweltausschuss am 14.04.2021", StringComparison.Ordinal), 2);
        var jana = (await test.ClientFor("admin").GetFromJsonAsync<PersonDirectory>("/api/persons"))!.Persons.Single(p => p.Name == "Jana Beispiel").Email!;
        Assert.Equal(new[] { "sekretariat-fpa@braunschweig.example", jana }.Order(StringComparer.Ordinal), agendas.Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
        Assert.All(agendas, m =>
        {
            Assert.Equal("Tagesordnung: Planungs- und Umweltausschuss am 14.04.2021 – 21-20401", m.Subject);
            Assert.Contains("Ö 1  21-20401 – Radschnellweg Braunschweig–Wolfenbüttel", m.TextBody, StringComparison.Ordinal);
            Assert.DoesNotContain("21-20402", m.TextBody + m.HtmlBody, StringComparison.Ordinal);
            Assert.DoesNotContain("Ölper", m.TextBody + m.HtmlBody, StringComparison.Ordinal);
        });

        // Both papers' invitation timers fired; each follower was written to once, and the journal names them.
        await test.ReconcileAsync();
        await test.WaitForMailOutAsync();
        Assert.Equal(2, test.Smtp.Messages.Count(m => (m.Subject ?? "").StartsWith("Tagesordnung:", StringComparison.Ordinal)));
        var journal = (await test.GetPaperAsync("admin", open.Id)).Journal;
        Assert.Contains(journal, j => j.Kind == "NotificationQueued" && j.Message.Contains("Tagesordnung an Folgende des Gremiums", StringComparison.Ordinal));

        // Unfollowed, no longer listed.
        Assert.Equal(HttpStatusCode.NoContent, (await test.ClientFor("ratsmitglied").DeleteAsync("/api/committees/plua/follow")).StatusCode);
        Assert.Equal(["fpa"], (await test.ClientFor("ratsmitglied").GetFromJsonAsync<List<FollowedCommittee>>("/api/me/followed-committees"))!.Select(c => c.Key));
    }
}
