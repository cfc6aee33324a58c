using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Server.Security;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace DeliberationFlow.Tests.Integration;

/// <summary>Admins manage their body's accounts: who signs in, with which role and committees, and who no longer does.</summary>
[Collection(HostCollection.Name)]
public sealed class UserManagementTests
{
    private const string Password = "Sitzungsdienst-2021!";

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task ASecretaryAccount_SignsIn_ActsForItsCommitteeOnly_FollowsItsNewCommittee_AndStopsWhenDeactivated(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17501", "Testvorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        var fpa = paper.Consultations[0].Id;

        var created = await admin.PostAsJsonAsync("/api/users", new CreateUserRequest("M.Mueller", "Maria Müller", "m.mueller@braunschweig.example", "Secretary", ["plua"], null, Password));
        await Http.EnsureAsync(created, HttpStatusCode.Created);
        var user = (await created.Content.ReadFromJsonAsync<UserView>())!;
        Assert.Equal(("m.mueller", "Secretary", true), (user.UserName, user.Role, user.Active));
        Assert.Equal(["plua"], user.Committees);

        // Signs in with the password the admin set; may not record for the FPA.
        var maria = test.App.ClientFor("m.mueller", Password);
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));
        Assert.Equal(HttpStatusCode.Forbidden, (await RecordAsync(maria, fpa)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await test.App.ClientFor("m.mueller", "falsch-falsch-falsch").GetAsync("/api/committees")).StatusCode);

        // Given the FPA instead, the next request acts for it.
        await Http.EnsureAsync(await admin.PutAsJsonAsync($"/api/users/{user.Id}", new UpdateUserRequest("Maria Müller", null, "Secretary", ["fpa"], null)), HttpStatusCode.OK);
        await Http.EnsureAsync(await RecordAsync(maria, fpa), HttpStatusCode.OK);

        // Deactivated: no more sign-in, the account stays listed; reactivated: signs in again.
        var deactivated = (await (await admin.PostAsync($"/api/users/{user.Id}/deactivate", null)).Content.ReadFromJsonAsync<UserView>())!;
        Assert.False(deactivated.Active);
        Assert.Equal(HttpStatusCode.Unauthorized, (await maria.GetAsync("/api/committees")).StatusCode);
        var directory = (await admin.GetFromJsonAsync<UserDirectory>("/api/users"))!;
        Assert.Contains(directory.Users, u => u.UserName == "m.mueller" && !u.Active);
        await Http.EnsureAsync(await admin.PostAsync($"/api/users/{user.Id}/reactivate", null), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await maria.GetAsync("/api/committees")).StatusCode);

        // A new password from the admin ends the old one; the user changes it again with the current one.
        await Http.EnsureAsync(await admin.PostAsJsonAsync($"/api/users/{user.Id}/password", new SetPasswordRequest("Neues-Kennwort-2021")), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, (await maria.GetAsync("/api/committees")).StatusCode);
        var renewed = test.App.ClientFor("m.mueller", "Neues-Kennwort-2021");
        var wrongCurrent = await renewed.PostAsJsonAsync("/api/me/password", new ChangePasswordRequest("nicht-das-alte-1", "Eigenes-Kennwort-2021"));
        Assert.Contains("currentPassword", (await wrongCurrent.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
        Assert.Equal(HttpStatusCode.NoContent, (await renewed.PostAsJsonAsync("/api/me/password", new ChangePasswordRequest("Neues-Kennwort-2021", "Eigenes-Kennwort-2021"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await test.App.ClientFor("m.mueller", "Eigenes-Kennwort-2021").GetAsync("/api/committees")).StatusCode);
    }

    [Fact]
    public async Task BadAccounts_AreRefusedFieldByField_NonAdminsAreRefused_AndTheLastAdminStays()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var before = (await admin.GetFromJsonAsync<UserDirectory>("/api/users"))!.Users.Count;

        var bad = await admin.PostAsJsonAsync("/api/users", new CreateUserRequest("9x", "", "keine-adresse", "Secretary", ["gibtsnicht"], Guid.NewGuid(), "kurz"));
        await Http.EnsureAsync(bad, HttpStatusCode.BadRequest);
        Assert.Equal(["committees[0]", "displayName", "email", "password", "personId", "userName"],
            (await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys.Order(StringComparer.Ordinal));
        var taken = await admin.PostAsJsonAsync("/api/users", new CreateUserRequest("sekretariat-fpa", "Doppelt", null, "Councillor", null, null, Password));
        Assert.Contains("taken", (await taken.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors["userName"][0], StringComparison.Ordinal);
        var secretaryWithout = await admin.PostAsJsonAsync("/api/users", new CreateUserRequest("ohne.gremium", "Ohne Gremium", null, "Secretary", [], null, Password));
        Assert.Contains("committees", (await secretaryWithout.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("sekretariat-fpa").GetAsync("/api/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("sekretariat-fpa").PostAsJsonAsync("/api/users",
            new CreateUserRequest("eigenmaechtig", "Eigenmächtig", null, "Admin", null, null, Password))).StatusCode);
        Assert.Equal(before, (await admin.GetFromJsonAsync<UserDirectory>("/api/users"))!.Users.Count);

        // The admin cannot lock themselves out, nor demote or deactivate the body's last other admin.
        var directory = (await admin.GetFromJsonAsync<UserDirectory>("/api/users"))!;
        var self = directory.Users.Single(u => u.UserName == "admin");
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/users/{self.Id}/deactivate", null)).StatusCode);
        var admins = directory.Users.Where(u => u.Role == "Admin" && u.Active).ToList();
        foreach (var other in admins.Where(u => u.Id != self.Id))
        {
            await Http.EnsureAsync(await admin.PostAsync($"/api/users/{other.Id}/deactivate", null), HttpStatusCode.OK);
        }

        var demote = await admin.PutAsJsonAsync($"/api/users/{self.Id}", new UpdateUserRequest("Administration", null, "Councillor", null, null));
        Assert.Contains("last active admin", (await demote.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors["role"][0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/users")).StatusCode);
    }

    [Fact]
    public void TheSecurityStamp_ChangesWithPasswordRightsAndDeactivation_SoEarlierSessionsEnd()
    {
        var user = new UserAccount { UserName = "m.mueller", DisplayName = "Maria Müller", PasswordHash = "hash", Role = UserRole.Secretary, CommitteeIds = [Guid.NewGuid()] };
        var stamps = new List<string> { CouncilUserStore.StampOf(user) };
        user.CommitteeIds = [.. user.CommitteeIds, Guid.NewGuid()];
        stamps.Add(CouncilUserStore.StampOf(user));
        user.Role = UserRole.Admin;
        stamps.Add(CouncilUserStore.StampOf(user));
        user.PasswordHash = "other";
        stamps.Add(CouncilUserStore.StampOf(user));
        user.DeactivatedAt = DateTimeOffset.UnixEpoch;
        stamps.Add(CouncilUserStore.StampOf(user));
        user.DisplayName = "Maria Meier"; // not a right: sessions may go on
        stamps.Add(CouncilUserStore.StampOf(user));

        Assert.Equal(5, stamps.Distinct().Count());
        Assert.Equal(stamps[^2], stamps[^1]);
    }

    private static Task<HttpResponseMessage> RecordAsync(HttpClient client, Guid consultationId) =>
        client.PostAsJsonAsync($"/api/consultations/{consultationId}/outcome", new RecordOutcomeRequest("Adopted", "beschlossen", null));
}
