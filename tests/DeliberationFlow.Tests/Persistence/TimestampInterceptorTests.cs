using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Persistence;

/// <summary>
/// The timestamp interceptor finds a save's changes once and switches EF Core's second search off for that save. A
/// unit of work that saves several times, or saves again after a failed save, must still have every later change
/// found and stamped.
/// </summary>
public sealed class TimestampInterceptorTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Changes_after_a_save_and_after_a_failed_save_are_still_saved_and_stamped(DatabaseProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var stamps = new List<DateTimeOffset>();
        using (var scope = test.App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
            var committee = await db.Organizations.SingleAsync(o => o.Key == "fpa", ct);
            stamps.Add(committee.Modified);

            committee.Name = "Finanzausschuss";
            await db.SaveChangesAsync(ct);
            stamps.Add(committee.Modified);

            // Changed by assignment only: found because the save above handed the search back.
            committee.Email = "finanzen@braunschweig.example";
            await db.SaveChangesAsync(ct);
            stamps.Add(committee.Modified);

            // A save that fails (a second committee with the same key) must hand the search back as well.
            var duplicate = new Organization { Id = Guid.CreateVersion7(), BodyId = committee.BodyId, Key = "fpa", Name = "Doppelt" };
            db.Organizations.Add(duplicate);
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(ct));
            db.Entry(duplicate).State = EntityState.Detached;

            committee.Name = "Finanz- und Personalausschuss";
            await db.SaveChangesAsync(ct);
            stamps.Add(committee.Modified);
        }

        using (var scope = test.App.Services.CreateScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<DeliberationDbContext>().Organizations.AsNoTracking()
                .SingleAsync(o => o.Key == "fpa", ct);
            Assert.Equal("Finanz- und Personalausschuss", stored.Name);
            Assert.Equal("finanzen@braunschweig.example", stored.Email);
            Assert.Equal(stamps[^1], stored.Modified);
        }

        // Every save moved "modified" on (OParl clients synchronise on it), although the clock stood still.
        Assert.Equal(stamps.Order(), stamps);
        Assert.Equal(stamps.Count, stamps.Distinct().Count());
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Changes_after_a_save_that_lost_a_race_are_still_saved(DatabaseProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17101", "Im Wettlauf", "Beschlussvorlage", "fb10", null, true, null, null));
        var id = paper.Consultations[0].Id;
        using (var scope = test.App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
            var consultation = await db.Consultations.SingleAsync(c => c.Id == id, ct);

            // Someone else changes the consultation first: this save loses the race on its revision.
            await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Consultations
                .Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Revision, c => c.Revision + 1), ct));
            consultation.RoleText = "Vorberatung (erster Versuch)";
            consultation.Revision++;
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync(ct));

            // The use case takes the stored state and tries again: changed by assignment only, found all the same.
            await db.Entry(consultation).ReloadAsync(ct);
            consultation.RoleText = "Vorberatung (zweiter Versuch)";
            consultation.Revision++;
            Assert.Equal(1, await db.SaveChangesAsync(ct));
        }

        var stored = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().Consultations.AsNoTracking().SingleAsync(c => c.Id == id, ct));
        Assert.Equal("Vorberatung (zweiter Versuch)", stored.RoleText);
    }
}
