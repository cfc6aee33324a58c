using System.Diagnostics;
using DeliberationFlow.Council.Papers.Files;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Scheduling;

/// <summary>
/// The recurring job (and the one at start-up) that reads the text of documents stored before texts were read at upload,
/// batch after batch (<see cref="ExtractMissingPaperTexts"/>), so that the paper search finds them. A run stops after
/// <see cref="Budget"/> and the next goes on where it stopped: what is done is written batch by batch, so a restart loses
/// at most the batch being read. Once every document is read, a run is one query that finds none.
/// </summary>
public sealed class PaperTextJob(ExtractMissingPaperTexts extract, ILogger<PaperTextJob> logger)
{
    /// <summary>The recurring job's id in Hangfire.</summary>
    public const string JobId = "paper-text-extraction";

    /// <summary>Every ten minutes: documents stored before texts were read are a one-off, and no one waits for them.</summary>
    public const string Cron = "*/10 * * * *";

    /// <summary>
    /// A run takes batches for this long at most (and the batch under way up to its end), well within the ten minutes to
    /// the next run, so runs do not pile up; a worker is not held for long from timers and mail.
    /// </summary>
    public static readonly TimeSpan Budget = TimeSpan.FromMinutes(2);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var read = 0;
        int taken;
        do
        {
            taken = await extract.HandleAsync(cancellationToken);
            read += taken;
        }
        while (taken == ExtractMissingPaperTexts.BatchSize && Stopwatch.GetElapsedTime(started) < Budget);

        if (read > 0)
        {
            logger.LogInformation("Read the text of {Count} document(s) stored before texts were read at upload{More}.",
                read, taken == ExtractMissingPaperTexts.BatchSize ? "; more wait for the next run" : "");
        }
    }
}
