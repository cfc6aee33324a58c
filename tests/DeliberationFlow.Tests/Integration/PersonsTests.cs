using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.OParl;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Council.Persons;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using DeliberationFlow.Tests.OParl;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Integration;

/// <summary>Admins keep persons and their committee seats; attendance, OParl and the Änderungsprotokoll follow; imported ones stay with their source.</summary>
[Collection(HostCollection.Name)]
public sealed class PersonsTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task ThePersonsList_FindsByNameOrEMailInAnyCase_APageAtATime_AndRefusesABadPageNamingIt(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        await ExpectAsync<PersonView>(await admin.PostAsJsonAsync("/api/persons",
            new SavePersonRequest("Dr. Eva Meier", "Eva", "Meier", "Ratsfrau", "eva.meier@rat.braunschweig.example")), HttpStatusCode.Created);
        await ExpectAsync<PersonView>(await admin.PostAsJsonAsync("/api/persons",
            new SavePersonRequest("Ömer Yıldız", "Ömer", "Yıldız", null, "oe.yildiz@example.org")), HttpStatusCode.Created);
        async Task<PersonDirectory> ListAsync(string query) => (await admin.GetFromJsonAsync<PersonDirectory>($"/api/persons?{query}"))!;

        // ?q=Meier found everybody before.
        Assert.Equal(["Dr. Eva Meier"], (await ListAsync("q=meier")).Persons.Select(p => p.Name));
        Assert.Equal(["Sabine Krüger"], (await ListAsync("q=KRÜGER")).Persons.Select(p => p.Name));
        Assert.Equal(["Ömer Yıldız"], (await ListAsync("q=%C3%B6mer")).Persons.Select(p => p.Name));
        Assert.Equal(["Ömer Yıldız"], (await ListAsync("q=OE.Yildiz%40")).Persons.Select(p => p.Name));
        var council = await ListAsync("q=@rat.braunschweig.example");
        Assert.Equal((13, 13), (council.Total, council.Persons.Count));
        Assert.Empty((await ListAsync("q=Niemand")).Persons);

        // 14 in all, in the order of the admins' page, 5 a page.
        var everyone = (await ListAsync("")).Persons.Select(p => p.Name).ToList();
        Assert.Equal(14, everyone.Count);
        var paged = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var list = await ListAsync($"page={page}&pageSize=5");
            Assert.Equal((14, page, 5), (list.Total, list.Page, list.PageSize));
            paged.AddRange(list.Persons.Select(p => p.Name));
        }

        Assert.Equal(everyone, paged);
        Assert.Equal(4, (await ListAsync("page=3&pageSize=5")).Persons.Count);
        var bad = await admin.GetAsync($"/api/persons?page=0&pageSize=101&q={new string('x', 201)}");
        await Http.EnsureAsync(bad, HttpStatusCode.BadRequest);
        Assert.Equal(["page", "pageSize", "q"], (await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Admin_AddsAPersonWithASeat_TheCommitteeHasThemForItsMeetingsUntilTheSeatEnds(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17601", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        var attendanceUrl = $"/api/meetings/{paper.Consultations[0].MeetingId}/attendance";

        var created = await ExpectAsync<PersonView>(await admin.PostAsJsonAsync("/api/persons",
            new SavePersonRequest("Eva Neumeier", "Eva", "Neumeier", "Ratsfrau", "eva.neumeier@rat.braunschweig.example")), HttpStatusCode.Created);
        var seated = await ExpectAsync<PersonView>(await admin.PostAsJsonAsync($"/api/persons/{created.Id}/memberships",
            new AddMembershipRequest("fpa", "Stellvertretung", true, new DateOnly(2021, 4, 1))));
        var seat = Assert.Single(seated.Memberships);
        Assert.Equal(("fpa", "Stellvertretung", true, new DateOnly(2021, 4, 1), (DateOnly?)null, false), (seat.CommitteeKey, seat.Role, seat.VotingRight, seat.StartDate, seat.EndDate, seat.Imported));

        // The FPA meeting of 29.04. has her as a deputy: she takes no seat of her own.
        var attendance = (await admin.GetFromJsonAsync<AttendanceView>(attendanceUrl))!;
        var member = Assert.Single(attendance.Members, m => m.Name == "Eva Neumeier");
        Assert.True(member.Deputy);
        Assert.Equal(5, attendance.VotingSeats);

        // A second open seat in the same committee is refused; the e-mail changes; the seat ends before the meeting.
        var overlap = await admin.PostAsJsonAsync($"/api/persons/{created.Id}/memberships", new AddMembershipRequest("fpa", null, null, new DateOnly(2021, 4, 10)));
        Assert.Contains("already sits in", (await overlap.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors["startDate"][0], StringComparison.Ordinal);
        await ExpectAsync<PersonView>(await admin.PutAsJsonAsync($"/api/persons/{created.Id}",
            new SavePersonRequest("Eva Neumeier", "Eva", "Neumeier", "Ratsfrau", "e.neumeier@rat.braunschweig.example")));
        var ended = await ExpectAsync<PersonView>(await admin.PostAsJsonAsync($"/api/memberships/{seat.Id}/end", new EndMembershipRequest(new DateOnly(2021, 4, 15))));
        Assert.Equal(new DateOnly(2021, 4, 15), ended.Memberships[0].EndDate);
        Assert.DoesNotContain((await admin.GetFromJsonAsync<AttendanceView>(attendanceUrl))!.Members, m => m.Name == "Eva Neumeier");

        // OParl serves her and her seat; the record names each change.
        var client = test.App.CreateClient();
        var person = await OParlInterfaceTests.GetAsync(client, $"http://localhost/oparl/person/{created.Id}");
        Assert.Equal("Eva Neumeier", (string)person["name"]!);
        var record = (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=person"))!.Entries;
        Assert.Equal(
            [
                "Mitgliedschaft in Finanz- und Personalausschuss endet am 15.04.2021.",
                "Person geändert. Vorher: Ratsfrau, Eva Neumeier, eva.neumeier@rat.braunschweig.example. Jetzt: Ratsfrau, Eva Neumeier, e.neumeier@rat.braunschweig.example.",
                "Mitgliedschaft in Finanz- und Personalausschuss: Stellvertretung, stimmberechtigt, ab 01.04.2021.",
                "Person angelegt: Ratsfrau, Eva Neumeier, eva.neumeier@rat.braunschweig.example.",
            ],
            record.Select(e => e.Message));
        Assert.All(record, e => Assert.Equal(("admin", "Eva Neumeier"), (e.Actor, e.Subject)));
    }

    [Fact]
    public async Task TheDirectorysDay_IsTheBodysDay_SoASeatEndedYesterdayShowsEndedAfterLocalMidnight()
    {
        // 00:30 on 1 November in Braunschweig is still 31 October in UTC: the persons page greys a seat that ended
        // on 31 October by the directory's day, which must be the body's.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 11, 1, 0, 30));
        var directory = (await test.ClientFor("admin").GetFromJsonAsync<PersonDirectory>("/api/persons"))!;
        Assert.Equal(new DateOnly(2021, 11, 1), directory.Today);
        Assert.Equal(new DateOnly(2021, 10, 31), DateOnly.FromDateTime(test.Clock.GetUtcNow().UtcDateTime));
    }

    [Fact]
    public async Task BadInput_IsRefusedAtItsField_ImportedOnesStayWithTheirSource_AndOnlyAdminsKeepPersons()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");

        var bad = await admin.PostAsJsonAsync("/api/persons", new SavePersonRequest(" ", null, null, null, "kein-postfach"));
        Assert.Equal(["email", "name"], (await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys.Order(StringComparer.Ordinal));
        var directory = (await admin.GetFromJsonAsync<PersonDirectory>("/api/persons"))!;
        var jana = directory.Persons.Single(p => p.Name == "Jana Beispiel");
        var unknown = await admin.PostAsJsonAsync($"/api/persons/{jana.Id}/memberships", new AddMembershipRequest("bauausschuss", null, null, null));
        Assert.Contains("fpa", (await unknown.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors["committee"][0], StringComparison.Ordinal);
        var seat = jana.Memberships[0];
        var early = await admin.PostAsJsonAsync($"/api/memberships/{seat.Id}/end", new EndMembershipRequest(new DateOnly(2015, 1, 1)));
        Assert.Equal(["endDate"], (await early.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);

        // A person another system's OParl data brought is changed there.
        await test.App.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ICouncilDb>();
            db.OParlSourceLinks.Add(new OParlSourceLink
            {
                BodyId = (await db.Persons.FindAsync(jana.Id))!.BodyId, ExternalId = "https://ris.example/oparl/person/7", Kind = "Person", EntityId = jana.Id,
                Imported = test.Clock.GetUtcNow(),
            });
            return await db.SaveChangesAsync(CancellationToken.None);
        });
        Assert.True((await admin.GetFromJsonAsync<PersonDirectory>("/api/persons"))!.Persons.Single(p => p.Id == jana.Id).Imported);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PutAsJsonAsync($"/api/persons/{jana.Id}", new SavePersonRequest("Jana Beispiel-Neu", null, null, null, null))).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("sekretariat-fpa").GetAsync("/api/persons")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await test.ClientFor("admin-wf").PutAsJsonAsync($"/api/persons/{jana.Id}", new SavePersonRequest("X", null, null, null, null))).StatusCode);
        Assert.Equal(0, (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=person"))!.Total);
        Assert.Equal("Jana Beispiel", (await admin.GetFromJsonAsync<PersonDirectory>("/api/persons"))!.Persons.Single(p => p.Id == jana.Id).Name);
    }

    private static async Task<T> ExpectAsync<T>(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        await Http.EnsureAsync(response, status);
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }
}
