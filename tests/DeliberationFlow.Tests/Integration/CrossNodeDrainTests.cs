using System.Net;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using MimeKit;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// An API-only node hands the mail and the already-due timers of its steps to drain jobs it makes, and another node's
/// server runs them. Only a node that runs its own job clears its mark, so for a few seconds after such a job ran the
/// API-only node still hands work to it. That work is drained seconds later by the drain the job asked for when it saw
/// it was not the running node's own, not at the next every-minute reconciliation (none runs in this test).
/// </summary>
[Collection(HostCollection.Name)]
public sealed class CrossNodeDrainTests
{
    [Fact]
    public async Task WorkHandedToAJobAnotherNodeHasRun_IsDrainedWithinSeconds_AndOnlyOnce()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            settings: TestApp.ApiOnly);

        // The worker node reconciles once at its start, then not before next New Year.
        await using var worker = new DeliberationFlowApp(DatabaseProvider.Postgres, test.ConnectionString, test.Clock, test.Smtp.Port, test.DataPath,
            settings: TestApp.ReconcileOnlyAtStart);
        _ = worker.Server;
        await test.WaitUntilHangfireIsIdleAsync();

        var first = await test.RegisterAsync("admin", new RegisterPaperRequest("21-5301", "Vorlage A", "Beschlussvorlage", "fb10", null, true, null, null));
        var second = await test.RegisterAsync("admin", new RegisterPaperRequest("21-5302", "Vorlage B", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));

        // The FPA decides the first paper: its outcome notice and the VA's invitation (Ladungsfrist passed) go to the
        // jobs the API-only node makes, which the worker runs.
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", first.Consultations[0].Id, new("Adopted", "einstimmig beschlossen", null)), HttpStatusCode.OK);
        Assert.Single(await test.Smtp.WaitForAsync(Notice("21-5301"), 1));
        Assert.Equal(5, (await test.Smtp.WaitForAsync(Invitation("21-5301"), 5)).Count);

        // The second paper right after: its work goes to the jobs that have already run.
        await Http.EnsureAsync(await test.RecordAsync("sekretariat-fpa", second.Consultations[0].Id, new("Adopted", "einstimmig beschlossen", null)), HttpStatusCode.OK);
        Assert.Single(await test.Smtp.WaitForAsync(Notice("21-5302"), 1, TimeSpan.FromSeconds(40)));
        Assert.Equal(5, (await test.Smtp.WaitForAsync(Invitation("21-5302"), 5, TimeSpan.FromSeconds(40))).Count);

        // Everything settles with each message sent once.
        await test.WaitUntilHangfireIsIdleAsync();
        Assert.Single(test.Smtp.Messages, m => Notice("21-5302")(m));
        Assert.Equal(5, test.Smtp.Messages.Where(Invitation("21-5302")).Select(m => m.To.Mailboxes.Single().Address).Distinct().Count());
        Assert.Equal(5, test.Smtp.Messages.Count(Invitation("21-5302")));
    }

    private static Func<MimeMessage, bool> Notice(string reference) =>
        m => (m.Subject ?? "").StartsWith($"Beratungsergebnis {reference}", StringComparison.Ordinal);

    // The invitation to the VA's meeting, or (for a paper planned after it went out) its supplement, that lists the paper.
    private static Func<MimeMessage, bool> Invitation(string reference) =>
        m => ((m.Subject ?? "").StartsWith("Einladung: Verwaltungsausschuss am 04.05.2021 – ", StringComparison.Ordinal)
              || (m.Subject ?? "").StartsWith("Nachtrag zur Einladung: Verwaltungsausschuss am 04.05.2021 – ", StringComparison.Ordinal))
             && m.Subject!.Split(" – ")[^1].Split(", ").Contains(reference, StringComparer.Ordinal);
}
