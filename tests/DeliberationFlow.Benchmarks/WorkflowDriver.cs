using System.Collections.Concurrent;
using System.Diagnostics;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Papers;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Benchmarks;

/// <summary>What one phase of concurrent requests did.</summary>
public sealed record PhaseResult(string Name, int Requests, int Succeeded, TimeSpan Elapsed, Latencies Latencies, IReadOnlyList<string> Errors)
{
    public double PerSecond => Succeeded / Elapsed.TotalSeconds;
}

/// <summary>
/// Drives papers of the Beschlussvorlage workflow through the service's use cases, one DI scope per request as
/// ASP.NET Core creates one per HTTP request, with the admin of the demo body as the signed-in caller.
/// </summary>
public sealed class WorkflowDriver(ServiceHost host, SettableClock clock, int clients)
{
    /// <summary>The consultations of the workflow, when their outcomes are recorded, and where the instance then stands.</summary>
    public static readonly IReadOnlyList<(string Committee, DateTimeOffset RecordedAt, string NextActivity)> Consultations =
    [
        ("FPA", SettableClock.BerlinTime(2021, 4, 29, 18), "va"),
        ("VA", SettableClock.BerlinTime(2021, 5, 4, 17), "rat"),
        ("Rat", SettableClock.BerlinTime(2021, 5, 18, 19), "end"),
    ];

    public static readonly DateTimeOffset RegistrationTime = SettableClock.BerlinTime(2021, 4, 1, 9);

    /// <summary>Registers papers concurrently; returns the phase and each paper's first (planned) consultation.</summary>
    public async Task<(PhaseResult Phase, Guid[] Consultations)> RegisterAsync(string prefix, int count)
    {
        clock.Set(RegistrationTime);
        var consultations = new Guid[count];
        var latencies = new double[count];
        var ok = new bool[count];
        var errors = new ConcurrentQueue<string>();
        var elapsed = await Clients.RunAsync(count, clients, async i =>
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                PaperDetails paper;
                await using (var scope = host.Services.CreateAsyncScope())
                {
                    var register = scope.ServiceProvider.GetRequiredService<RegisterPaper>();
                    paper = await register.HandleAsync(host.Admin, new RegisterPaperRequest(
                        $"{prefix}-{i:D7}", $"Benchmark-Vorlage {prefix} {i}", "Beschlussvorlage", "fb10", ["fb20"], true, null, null),
                        CancellationToken.None);
                }

                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                var first = paper.Consultations.SingleOrDefault(c => c.Status == nameof(ConsultationStatus.Planned));
                if (first?.MeetingId is null || paper.Workflow?.CurrentActivityId != "fpa")
                {
                    errors.Enqueue($"{paper.Reference}: not planned into an FPA meeting ({paper.Workflow?.CurrentActivityId}).");
                    return;
                }

                consultations[i] = first.Id;
                ok[i] = true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                errors.Enqueue($"{prefix}-{i}: {ex.GetType().Name}: {ex.Message}");
            }
        });
        return (new PhaseResult($"register {prefix}", count, ok.Count(x => x), elapsed, new Latencies(latencies), [.. errors.Take(5)]), consultations);
    }

    /// <summary>
    /// Records the outcome of consultation number <paramref name="position"/> (0 = FPA) of every paper, each with its
    /// own Idempotency-Key. A request counts as a step only when it advanced the workflow to the expected activity.
    /// Returns the next planned consultation of each paper (empty when the workflow finished).
    /// </summary>
    public async Task<(PhaseResult Phase, Guid[] Next)> RecordAsync(string label, int position, Guid[] consultations)
    {
        var (committee, recordedAt, nextActivity) = Consultations[position];
        clock.Set(recordedAt);
        var next = new Guid[consultations.Length];
        var latencies = new ConcurrentBag<double>();
        var steps = 0;
        var errors = new ConcurrentQueue<string>();
        var request = new RecordOutcomeRequest(nameof(Outcome.Adopted), "einstimmig beschlossen", null);
        var elapsed = await Clients.RunAsync(consultations.Length, clients, async i =>
        {
            if (consultations[i] == Guid.Empty)
            {
                return; // this paper failed earlier
            }

            var start = Stopwatch.GetTimestamp();
            try
            {
                IdempotentResult<RecordOutcomeResponse> result;
                await using (var scope = host.Services.CreateAsyncScope())
                {
                    var record = scope.ServiceProvider.GetRequiredService<RecordOutcome>();
                    result = await record.HandleAsync(host.Admin, consultations[i], request, Guid.NewGuid().ToString("N"), CancellationToken.None);
                }

                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                var paper = result.Value.Paper;
                var finished = nextActivity == "end";
                var advanced = !result.Replayed
                               && paper.Workflow?.CurrentActivityId == nextActivity
                               && (paper.Workflow.Status == "Finished") == finished;
                var planned = paper.Consultations.SingleOrDefault(c => c.Status == nameof(ConsultationStatus.Planned));
                if (!advanced || (!finished && planned?.MeetingId is null))
                {
                    errors.Enqueue($"{paper.Reference}: after the {committee} outcome the workflow stands at {paper.Workflow?.CurrentActivityId} ({paper.Workflow?.Status}).");
                    return;
                }

                next[i] = planned?.Id ?? Guid.Empty;
                Interlocked.Increment(ref steps);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                errors.Enqueue($"{consultations[i]}: {ex.GetType().Name}: {ex.Message}");
            }
        });
        var requests = consultations.Count(c => c != Guid.Empty);
        return (new PhaseResult($"{label} {committee}", requests, steps, elapsed, new Latencies(latencies), [.. errors.Take(5)]), next);
    }

    /// <summary>Registers papers and records all three outcomes; returns the three outcome phases.</summary>
    public async Task<(PhaseResult Registration, IReadOnlyList<PhaseResult> Steps)> RunWorkflowAsync(string prefix, int papers, Action<PhaseResult> report)
    {
        var (registration, current) = await RegisterAsync(prefix, papers);
        report(registration);
        var phases = new List<PhaseResult>();
        for (var position = 0; position < Consultations.Count; position++)
        {
            var (phase, next) = await RecordAsync(prefix, position, current);
            report(phase);
            phases.Add(phase);
            current = next;
        }

        return (registration, phases);
    }
}
