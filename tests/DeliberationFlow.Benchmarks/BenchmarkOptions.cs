using System.Globalization;

namespace DeliberationFlow.Benchmarks;

/// <summary>The command line: <c>--connection</c>, <c>--papers</c>, <c>--clients</c>, <c>--scale-max</c> and the rest.</summary>
public sealed class BenchmarkOptions
{
    public const string ConnectionVariable = "DELIBERATIONFLOW_BENCH_POSTGRES";

    /// <summary>A PostgreSQL connection with the right to create databases; the benchmark makes its own database there.</summary>
    public string Connection { get; private set; } = Environment.GetEnvironmentVariable(ConnectionVariable) ?? "";

    /// <summary>Papers driven through FPA → VA → Rat in the main phase (three steps each).</summary>
    public int Papers { get; private set; } = 2000;

    /// <summary>Concurrent clients, each one request at a time (as 16 secretaries' browsers would).</summary>
    public int Clients { get; private set; } = 16;

    /// <summary>Papers driven through the whole workflow before the measured phase, so the JIT and the pools are warm.</summary>
    // Steady state, as a service that has run for a while: after 320 warm-up papers the hot methods were still in
    // .NET's instrumented tier (perf showed RecordOutcome at [InstrumentedTier]) and a request cost 7.5 ms CPU;
    // after 1500, 4.9 ms. Each warm-up paper runs all three steps.
    public int WarmupPapers { get; private set; } = 1500;

    /// <summary>
    /// At most this many warm-up rounds of <see cref="WarmupPapers"/> papers each; the warm-up ends earlier once a round
    /// finds the JIT (nearly) done, see <see cref="WarmupJitQuiet"/>.
    /// </summary>
    public int WarmupRounds { get; private set; } = 8;

    /// <summary>A warm-up round in which the JIT compiled fewer methods than this ends the warm-up.</summary>
    public const int WarmupJitQuiet = 1000;

    /// <summary>Steps measured at each stored-instance count of the scale phase.</summary>
    public int ScaleSteps { get; private set; } = 500;

    /// <summary>The smaller stored-instance count of the scale phase.</summary>
    public int ScaleMin { get; private set; } = 10_000;

    /// <summary>The larger stored-instance count of the scale phase; 0 skips the scale phase.</summary>
    public int ScaleMax { get; private set; } = 1_000_000;

    /// <summary>TPC-B scale of the baseline (branches; 100 000 accounts each). pgbench advises at least one branch per client.</summary>
    public int BaselineScale { get; private set; } = 16;

    /// <summary>Diagnostic: replace the creation of Hangfire jobs after commit by nothing, to see what they cost. Not the service's path.</summary>
    public bool WithoutJobs { get; private set; }

    /// <summary>Outbox messages sent through MailKit to a local SMTP server in the mail section; 0 skips it.</summary>
    public int MailMessages { get; private set; } = 500;

    /// <summary>
    /// The service's connection pool (Npgsql's Maximum Pool Size), as deploy/README.md advises sizing it: three connections
    /// per core of the database server, which here is this machine. The baseline keeps a connection per client, as pgbench.
    /// </summary>
    public int Pool { get; private set; } = 3 * Environment.ProcessorCount;

    /// <summary>Diagnostic: print the N types the process allocated most in each phase of the main run (sampled); 0 = off.</summary>
    public int AllocationTypes { get; private set; }

    /// <summary>Keep the benchmark database instead of dropping it (to look at it afterwards).</summary>
    public bool KeepDatabase { get; private set; }

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Number(int min)
            {
                var name = args[i];
                var value = int.Parse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture);
                return value >= min ? value : throw new ArgumentException($"{name} must be at least {min}.");
            }

            switch (args[i])
            {
                case "--connection": options.Connection = Value(); break;
                case "--papers": options.Papers = Number(1); break;
                case "--clients": options.Clients = Number(1); break;
                case "--warmup-papers": options.WarmupPapers = Number(0); break;
                case "--warmup-rounds": options.WarmupRounds = Number(1); break;
                case "--scale-steps": options.ScaleSteps = Number(1); break;
                case "--scale-min": options.ScaleMin = Number(1); break;
                case "--scale-max": options.ScaleMax = Number(0); break;
                case "--baseline-scale": options.BaselineScale = Number(1); break;
                case "--mail-messages": options.MailMessages = Number(0); break;
                case "--pool": options.Pool = Number(1); break;
                case "--keep-database": options.KeepDatabase = true; break;
                case "--allocation-types": options.AllocationTypes = Number(0); break;
                case "--without-jobs": options.WithoutJobs = true; break;
                case "--help" or "-h":
                    throw new ArgumentException(Usage);
                default: throw new ArgumentException($"Unknown option '{args[i]}'.{Environment.NewLine}{Usage}");
            }
        }

        if (string.IsNullOrWhiteSpace(options.Connection))
        {
            throw new ArgumentException($"No PostgreSQL given: pass --connection or set {ConnectionVariable}.{Environment.NewLine}{Usage}");
        }

        if (options.ScaleMax != 0 && options.ScaleMax < options.ScaleMin)
        {
            throw new ArgumentException("--scale-max must be 0 (no scale phase) or at least --scale-min.");
        }

        return options;
    }

    public const string Usage = """
        usage: DeliberationFlow.Benchmarks [--connection CS] [--papers 2000] [--clients 16] [--warmup-papers 1500] [--warmup-rounds 8]
                                           [--scale-steps 500] [--scale-min 10000] [--scale-max 1000000] [--baseline-scale 16] [--mail-messages 500] [--pool 3×cores] [--keep-database] [--without-jobs] [--allocation-types 0]
          CS: PostgreSQL connection allowed to create databases (default: environment variable DELIBERATIONFLOW_BENCH_POSTGRES)
          --warmup-papers per warm-up round; rounds repeat until one finds the JIT nearly done (fewer than 1000 methods compiled), at most --warmup-rounds.
          --scale-max 0 skips the scale phase; 100000 makes a quick run.
          --mail-messages 0 skips the mail section (outbox → MailKit → local SMTP server).
          --pool: the service's Maximum Pool Size (default three per core, see deploy/README.md); the baseline has one connection per client.
          --allocation-types N (diagnostic) prints the N types allocated most per phase of the main run, from the runtime's allocation sample.
          --without-jobs (diagnostic) skips creating Hangfire jobs after each commit; its figures are not the service's.
        """;
}
