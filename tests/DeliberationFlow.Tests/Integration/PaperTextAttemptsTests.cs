using System.Collections.Concurrent;
using System.Text;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Council.Papers.Files;
using DeliberationFlow.Persistence;
using DeliberationFlow.Scheduling;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static DeliberationFlow.Tests.Integration.PaperFilesTests;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// The background reading of documents stored before texts were read gives up on a document whose reading throws, hangs
/// or takes the process down, after a number of attempts counted in the database, instead of taking it again on every run
/// ahead of the others; the admins see the documents given up.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class PaperTextAttemptsTests
{
    [Fact]
    public async Task ADocumentWhoseReadingThrows_IsTriedThreeTimesAcrossARestart_ThenNoMore_WhileTheOthersAreRead()
    {
        var reader = new ScriptedReader();
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            services => services.AddSingleton<IPaperTextReader>(reader), TestApp.ApiOnly);
        var paper = await RegisterAsync(test, "21-70201");
        var admin = test.ClientFor("admin");
        var url = $"/api/papers/{paper.Id}/files";
        var poison = await UploadAsync(admin, url, Encoding.UTF8.GetBytes("Der Lageplan liegt bei."), "gift.txt");
        var others = new List<PaperFileView>();
        for (var i = 0; i < 3; i++)
        {
            others.Add(await UploadAsync(admin, url, Encoding.UTF8.GetBytes($"Anlage {i}: Wasserrutsche"), $"anlage{i}.txt"));
        }

        await ForgetTextsAsync(test);

        // First run: the poisoned document fails, the others of the batch are read all the same.
        await ExtractAsync(test);
        Assert.Equal(1, reader.Calls(poison.FileName));
        var rows = await ContentsAsync(test);
        Assert.All(others, o => Assert.StartsWith("Anlage", rows[o.Id].Text, StringComparison.Ordinal));
        Assert.Equal((1, null, null), (rows[poison.Id].TextExtractionAttempts, rows[poison.Id].TextExtractedAt, rows[poison.Id].TextGivenUpAt));
        Assert.Contains("InsufficientMemoryException", rows[poison.Id].TextExtractionError, StringComparison.Ordinal);
        Assert.Empty(await UnreadableAsync(test, "admin"));

        // Second run, then the service restarts: the count is the database's, so the third run is the last.
        await ExtractAsync(test);
        await test.RestartAsync();
        await test.App.WithScopeAsync(sp => sp.GetRequiredService<PaperTextJob>().RunAsync(CancellationToken.None));
        Assert.Equal(3, reader.Calls(poison.FileName));
        rows = await ContentsAsync(test);
        Assert.Equal((3, null, test.Clock.GetUtcNow()), (rows[poison.Id].TextExtractionAttempts, rows[poison.Id].TextExtractedAt, rows[poison.Id].TextGivenUpAt));

        // Given up: no run takes it again, and nothing else waits.
        Assert.Equal(0, await ExtractAsync(test));
        await test.App.WithScopeAsync(sp => sp.GetRequiredService<PaperTextJob>().RunAsync(CancellationToken.None));
        Assert.Equal(3, reader.Calls(poison.FileName));
        Assert.All(others, o => Assert.Equal(1, reader.Calls(o.FileName)));

        // The admins see it, with its paper, the attempts and why; nobody else may ask.
        var unreadable = Assert.Single(await UnreadableAsync(test, "admin"));
        Assert.Equal(("21-70201", poison.Id, "gift.txt", 3), (unreadable.PaperReference, unreadable.FileId, unreadable.FileName, unreadable.Attempts));
        Assert.Contains("InsufficientMemoryException", unreadable.Reason, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ForbiddenException>(() => UnreadableAsync(test, "sekretariat-plua"));

        // A document deleted since is not listed.
        var alsoGivenUp = await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().PaperFileContents
            .Where(c => c.FileId == others[0].Id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.TextExtractedAt, (DateTimeOffset?)null).SetProperty(c => c.TextGivenUpAt, test.Clock.GetUtcNow())));
        Assert.Equal(1, alsoGivenUp);
        Assert.Equal(2, (await UnreadableAsync(test, "admin")).Count);
        await Http.EnsureAsync(await test.ClientFor("admin").DeleteAsync($"{url}/{others[0].Id}"), System.Net.HttpStatusCode.NoContent);
        Assert.Equal([poison.Id], (await UnreadableAsync(test, "admin")).Select(u => u.FileId));
    }

    [Fact]
    public async Task AReadingThatDoesNotEnd_IsAbandonedAfterTheTimeout_AndGivenUpAtOnce_WhileTheOthersAreRead()
    {
        var reader = new ScriptedReader();
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            services => services.AddSingleton<IPaperTextReader>(reader),
            new Dictionary<string, string> { ["Scheduling:RunServer"] = "false", ["PaperTexts:Timeout"] = "00:00:30" });
        var paper = await RegisterAsync(test, "21-70202");
        var admin = test.ClientFor("admin");
        var url = $"/api/papers/{paper.Id}/files";
        var endless = await UploadAsync(admin, url, Encoding.UTF8.GetBytes("Der Lageplan liegt bei."), "endlos.txt");
        var other = await UploadAsync(admin, url, Encoding.UTF8.GetBytes("Anlage: Wasserrutsche"), "anlage.txt");
        await ForgetTextsAsync(test);

        try
        {
            var run = ExtractAsync(test);
            Assert.True(reader.Hanging.Wait(TimeSpan.FromSeconds(30)), "The hanging document was not read.");

            // The job waits on the service's clock: thirty seconds pass, and the run goes on without the reading.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!run.IsCompleted)
            {
                Assert.True(DateTime.UtcNow < deadline, "The run did not go on after the reading's time limit.");
                test.Clock.Advance(TimeSpan.FromSeconds(10));
                await Task.Delay(50);
            }

            await run;
            var rows = await ContentsAsync(test);
            Assert.Equal("Anlage: Wasserrutsche", rows[other.Id].Text);
            Assert.Equal((1, null), (rows[endless.Id].TextExtractionAttempts, rows[endless.Id].TextExtractedAt));
            Assert.NotNull(rows[endless.Id].TextGivenUpAt);
            var unreadable = Assert.Single(await UnreadableAsync(test, "admin"));
            Assert.Equal((endless.Id, 1), (unreadable.FileId, unreadable.Attempts));
            Assert.Contains("took longer than 00:00:30", unreadable.Reason, StringComparison.Ordinal);

            // Not read again: another reading would only run beside the one still running.
            Assert.Equal(0, await ExtractAsync(test));
            Assert.Equal(1, reader.Calls(endless.FileName));
        }
        finally
        {
            reader.Release.Set();
        }
    }

    [Fact]
    public async Task EachAttemptIsCountedBeforeTheReading_SoReadingsThatTakeTheProcessDown_AreGivenUpToo()
    {
        var reader = new ScriptedReader();
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9), services =>
        {
            services.AddSingleton<IPaperTextReader>(sp => reader.WithDatabase(sp.GetRequiredService<IServiceScopeFactory>()));
        }, TestApp.ApiOnly);
        var paper = await RegisterAsync(test, "21-70203");
        var crash = await UploadAsync(test.ClientFor("admin"), $"/api/papers/{paper.Id}/files", Encoding.UTF8.GetBytes("Der Lageplan liegt bei."), "absturz.txt");
        await ForgetTextsAsync(test);

        // While it is read, another connection already sees the attempt: had the process died now, it would count.
        await ExtractAsync(test);
        Assert.Equal([1], reader.AttemptsSeenWhileReading);

        // Two more readings took the process down (what they leave: the attempts counted, nothing read, nothing given up).
        await test.App.WithScopeAsync(sp => sp.GetRequiredService<DeliberationDbContext>().PaperFileContents
            .Where(c => c.FileId == crash.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.TextExtractionAttempts, 3)));
        await test.RestartAsync();

        // The next run gives up on it without a fourth reading.
        Assert.Equal(1, await ExtractAsync(test));
        Assert.Equal(1, reader.Calls(crash.FileName));
        var unreadable = Assert.Single(await UnreadableAsync(test, "admin"));
        Assert.Equal((crash.Id, 3), (unreadable.FileId, unreadable.Attempts));
        Assert.Contains("stopped while reading it", unreadable.Reason, StringComparison.Ordinal);
        Assert.Equal(0, await ExtractAsync(test));
    }

    [Fact]
    public void BadTextSettings_StopStartUp_NamingTheKey()
    {
        var dataPath = DeliberationFlowApp.NewDataPath();
        using var app = new DeliberationFlowApp(DatabaseProvider.Sqlite, DeliberationFlowApp.SqliteConnectionString(dataPath), Berlin.Clock(2021, 4, 1, 9), 25, dataPath)
            .WithWebHostBuilder(b => b.UseSetting("PaperTexts:MaxAttempts", "0").UseSetting("PaperTexts:Timeout", "00:00:00"));

        var failure = Assert.ThrowsAny<Exception>(() => app.Server);
        var message = failure is Microsoft.Extensions.Options.OptionsValidationException ? failure.Message : failure.ToString();
        Assert.Contains("PaperTexts:MaxAttempts is how often", message, StringComparison.Ordinal);
        Assert.Contains("PaperTexts:Timeout is the longest", message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The real reading, but <c>gift…</c> throws as a reading that runs out of memory does (the one error the reading does not
    /// swallow), <c>endlos…</c> does not end until released, and <c>absturz…</c> notes the attempts the database holds meanwhile.
    /// </summary>
    private sealed class ScriptedReader : IPaperTextReader
    {
        private readonly ConcurrentDictionary<string, int> _calls = new();
        private IServiceScopeFactory? _scopes;

        public ManualResetEventSlim Hanging { get; } = new();
        public ManualResetEventSlim Release { get; } = new();
        public ConcurrentQueue<int> AttemptsSeenWhileReading { get; } = new();

        public int Calls(string fileName) => _calls.GetValueOrDefault(fileName);

        public ScriptedReader WithDatabase(IServiceScopeFactory scopes)
        {
            _scopes = scopes;
            return this;
        }

        public string Read(byte[] content, string mimeType, string fileName)
        {
            _calls.AddOrUpdate(fileName, 1, (_, n) => n + 1);
            if (fileName.StartsWith("gift", StringComparison.Ordinal))
            {
                throw new InsufficientMemoryException("The PDF's object streams refer to each other without end.");
            }

            if (fileName.StartsWith("endlos", StringComparison.Ordinal))
            {
                Hanging.Set();
                Release.Wait();
            }

            if (fileName.StartsWith("absturz", StringComparison.Ordinal) && _scopes is not null)
            {
                using var scope = _scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
                AttemptsSeenWhileReading.Enqueue((from c in db.PaperFileContents
                                                  join f in db.PaperFiles on c.FileId equals f.Id
                                                  where f.FileName == fileName
                                                  select c.TextExtractionAttempts).Single());
                throw new IOException("The process would have stopped here.");
            }

            return PaperFileText.Extract(content, mimeType, fileName, NullLogger.Instance);
        }
    }

    private static Task<int> ExtractAsync(TestApp test) =>
        test.App.WithScopeAsync(sp => sp.GetRequiredService<ExtractMissingPaperTexts>().HandleAsync(CancellationToken.None));

    private static Task<Dictionary<Guid, DeliberationFlow.Council.Model.PaperFileContent>> ContentsAsync(TestApp test) => test.App.WithScopeAsync(sp =>
        sp.GetRequiredService<DeliberationDbContext>().PaperFileContents.AsNoTracking().ToDictionaryAsync(c => c.FileId));

    private static Task<IReadOnlyList<UnreadablePaperTextView>> UnreadableAsync(TestApp test, string userName) => test.App.WithScopeAsync(async sp =>
    {
        var user = await sp.GetRequiredService<ICouncilDb>().Users.AsNoTracking().SingleAsync(u => u.UserName == userName);
        var caller = new Caller(user.Id, user.UserName, user.BodyId, user.Role, user.CommitteeIds.ToHashSet(), user.PersonId);
        return await sp.GetRequiredService<ListUnreadablePaperTexts>().HandleAsync(caller, CancellationToken.None);
    });

    /// <summary>Every document as if stored before texts were read at upload: no text, not read, not tried.</summary>
    private static async Task ForgetTextsAsync(TestApp test) => await test.App.WithScopeAsync(sp =>
        sp.GetRequiredService<DeliberationDbContext>().PaperFileContents
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Text, "").SetProperty(c => c.TextExtractedAt, (DateTimeOffset?)null)
                .SetProperty(c => c.TextExtractionAttempts, 0).SetProperty(c => c.TextGivenUpAt, (DateTimeOffset?)null)));

    private static Task<PaperDetails> RegisterAsync(TestApp test, string reference) =>
        test.RegisterAsync("admin", new RegisterPaperRequest(reference, "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
}
