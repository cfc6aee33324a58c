using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// Many secretaries at once on PostgreSQL: 200 papers, eight threads recording the first consultation of each,
/// with retried requests (same Idempotency-Key, same body) and clashing ones (another outcome, another key).
/// No step may be lost or taken twice, a clash is a 409, and a retry gets the very first answer.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class ConcurrentOutcomeTests
{
    private const int Papers = 200;
    private const int Threads = 8;

    private enum Kind
    {
        Single,
        Duplicated,
        Conflicting,
    }

    private sealed record Attempt(int Paper, Kind Kind, string User, RecordOutcomeRequest Request, string Key);

    private sealed record Answer(Attempt Attempt, HttpStatusCode Status, string Body, bool Replayed, string? ContentType);

    [Fact]
    public async Task EightThreadsRecordingWithRetriesAndClashes_AdvanceEveryPaperExactlyOneStep()
    {
        // Every request checks a Basic password; at Identity's default work factor the hashing, not the database,
        // would be what 550 requests on two cores measure. A cheap hash keeps the requests close together.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1));
        var papers = new PaperDetails[Papers];
        await Parallel.ForAsync(0, Papers, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            papers[i] = await test.RegisterAsync("admin", new RegisterPaperRequest(
                $"21-3{i:D4}", $"Vorlage {i}", "Beschlussvorlage", "fb10", null, true, null, null)));
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 29, 18, 0));

        var adopted = new RecordOutcomeRequest("Adopted", "einstimmig beschlossen", null);
        var rejected = new RecordOutcomeRequest("Rejected", "mehrheitlich abgelehnt", null);
        var attempts = new List<Attempt>();
        for (var i = 0; i < Papers; i++)
        {
            switch (i % 4)
            {
                case 0:
                    attempts.Add(new(i, Kind.Single, "sekretariat-fpa", adopted, $"single-{i}"));
                    break;
                case 1 or 2: // a retry, or two, of the same request
                    for (var copy = 0; copy < i % 4 + 1; copy++)
                    {
                        attempts.Add(new(i, Kind.Duplicated, "sekretariat-fpa", i % 8 < 4 ? adopted : rejected, $"retry-{i}"));
                    }

                    break;
                default: // two people record different outcomes at the same moment
                    attempts.Add(new(i, Kind.Conflicting, "sekretariat-fpa", adopted, $"adopt-{i}"));
                    attempts.Add(new(i, Kind.Conflicting, "admin", rejected, $"reject-{i}"));
                    break;
            }
        }

        // Attempts of one paper are next to each other in the queue, so the eight threads send them together.
        var queue = new ConcurrentQueue<Attempt>(attempts);
        var answers = new ConcurrentBag<Answer>();
        using var start = new ManualResetEventSlim();
        var workers = Enumerable.Range(0, Threads).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            while (queue.TryDequeue(out var attempt))
            {
                var response = await test.RecordAsync(attempt.User, papers[attempt.Paper].Consultations[0].Id, attempt.Request, attempt.Key);
                answers.Add(new(attempt, response.StatusCode, await response.Content.ReadAsStringAsync(),
                    response.Headers.Contains("Idempotent-Replayed"), response.Content.Headers.ContentType?.MediaType));
            }
        })).ToArray();
        start.Set();
        await Task.WhenAll(workers);

        Assert.Equal(attempts.Count, answers.Count);
        var recorded = new Dictionary<int, string>();
        foreach (var group in answers.GroupBy(a => a.Attempt.Paper))
        {
            var reference = papers[group.Key].Reference;
            var all = group.ToList();
            switch (all[0].Attempt.Kind)
            {
                case Kind.Single:
                    Assert.True(all[0].Status == HttpStatusCode.OK, $"{reference}: {all[0].Status} {all[0].Body}");
                    break;
                case Kind.Duplicated:
                    Assert.All(all, a => Assert.True(a.Status == HttpStatusCode.OK, $"{reference}, a retry of the same request: {a.Status} {a.Body}"));
                    Assert.Single(all.Select(a => a.Body).Distinct());
                    Assert.Single(all, a => !a.Replayed);
                    break;
                case Kind.Conflicting:
                    Assert.True(all.Select(a => a.Status).Order().SequenceEqual([HttpStatusCode.OK, HttpStatusCode.Conflict]),
                        $"{reference}, two different outcomes: {string.Join(", ", all.Select(a => $"{a.Status} {a.Body}"))}");
                    Assert.All(all.Where(a => a.Status == HttpStatusCode.Conflict), a => Assert.Equal("application/problem+json", a.ContentType));
                    break;
            }

            var winner = all.Single(a => a.Status == HttpStatusCode.OK && !a.Replayed);
            recorded[group.Key] = winner.Attempt.Request.Outcome!;
            var response = System.Text.Json.JsonSerializer.Deserialize<RecordOutcomeResponse>(winner.Body, System.Text.Json.JsonSerializerOptions.Web)!;
            Assert.Equal(winner.Attempt.Request.Outcome, response.Consultation.Outcome);
        }

        // The database agrees: each paper advanced exactly one step, with the outcome its winner recorded.
        var state = await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var paperIds = papers.Select(p => p.Id).ToList();
            var instanceIds = papers.Select(p => p.Workflow!.InstanceId).ToList();
            return new
            {
                Consultations = await db.Consultations.AsNoTracking().Where(c => paperIds.Contains(c.PaperId)).ToListAsync(),
                Resumed = await db.Journal.AsNoTracking().Where(j => instanceIds.Contains(j.InstanceId) && j.Kind == JournalEventKind.BookmarkResumed)
                    .GroupBy(j => j.InstanceId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count),
                Notices = await db.OutboxMessages.AsNoTracking().Where(m => m.Kind == "outcome-notice" && paperIds.Contains(m.PaperId!.Value))
                    .GroupBy(m => m.PaperId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count),
                Waiting = await db.Bookmarks.AsNoTracking().Where(b => instanceIds.Contains(b.InstanceId))
                    .GroupBy(b => b.InstanceId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count),
            };
        });
        for (var i = 0; i < Papers; i++)
        {
            var paper = papers[i];
            var consultations = state.Consultations.Where(c => c.PaperId == paper.Id).OrderBy(c => c.Position).ToList();
            Assert.True(consultations.Count == 2, $"{paper.Reference} has {consultations.Count} consultations");
            Assert.Equal((ConsultationStatus.Done, recorded[i]), (consultations[0].Status, consultations[0].Outcome.ToString()));
            Assert.Equal(ConsultationStatus.Planned, consultations[1].Status);
            Assert.Equal(1, state.Resumed.GetValueOrDefault(paper.Workflow!.InstanceId));
            Assert.Equal(1, state.Notices.GetValueOrDefault(paper.Id));
            Assert.Equal(1, state.Waiting.GetValueOrDefault(paper.Workflow!.InstanceId));
        }
    }
}
