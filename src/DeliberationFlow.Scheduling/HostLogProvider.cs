using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Scheduling;

/// <summary>
/// Hangfire's log provider, which Hangfire keeps in a static: one per process, the last configured host's. Hangfire's
/// own provider fails once that host's logger factory is disposed, and Hangfire asks for a logger in places where a
/// failure costs a job: Hangfire.PostgreSql builds a logger for every job a worker fetches, after the fetch has been
/// committed, so the exception left the job marked as fetched and invisible to every worker for the invisibility
/// timeout (30 minutes). With several hosts in one process (the integration tests, a host restarted in place) one
/// host stopping made the others' mail and timer jobs wait that long (issue HangfireIO/Hangfire#2147). This provider
/// hands out a silent logger instead once the host behind it is gone.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _host = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return _host.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return SilentLog.Instance;
        }
    }

    private sealed class SilentLog : ILog
    {
        public static readonly SilentLog Instance = new();

        // Hangfire calls Log without a message to ask whether a level is enabled: never, here.
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
