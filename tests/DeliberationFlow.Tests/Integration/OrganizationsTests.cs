using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Committees;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace DeliberationFlow.Tests.Integration;

/// <summary>Gremien und Ämter: admins add and keep committees and offices; an office's address receives its papers' outcome notices.</summary>
[Collection(HostCollection.Name)]
public sealed class OrganizationsTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Admin_AddsAnOfficeWithItsAddress_ItsPapersOutcomesReachIt_AndEveryChangeIsRecorded(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");

        var created = await admin.PostAsJsonAsync("/api/organizations",
            new SaveOrganizationRequest("fb40", "Fachbereich 40 Schule und Sport", "FB 40", "AdministrativeOffice", null, "fb40@braunschweig.example"));
        await Http.EnsureAsync(created, HttpStatusCode.Created);
        var office = (await created.Content.ReadFromJsonAsync<OrganizationView>())!;
        Assert.Equal(("fb40", "AdministrativeOffice", "Verwaltungsbereich", false), (office.Key, office.Kind, office.Classification, office.Imported));
        var committee = await admin.PostAsJsonAsync("/api/organizations", new SaveOrganizationRequest("sa", "Schulausschuss", "SA", "Committee", "Ausschuss", null));
        await Http.EnsureAsync(committee, HttpStatusCode.Created);
        var listed = (await admin.GetFromJsonAsync<List<OrganizationView>>("/api/organizations"))!;
        Assert.Contains(listed, o => o.Key == "sa" && o.Kind == "Committee");
        Assert.Contains("sa", (await admin.GetStringAsync("/api/committees")), StringComparison.Ordinal);

        // A paper it leads: the FPA's outcome is told to the new office.
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-20201", "Sanierung Turnhalle Lehndorf", "Beschlussvorlage", "fb40", null, true, null, null));
        Assert.Equal("fb40", paper.LeadOffice!.Key);
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        await Http.EnsureAsync(await test.RecordAsync("admin", paper.Consultations[0].Id, new RecordOutcomeRequest("Adopted", "beschlossen", null)), HttpStatusCode.OK);
        var notice = Assert.Single(await test.Smtp.WaitForAsync(m => (m.Subject ?? "").StartsWith("Beratungsergebnis 21-20201", StringComparison.Ordinal), 1));
        Assert.Equal("fb40@braunschweig.example", notice.To.Mailboxes.Single().Address);
        await test.WaitForMailOutAsync();
        var log = (await admin.GetFromJsonAsync<List<DeliveryView>>($"/api/papers/{paper.Id}/deliveries"))!;
        Assert.Single(log, d => d.Kind == "outcome-notice" && d.Recipient == "fb40@braunschweig.example" && d.Status == "Sent");

        // A change of name and address; key and kind stay.
        var changed = await admin.PutAsJsonAsync("/api/organizations/fb40", new SaveOrganizationRequest(null, "Fachbereich 40 Schule", null, null, null, "schule@braunschweig.example"));
        await Http.EnsureAsync(changed, HttpStatusCode.OK);
        Assert.Equal(("Fachbereich 40 Schule", "FB 40", "schule@braunschweig.example"), (await changed.Content.ReadFromJsonAsync<OrganizationView>()) is { } v ? (v.Name, v.ShortName, v.Email) : default);
        var record = (await admin.GetFromJsonAsync<AuditPage>("/api/audit?area=committee"))!.Entries;
        Assert.Contains(record, e => e.Subject == "Fachbereich 40 Schule und Sport" && e.Message.StartsWith("Amt angelegt: Schlüssel fb40", StringComparison.Ordinal));
        Assert.Contains(record, e => e.Subject == "Schulausschuss" && e.Message.StartsWith("Gremium angelegt", StringComparison.Ordinal));
        Assert.Contains(record, e => e.Message == "Geändert: Fachbereich 40 Schule und Sport, FB 40, Verwaltungsbereich, fb40@braunschweig.example → Fachbereich 40 Schule, FB 40, Verwaltungsbereich, schule@braunschweig.example.");
    }

    [Fact]
    public async Task BadOrganizations_AreRefusedWithEveryField_AndOnlyAdminsKeepThem()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var before = (await admin.GetFromJsonAsync<List<OrganizationView>>("/api/organizations"))!;

        var bad = await admin.PostAsJsonAsync("/api/organizations", new SaveOrganizationRequest("FB 40", "", null, "Fraktion", new string('x', 101), "fb40 at stadt"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors;
        Assert.Equal(["classification", "email", "key", "kind", "name"], errors.Keys.Order(StringComparer.Ordinal));
        var taken = await admin.PostAsJsonAsync("/api/organizations", new SaveOrganizationRequest("fpa", "Noch ein Finanzausschuss", null, "Committee", null, null));
        Assert.Contains("taken", (await taken.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors["key"][0], StringComparison.Ordinal);
        var rekeyed = await admin.PutAsJsonAsync("/api/organizations/fpa", new SaveOrganizationRequest("finanzen", null, null, "AdministrativeOffice", null, null));
        Assert.Equal(["key", "kind"], (await rekeyed.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys.Order(StringComparer.Ordinal));

        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("sekretariat-fpa").GetAsync("/api/organizations")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("sekretariat-fpa").PostAsJsonAsync("/api/organizations",
            new SaveOrganizationRequest("jha", "Jugendhilfeausschuss", null, "Committee", null, null))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await test.ClientFor("admin-wf").PutAsJsonAsync("/api/organizations/fb10",
            new SaveOrganizationRequest(null, "Übernommen", null, null, null, null))).StatusCode);

        var after = (await admin.GetFromJsonAsync<List<OrganizationView>>("/api/organizations"))!;
        Assert.Equal(before, after);
    }
}
