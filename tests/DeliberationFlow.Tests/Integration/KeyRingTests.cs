using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// A councillor subscribes to the calendar URL once and keeps it for years; a load balancer sends the calendar program
/// to any node. The URL is signed with the Data Protection key ring, which lives in the database: every node reads the
/// same keys, and a restarted or newly deployed node still knows the keys its predecessors signed with.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class KeyRingTests
{
    [Fact]
    public async Task ACalendarUrl_SignedOnOneNode_OpensOnAnother_AndAfterARestart_BecauseTheKeysAreTheDatabases()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var link = (await test.ClientFor("ratsmitglied").GetFromJsonAsync<CalendarFeedLink>("/api/me/calendar", TestContext.Current.CancellationToken))!;

        await using (var other = new DeliberationFlowApp(DatabaseProvider.Postgres, test.ConnectionString, test.Clock, test.Smtp.Port, test.DataPath,
                         settings: TestApp.ApiOnly))
        {
            using var anonymous = other.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(link.Path)).StatusCode);
        }

        var keys = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().DataProtectionKeys.AsNoTracking().ToListAsync());
        Assert.Contains(keys, k => k.Xml!.Contains("<key ", StringComparison.Ordinal));

        await test.RestartAsync();
        using (var anonymous = test.App.CreateClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(link.Path)).StatusCode);
        }

        // The database is where the ring is kept, not some folder of the machine: without its rows the URL is void.
        await using (var db = new Npgsql.NpgsqlConnection(test.ConnectionString))
        {
            await db.OpenAsync();
            await using var forget = new Npgsql.NpgsqlCommand("DELETE FROM council.data_protection_keys", db);
            Assert.Equal(keys.Count, await forget.ExecuteNonQueryAsync());
        }

        await test.RestartAsync();
        using (var anonymous = test.App.CreateClient())
        {
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(link.Path)).StatusCode);
        }
    }

    [Fact]
    public async Task WithACertificate_TheKeysAreStoredEncrypted_AndStillReadBack_AndABadFileStopsTheStart()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = DeliberationFlowApp.NewDataPath();
        var pfx = Path.Combine(folder, "keyring.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=DeliberationFlow key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pkcs12, "geheim"), ct);
        }

        var protectedRing = new Dictionary<string, string> { ["DataProtection:Certificate:Path"] = pfx, ["DataProtection:Certificate:Password"] = "geheim" };
        await using var test = await TestApp.StartAsync(DatabaseProvider.Sqlite, Berlin.Clock(2021, 4, 1, 9), settings: protectedRing);
        var link = (await test.ClientFor("ratsmitglied").GetFromJsonAsync<CalendarFeedLink>("/api/me/calendar", ct))!;

        var stored = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().DataProtectionKeys.AsNoTracking().ToListAsync(ct));
        Assert.All(stored, k => Assert.Contains("encryptedSecret", k.Xml!, StringComparison.Ordinal));
        Assert.All(stored, k => Assert.DoesNotContain("<masterKey", k.Xml!, StringComparison.Ordinal));

        await test.RestartAsync();
        using (var anonymous = test.App.CreateClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(link.Path, ct)).StatusCode);
        }

        // A wrong password is a setting to mend before the node serves anyone, and the error says which.
        await using var misconfigured = new DeliberationFlowApp(DatabaseProvider.Sqlite, test.ConnectionString, test.Clock, test.Smtp.Port, test.DataPath,
            settings: new Dictionary<string, string> { ["DataProtection:Certificate:Path"] = pfx, ["DataProtection:Certificate:Password"] = "falsch" });
        var refused = Assert.Throws<InvalidOperationException>(() => misconfigured.Server);
        Assert.Contains("DataProtection:Certificate:Password", refused.Message, StringComparison.Ordinal);
    }
}
