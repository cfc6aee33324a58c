using System.Globalization;

namespace DeliberationFlow.Benchmarks;

/// <summary>
/// CPU time the PostgreSQL backends of one database have used, read from /proc (the benchmark's cluster runs on this
/// machine). With two cores shared by the service and the database, a step's cost is both sides' CPU; the TPC-B
/// baseline is measured the same way, so the two are compared per transaction and not only by throughput.
/// Backends are found by their process title, which names the database ("postgres: user db 127.0.0.1(…) idle").
/// </summary>
public static class PostgresCpu
{
    // Linux reports utime and stime in clock ticks of USER_HZ, which is 100 on every Linux ABI .NET runs on.
    private const double TicksPerSecond = 100;

    public static TimeSpan Of(string databaseName)
    {
        if (!Directory.Exists("/proc"))
        {
            return TimeSpan.Zero;
        }

        double ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out _))
            {
                continue;
            }

            try
            {
                var title = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (!title.StartsWith("postgres:", StringComparison.Ordinal) || !title.Contains($" {databaseName} ", StringComparison.Ordinal))
                {
                    continue;
                }

                // Fields after the command in parentheses: state is field 3, utime 14 and stime 15 (proc(5)).
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The backend ended between listing and reading; its time is lost, as it would be for any short-lived backend.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read (the benchmark runs as root in the script; elsewhere the figure is a lower bound).
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
