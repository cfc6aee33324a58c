using System.Net;
using System.Net.Http.Json;
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
}
