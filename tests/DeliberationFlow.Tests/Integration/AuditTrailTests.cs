using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Committees;
using DeliberationFlow.Council.Notifications.Templates;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;

namespace DeliberationFlow.Tests.Integration;

/// <summary>Every admin change of accounts, deadlines and templates is recorded with who, when, before and after; only for the body's admins.</summary>
[Collection(HostCollection.Name)]
public sealed class AuditTrailTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task AdminChanges_AreRecordedNewestFirst_WithBeforeAndAfter_AndRefusedOnesLeaveNoTrace(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var created = (await (await admin.PostAsJsonAsync("/api/users", new CreateUserRequest("m.mueller", "Maria Müller", null, "Secretary", ["plua"], null, "Sitzungsdienst-2021!"))).Content.ReadFromJsonAsync<UserView>())!;
        test.Clock.Advance(TimeSpan.FromMinutes(1));
        await Http.EnsureAsync(await admin.PutAsJsonAsync($"/api/users/{created.Id}", new UpdateUserRequest("Maria Müller", null, "Secretary", ["fpa"], null)), HttpStatusCode.OK);
        test.Clock.Advance(TimeSpan.FromMinutes(1));
        await Http.EnsureAsync(await admin.PutAsJsonAsync("/api/committees/fpa/deadlines", new SaveCommitteeDeadlinesRequest(12, null, null, null, null)), HttpStatusCode.OK);
        test.Clock.Advance(TimeSpan.FromMinutes(1));
        await Http.EnsureAsync(await admin.PutAsJsonAsync("/api/mail-templates/reminder/de", new SaveMailTemplateRequest("Erinnerung {{ meeting.date }}", "Text", "<p>HTML</p>")), HttpStatusCode.OK);
        test.Clock.Advance(TimeSpan.FromMinutes(1));
        await Http.EnsureAsync(await admin.DeleteAsync("/api/mail-templates/reminder/de"), HttpStatusCode.OK);
        test.Clock.Advance(TimeSpan.FromMinutes(1));
        await Http.EnsureAsync(await admin.PostAsync($"/api/users/{created.Id}/deactivate", null), HttpStatusCode.OK);
        // Refused: no entry.
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/api/committees/fpa/deadlines", new SaveCommitteeDeadlinesRequest(5, null, null, 9, null))).StatusCode);

        var page = (await admin.GetFromJsonAsync<AuditPage>("/api/audit"))!;

        Assert.Equal(6, page.Total);
        Assert.Equal(
            [("account", "m.mueller"), ("mail-template", "reminder (de)"), ("mail-template", "reminder (de)"), ("committee", "fpa"), ("account", "m.mueller"), ("account", "m.mueller")],
            page.Entries.Select(e => (e.Area, e.Subject)));
        Assert.All(page.Entries, e => Assert.Equal("admin", e.Actor));
        Assert.Equal(Berlin.At(2021, 4, 1, 9, 5), page.Entries[0].Timestamp);
        Assert.Equal("Konto deaktiviert.", page.Entries[0].Message);
        Assert.Equal("Konto geändert. Vorher: Maria Müller, Secretary, Gremien plua. Jetzt: Maria Müller, Secretary, Gremien fpa.", page.Entries[4].Message);
        Assert.Contains("Vorher: Vorlagenfrist 10 Arbeitstage", page.Entries[3].Message, StringComparison.Ordinal);
        Assert.Contains("Jetzt: Vorlagenfrist 12 Arbeitstage", page.Entries[3].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(page.Entries, e => e.Message.Contains("Sitzungsdienst-2021!", StringComparison.Ordinal));

        // Filters: by area, by text; pages of two.
        Assert.Equal(3, (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=account"))!.Total);
        Assert.Equal("fpa", Assert.Single((await admin.GetFromJsonAsync<AuditPage>("/api/audit?q=VORLAGENFRIST"))!.Entries).Subject);
        var second = (await admin.GetFromJsonAsync<AuditPage>("/api/audit?pageSize=2&page=2"))!;
        Assert.Equal(page.Entries.Skip(2).Take(2), second.Entries);
    }

    [Fact]
    public async Task ACouncillorsAccount_IsRecordedWithThePersonsName()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var persons = (await admin.GetFromJsonAsync<UserDirectory>("/api/users"))!.Persons;
        var (first, second) = (persons[0], persons[1]);
        var created = (await (await admin.PostAsJsonAsync("/api/users", new CreateUserRequest("r.mitglied", "Ratsmitglied", null, "Councillor", null, first.Id, "Ratsarbeit-2021-04!"))).Content.ReadFromJsonAsync<UserView>())!;
        await Http.EnsureAsync(await admin.PutAsJsonAsync($"/api/users/{created.Id}", new UpdateUserRequest("Ratsmitglied", null, "Councillor", null, second.Id)), HttpStatusCode.OK);

        var entries = (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=account"))!.Entries;

        Assert.Equal($"Konto geändert. Vorher: Ratsmitglied, Councillor, Person {first.Name}. Jetzt: Ratsmitglied, Councillor, Person {second.Name}.", entries[0].Message);
        Assert.Equal($"Konto angelegt: Ratsmitglied, Councillor, Person {first.Name}.", entries[1].Message);
    }

    [Fact]
    public async Task TheRecord_IsOnlyForTheBodysAdmins_AndNamesBadFilters()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        await Http.EnsureAsync(await test.ClientFor("admin").PutAsJsonAsync("/api/committees/fpa/deadlines", new SaveCommitteeDeadlinesRequest(12, null, null, null, null)), HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("sekretariat-fpa").GetAsync("/api/audit")).StatusCode);
        Assert.Equal(0, (await test.ClientFor("admin-wf").GetFromJsonAsync<AuditPage>("/api/audit"))!.Total);
        var bad = await test.ClientFor("admin").GetAsync("/api/audit?area=papers&page=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>())!.Errors;
        Assert.Equal(["area", "page"], errors.Keys.Order(StringComparer.Ordinal));
    }
}
