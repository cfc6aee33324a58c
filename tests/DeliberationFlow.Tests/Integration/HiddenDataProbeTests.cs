using System.Net;
using System.Net.Http.Json;
using System.Text;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// Real requests with ids the caller must not reach: a paper, its consultation and its meeting of another body, and a
/// non-public paper of the caller's own body that the caller may not see. Every endpoint and page that takes such an id
/// refuses (never with success), and no answer names what it refused: not the paper's reference or name, not the other
/// body's committees or councillors.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class HiddenDataProbeTests
{
    private sealed record Probe(HttpMethod Method, string Url, string? Json = null);

    [Fact]
    public async Task IdsOfAnotherBody_AndOfAPaperTheCallerMayNotSee_AreRefusedWithoutNamingWhatTheyHold()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 5, 10, 9));
        var ids = await test.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DeliberationDbContext>();
            var open = await db.Papers.SingleAsync(p => p.Reference == "21-15813");
            var hidden = await db.Papers.SingleAsync(p => p.Reference == "21-15490");
            var openSteps = await db.Consultations.Where(c => c.PaperId == open.Id).OrderBy(c => c.Position).ToListAsync();
            var hiddenStep = await db.Consultations.SingleAsync(c => c.PaperId == hidden.Id);
            return (Open: open.Id, OpenInstance: open.WorkflowInstanceId!.Value, OpenStep: openSteps[1].Id, PrivateMeeting: openSteps[1].MeetingId!.Value,
                Hidden: hidden.Id, HiddenStep: hiddenStep.Id, HiddenMeeting: hiddenStep.MeetingId!.Value);
        });

        // The Wolfenbüttel admin, with Braunschweig's ids.
        var foreign = await ProblemsAsync(test.ClientFor("admin-wf"), ["Smart City", "21-158", "21-154", "Grundstücksangelegenheit", "Finanz- und Personalausschuss", "Verwaltungsausschuss", "Jana Beispiel"],
            [.. PaperProbes(ids.Open, ids.OpenStep, "21-15813"), .. PaperProbes(ids.Hidden, ids.HiddenStep, "21-15490"),
             .. MeetingProbes(ids.PrivateMeeting, ids.OpenStep), .. MeetingProbes(ids.HiddenMeeting, ids.HiddenStep),
             new(HttpMethod.Get, $"/studio/instances/{ids.OpenInstance}"),
             new(HttpMethod.Post, $"/api/workflow-instances/{ids.OpenInstance}/incident", """{"action":"retry"}"""),
             new(HttpMethod.Put, "/api/committees/fpa/deadlines", """{"submissionDays":10}"""),
             new(HttpMethod.Put, "/api/committees/fpa/follow"),
             new(HttpMethod.Get, "/api/committees/fpa/notification-settings")],
            mayList: ["/api/papers?q=Smart", "/api/papers?q=21-15", "/api/meetings", "/api/committees", "/api/persons", "/api/users", "/api/organizations",
                "/api/workflow-instances", "/api/audit", "/workspace", "/api/me/followed-papers", "/api/me/followed-committees"]);

        // The PlUA's secretary, with the FPA's non-public paper of the same body (its meeting is public, its item is not).
        var hiddenFromSecretary = await ProblemsAsync(test.ClientFor("sekretariat-plua"), ["21-15490", "Grundstücksangelegenheit"],
            [.. PaperProbes(ids.Hidden, ids.HiddenStep, "21-15490"),
             new(HttpMethod.Get, $"/api/meetings/{ids.HiddenMeeting}/agenda/candidates")],
            mayList: ["/api/papers?q=Grundst", "/api/papers?q=21-15490", $"/api/meetings/{ids.HiddenMeeting}/agenda", $"/api/meetings/{ids.HiddenMeeting}/minutes",
                $"/meetings/{ids.HiddenMeeting}/minutes", "/workspace", "/api/me/followed-papers", "/papers?q=Grundst"]);

        Assert.True(foreign.Count == 0, string.Join("\n", foreign));
        Assert.True(hiddenFromSecretary.Count == 0, string.Join("\n", hiddenFromSecretary));

        // The reference is the body's one number space: the hidden paper's number is refused as taken (with or without
        // stray spaces), and the refusal says no more than that.
        foreach (var reference in new[] { "21-15490", " 21-15490 " })
        {
            var taken = await test.ClientFor("sekretariat-plua").PostAsJsonAsync("/api/papers",
                new RegisterPaperRequest(reference, "Neue Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
            var text = await taken.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
            Assert.Contains("A paper with reference '21-15490' is already registered.", text, StringComparison.Ordinal);
            Assert.DoesNotContain(ids.Hidden.ToString(), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Grundst", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Finanz", text, StringComparison.Ordinal);
        }
    }

    private static IEnumerable<Probe> PaperProbes(Guid paper, Guid step, string reference) =>
    [
        new(HttpMethod.Get, $"/api/papers/{paper}"),
        new(HttpMethod.Get, $"/api/papers/by-reference/{reference}"),
        new(HttpMethod.Get, $"/api/papers/{paper}/deliveries"),
        new(HttpMethod.Get, $"/api/papers/{paper}/projection"),
        new(HttpMethod.Put, $"/api/papers/{paper}", """{"name":"Umbenannt","leadOffice":"fb10","isPublic":true,"reason":"Probe"}"""),
        new(HttpMethod.Post, $"/api/papers/{paper}/hearing-skip", """{"reason":"Probe"}"""),
        new(HttpMethod.Post, $"/api/papers/{paper}/workflow", """{"workflow":"beschlussvorlage"}"""),
        new(HttpMethod.Put, $"/api/papers/{paper}/follow"),
        new(HttpMethod.Post, $"/api/consultations/{step}/outcome", """{"outcome":"Adopted","resultText":"beschlossen"}"""),
        new(HttpMethod.Post, $"/api/consultations/{step}/outcome/correction", """{"reason":"Probe","resultText":"einstimmig beschlossen"}"""),
        new(HttpMethod.Get, $"/papers/{paper}"),
        new(HttpMethod.Get, $"/papers/{reference}"),
    ];

    private static IEnumerable<Probe> MeetingProbes(Guid meeting, Guid step) =>
    [
        new(HttpMethod.Get, $"/api/meetings/{meeting}/agenda"),
        new(HttpMethod.Get, $"/api/meetings/{meeting}/minutes"),
        new(HttpMethod.Get, $"/api/meetings/{meeting}/attendance"),
        new(HttpMethod.Get, $"/api/meetings/{meeting}/agenda/candidates"),
        new(HttpMethod.Put, $"/api/meetings/{meeting}/attendance", """{"entries":[]}"""),
        new(HttpMethod.Put, $"/api/meetings/{meeting}/agenda/order", $$"""{"consultationIds":["{{step}}"]}"""),
        new(HttpMethod.Post, $"/api/meetings/{meeting}/agenda/items", $$"""{"consultationId":"{{step}}"}"""),
        new(HttpMethod.Post, $"/api/meetings/{meeting}/agenda/items/{step}/withdraw", """{"reason":"Probe"}"""),
        new(HttpMethod.Put, $"/api/meetings/{meeting}/agenda/lock"),
        new(HttpMethod.Delete, $"/api/meetings/{meeting}/agenda/lock"),
        new(HttpMethod.Post, $"/api/meetings/{meeting}/change", """{"action":"cancel","reason":"Probe"}"""),
        new(HttpMethod.Get, $"/meetings/{meeting}/minutes"),
        new(HttpMethod.Get, $"/workspace/meetings/{meeting}"),
        new(HttpMethod.Get, $"/workspace/meetings/{meeting}/outcomes"),
    ];

    /// <summary>
    /// What went wrong: a probe that succeeded (an API call; a page may answer 200 with its own "not found"), or any answer
    /// that names one of <paramref name="secrets"/>. <paramref name="mayList"/> are lists and pages the caller may open,
    /// which must simply not name them.
    /// </summary>
    private static async Task<List<string>> ProblemsAsync(HttpClient client, string[] secrets, IEnumerable<Probe> probes, string[] mayList)
    {
        var problems = new List<string>();
        foreach (var probe in probes.Concat(mayList.Select(url => new Probe(HttpMethod.Get, url))))
        {
            using var request = new HttpRequestMessage(probe.Method, probe.Url);
            if (probe.Json is not null)
            {
                request.Content = new StringContent(probe.Json, Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var isApi = probe.Url.StartsWith("/api/", StringComparison.Ordinal);
            var listed = mayList.Contains(probe.Url);
            if (isApi && !listed && response.IsSuccessStatusCode)
            {
                problems.Add($"{probe.Method} {probe.Url} answered {(int)response.StatusCode}: {Cut(text)}");
            }

            // What the caller sent may come back (a reference that is not found); nothing else may.
            foreach (var secret in secrets.Where(s => text.Contains(s, StringComparison.Ordinal)
                                                      && !probe.Url.Contains(s, StringComparison.Ordinal) && probe.Json?.Contains(s, StringComparison.Ordinal) != true))
            {
                problems.Add($"{probe.Method} {probe.Url} ({(int)response.StatusCode}) names '{secret}': {Cut(Around(text, secret))}");
            }
        }

        return problems;
    }

    private static string Around(string text, string secret)
    {
        var at = text.IndexOf(secret, StringComparison.Ordinal);
        return text[Math.Max(0, at - 150)..Math.Min(text.Length, at + 150)];
    }

    private static string Cut(string text) => text.Length > 300 ? text[..300] : text;
}
