using DeliberationFlow.Council.Model;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace DeliberationFlow.Tests.Persistence;

/// <summary>
/// A save the database refuses is answered by the code that made it (a lost race becomes a 409 or the first answer
/// again), so EF Core's own report of it is no error in the operator's log; it is there, with its SQL, for whoever
/// turns EF Core's logging up to Information.
/// </summary>
public sealed class FailureLoggingTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task A_refused_save_is_no_error_in_the_log_and_is_reported_at_information(DatabaseProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9),
            services => services.AddLogging(logging => logging.AddFakeLogging()),
            new Dictionary<string, string> { ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Information" });
        var log = test.App.Services.GetFakeLogCollector();

        await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var fpa = await db.Organizations.AsNoTracking().SingleAsync(o => o.Key == "fpa", ct);
            log.Clear();

            // A second committee under the same key, as two admins creating it at the same moment would try.
            db.Organizations.Add(new Organization { Id = Guid.CreateVersion7(), BodyId = fpa.BodyId, Key = "fpa", Name = "Finanzausschuss (doppelt)" });
            var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(ct));
            Assert.True(db.IsUniqueViolation(refused));
        });

        var efCore = log.GetSnapshot().Where(r => r.Category?.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) == true).ToList();
        Assert.DoesNotContain(efCore, r => r.Level >= LogLevel.Warning);
        Assert.Contains(efCore, r => r.Id.Id == CoreEventId.SaveChangesFailed.Id && r.Level == LogLevel.Information);
        Assert.Contains(efCore, r => r.Id.Id == RelationalEventId.CommandError.Id && r.Level == LogLevel.Information
                                     && r.Message.Contains("INSERT", StringComparison.OrdinalIgnoreCase));
    }
}
