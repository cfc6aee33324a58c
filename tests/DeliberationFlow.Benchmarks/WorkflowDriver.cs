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

    /// <summary>Registers one paper per slot of <paramref name="consultations"/>, concurrently, and writes each paper's first (planned) consultation into it.</summary>
    public async Task<PhaseResult> RegisterAsync(string prefix, Guid[] consultations)
    {
        clock.Set(RegistrationTime);
        var count = consultations.Length;
        var latencies = new Latencies();
        var registered = 0;
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

                latencies.Record(Stopwatch.GetElapsedTime(start));
                var first = paper.Consultations.SingleOrDefault(c => c.Status == nameof(ConsultationStatus.Planned));
                if (first?.MeetingId is null || paper.Workflow?.CurrentActivityId != "fpa")
                {
                    errors.Enqueue($"{paper.Reference}: not planned into an FPA meeting ({paper.Workflow?.CurrentActivityId}).");
                    return;
                }

                consultations[i] = first.Id;
                Interlocked.Increment(ref registered);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                consultations[i] = Guid.Empty;
                latencies.Record(Stopwatch.GetElapsedTime(start));
                errors.Enqueue($"{prefix}-{i}: {ex.GetType().Name}: {ex.Message}");
            }
        });
        return new PhaseResult($"register {prefix}", count, registered, elapsed, latencies, [.. errors.Take(5)]);
    }

    /// <summary>
    /// Records the outcome of consultation number <paramref name="position"/> (0 = FPA) of every paper, each with its
    /// own Idempotency-Key. A request counts as a step only when it advanced the workflow to the expected activity.
    /// Writes the next planned consultation of each paper into <paramref name="next"/> (empty when the workflow finished).
    /// </summary>
    public async Task<PhaseResult> RecordAsync(string label, int position, Guid[] consultations, Guid[] next)
    {
        var (committee, recordedAt, nextActivity) = Consultations[position];
        clock.Set(recordedAt);
        var latencies = new Latencies();
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

                latencies.Record(Stopwatch.GetElapsedTime(start));
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
                next[i] = Guid.Empty;
                latencies.Record(Stopwatch.GetElapsedTime(start));
                errors.Enqueue($"{consultations[i]}: {ex.GetType().Name}: {ex.Message}");
            }
        });
        var requests = consultations.Count(c => c != Guid.Empty);
        return new PhaseResult($"{label} {committee}", requests, steps, elapsed, latencies, [.. errors.Take(5)]);
    }

    /// <summary>Registers one paper per slot and records all three outcomes; returns the three outcome phases.</summary>
    public async Task<(PhaseResult Registration, IReadOnlyList<PhaseResult> Steps)> RunWorkflowAsync(string prefix, PaperSlots slots, Action<PhaseResult> report)
    {
        var (current, next) = (slots.First, slots.Second);
        var registration = await RegisterAsync(prefix, current);
        report(registration);
        var phases = new List<PhaseResult>();
        for (var position = 0; position < Consultations.Count; position++)
        {
            var phase = await RecordAsync(prefix, position, current, next);
            report(phase);
            phases.Add(phase);
            (current, next) = (next, current);
        }

        return (registration, phases);
    }
}

/// <summary>
/// The per-paper state of a run (each paper's current consultation, twice, as the phases hand over), allocated and
/// written once before the memory baseline is taken, so a run of 333 334 papers (11 MB of ids) does not count its own
/// bookkeeping as the service's memory growth.
/// </summary>
public sealed class PaperSlots
{
    public PaperSlots(int papers)
    {
        First = new Guid[papers];
        Second = new Guid[papers];
        Array.Fill(First, Guid.Empty);
        Array.Fill(Second, Guid.Empty);
    }

    public Guid[] First { get; }

    public Guid[] Second { get; }
}
