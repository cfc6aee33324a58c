using System.Security.Claims;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Scheduling;
using DeliberationFlow.Server.Security;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Persistence;

/// <summary>
/// A step finds its timers by key and by primary key, also with statistics that saw (almost) no pending timer, as after
/// a quiet spell or on a young database. Before, its look-ups also said "pending", and PostgreSQL, believing pending
/// timers rare, planned them as a scan of every pending timer: in the benchmark 0.4-1.1 ms per look-up instead of
/// 0.02 ms, a quarter of the database's work per step, and growing with the number of papers in deliberation.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class TimerLookupPlanTests
{
    [Fact]
    public async Task AStep_LooksUpItsTimersByKey_WhenTheStatisticsSawNoPendingTimer()
    {
        var ct = TestContext.Current.CancellationToken;
        // No Hangfire server on this node: nothing else fires the timers or opens connections the check cannot see into.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            settings: TestApp.ApiOnly);
        var papers = new List<PaperDetails>();
        for (var i = 0; i < 3; i++)
        {
            papers.Add(await test.RegisterAsync("admin", new RegisterPaperRequest($"21-5203{i}", $"Vorlage {i}", "Beschlussvorlage", "fb10", null, true, null, null)));
        }

        // Statistics from a quiet moment: 5000 timers, all called off. Then 5000 pending ones arrive, unseen by them.
        var instanceId = papers[0].Workflow!.InstanceId;
        await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            await db.Database.ExecuteSqlRawAsync(Timers("Cancelled"), [instanceId], ct);
            await db.Database.ExecuteSqlRawAsync("ANALYZE engine.timers", ct);
            return await db.Database.ExecuteSqlRawAsync(Timers("Pending"), [instanceId], ct);
        });
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0)); // the mail stays queued: this node sends none

        // One of the service's sessions: its connections run prepared statements with generic plans from the start.
        await using var scope = test.App.Services.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
        await session.Database.OpenConnectionAsync(ct);
        Assert.Equal("force_generic_plan", await session.Database.SqlQueryRaw<string>("SELECT current_setting('plan_cache_mode') AS \"Value\"").SingleAsync(ct));
        var admin = await session.Users.AsNoTracking().SingleAsync(u => u.UserName == "admin", ct);
        var caller = new ClaimsPrincipal(new ClaimsIdentity(CouncilClaims.For(admin), "Basic")).ToCaller();
        var drain = test.App.Services.GetRequiredService<TimerDrainCoordinator>();
        foreach (var paper in papers)
        {
            // The FPA's outcome: calls off the FPA's timers (by key, with the journal lines) and gives the VA's invitation, already due, its job (by id).
            // Each step comes after the drain job of the one before has started, so no job waits that the invitation could
            // be saved with: its job is recorded after the commit, by that statement.
            drain.DrainStarting();
            var result = await scope.ServiceProvider.GetRequiredService<RecordOutcome>().HandleAsync(
                caller, paper.Consultations[0].Id, new RecordOutcomeRequest("Adopted", "einstimmig beschlossen", null), Guid.NewGuid().ToString(), ct);
            Assert.Equal("va", result.Value.Paper.Workflow!.CurrentActivityId);
            session.ChangeTracker.Clear();
        }

        // The session's prepared statements on the timers, each with the plan it now runs with.
        var statements = await session.Database
            .SqlQueryRaw<PreparedStatement>("SELECT name AS \"Name\", statement AS \"Statement\", cardinality(parameter_types) AS \"Parameters\" FROM pg_prepared_statements")
            .ToListAsync(ct);
        var plans = new List<(string Statement, string Plan)>();
        // The call-off goes with the journal's statement (WITH … UPDATE "engine"."timers" …); the job's record is EF Core's.
        foreach (var statement in statements.Where(s => (s.Statement.Contains("engine.timers", StringComparison.Ordinal) || s.Statement.Contains("\"engine\".\"timers\"", StringComparison.Ordinal))
                                                        && !s.Statement.StartsWith("INSERT", StringComparison.Ordinal)))
        {
            var arguments = string.Join(", ", Enumerable.Repeat("NULL", statement.Parameters));
            await using var explain = session.Database.GetDbConnection().CreateCommand();
            explain.CommandText = $"EXPLAIN EXECUTE {statement.Name}({arguments})";
            var lines = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    lines.Add(reader.GetString(0));
                }
            }

            plans.Add((statement.Statement, string.Join('\n', lines)));
        }

        Assert.Contains(plans, p => p.Statement.Contains("WITH called_off AS", StringComparison.Ordinal) && p.Statement.Contains("t.\"key\" = ANY", StringComparison.Ordinal));
        Assert.Contains(plans, p => p.Statement.Contains("SET job_id", StringComparison.Ordinal));
        Assert.All(plans, p => Assert.True(
            p.Plan.Contains("using pk_timers", StringComparison.Ordinal) || p.Plan.Contains("using ix_timers_key", StringComparison.Ordinal)
            || p.Plan.Contains("on pk_timers", StringComparison.Ordinal) || p.Plan.Contains("on ix_timers_key", StringComparison.Ordinal),
            $"Planned without the key or the primary key:\n{p.Statement}\n{p.Plan}"));
        Assert.All(plans, p => Assert.DoesNotContain("Seq Scan", p.Plan, StringComparison.Ordinal));
    }

    private static string Timers(string status) =>
        $$"""
         INSERT INTO engine.timers (id, activity_id, created_at, due_at, instance_id, key, kind, status)
         SELECT gen_random_uuid(), 'fpa', now(), now() + interval '1 year', {0}, 'elsewhere-' || g, 'consultation.reminder', '{{status}}'
         FROM generate_series(1, 5000) g
         """;

    private sealed record PreparedStatement(string Name, string Statement, int Parameters);
}
