using System.Net;
using System.Net.Http.Json;
using System.Text;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// Requests the API cannot even read (a value of the wrong type, a body that is not JSON, a query value that does not
/// parse) are answered as every other bad request: a 400 naming the field and what to give, with nothing changed.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UnreadableRequestTests
{
    [Fact]
    public async Task AValueOfTheWrongType_IsNamedWithWhatToGive_AndChangesNothing()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17701", "Sanierung Stadtbad", "Beschlussvorlage", "fb10", null, true, null, null));
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        var fpaStep = paper.Consultations[0];

        var cases = new (string Method, string Url, string Body, string Field, string Says)[]
        {
            ("POST", "/api/papers", """{"reference":123,"name":"x","paperType":"Beschlussvorlage","leadOffice":"fb10"}""", "reference", "give text"),
            ("POST", "/api/papers", """{"reference":"21-17702","name":"x","paperType":"Beschlussvorlage","leadOffice":"fb10","date":"2021-02-30"}""", "date", "a date such as"),
            ("POST", "/api/papers", """{"reference":"21-17703","name":"x","paperType":"Beschlussvorlage","leadOffice":"fb10","isPublic":"yes"}""", "isPublic", "true or false"),
            ("POST", "/api/papers", """{"reference":"21-17704","name":"x",""", "body", "not valid JSON"),
            ("POST", $"/api/consultations/{fpaStep.Id}/outcome", """{"outcome":"Adopted","resultText":"beschlossen","votesFor":"abc"}""", "votesFor", "a whole number"),
            ("POST", $"/api/consultations/{fpaStep.Id}/outcome", """{"outcome":"Adopted","resultText":"beschlossen","votesFor":99999999999}""", "votesFor", "a whole number"),
            ("PUT", $"/api/meetings/{fpaStep.MeetingId}/attendance", """{"entries":[{"personId":"not-a-guid","status":"Present"}]}""", "entries[0].personId", "an id such as"),
        };
        foreach (var (method, url, body, field, says) in cases)
        {
            var response = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(body, Encoding.UTF8, "application/json") });

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {url} {body}: {(int)response.StatusCode}");
            var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
            Assert.True(problem.Errors.TryGetValue(field, out var messages), $"{body}: errors name {string.Join(", ", problem.Errors.Keys)}, not {field}");
            Assert.True(messages[0].Contains(says, StringComparison.Ordinal), $"{body}: {messages[0]}");
        }

        // Nothing was registered or recorded.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/papers/by-reference/21-17702")).StatusCode);
        Assert.Equal("Planned", (await test.GetPaperAsync("admin", paper.Id)).Consultations[0].Status);

        // A query value that does not parse is named as well.
        var page = await admin.GetAsync("/api/papers?page=abc");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("a whole number", (await page.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors["page"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMalformedRouteValue_IsNamedWithWhatToGive_AndAnUnknownPathIsAProblemToo()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17711", "Sanierung Freibad", "Beschlussvorlage", "fb10", null, true, null, null));
        var fpaStep = paper.Consultations[0];
        const string outcome = """{"outcome":"Adopted","resultText":"beschlossen"}""";

        var cases = new (string Method, string Url, string? Body, string Field, string Says)[]
        {
            ("GET", "/api/papers/not-a-guid", null, "id", "an id such as"),
            ("PUT", "/api/papers/12345", """{"name":"x"}""", "id", "an id such as"),
            ("POST", "/api/consultations/abc/outcome", outcome, "id", "an id such as"),
            ("POST", $"/api/meetings/{fpaStep.MeetingId}/agenda/items/abc/withdraw", null, "consultationId", "an id such as"),
            ("GET", "/api/meetings/x/agenda", null, "id", "an id such as"),
            ("POST", "/api/users/x/deactivate", null, "id", "an id such as"),
            ("GET", "/api/workflow-definitions/beschlussvorlage/versions/abc", null, "version", "a whole number"),
            ("GET", "/api/workflow-definitions/beschlussvorlage/versions/99999999999", null, "version", "a whole number"),
            ("POST", "/api/workflow-definitions/beschlussvorlage/versions/1.5/publish", null, "version", "a whole number"),
        };
        foreach (var (method, url, body, field, says) in cases)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            var response = await admin.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
            Assert.True(problem.Errors.TryGetValue(field, out var messages), $"{method} {url}: errors name {string.Join(", ", problem.Errors.Keys)}, not {field}");
            Assert.True(messages[0].Contains(says, StringComparison.Ordinal), $"{method} {url}: {messages[0]}");
        }

        // Nothing was recorded through the malformed ids.
        Assert.Equal("Planned", (await test.GetPaperAsync("admin", paper.Id)).Consultations[0].Status);

        // A well-formed id of nothing stays a 404, and so does a path with no endpoint at all: both as problem details.
        foreach (var url in new[] { $"/api/papers/{Guid.CreateVersion7()}", "/api/no-such-thing", "/api/papers/x/no-such-thing" })
        {
            var missing = await admin.GetAsync(url);
            Assert.True(missing.StatusCode == HttpStatusCode.NotFound, $"{url}: {(int)missing.StatusCode}");
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
            Assert.Equal(404, (await missing.Content.ReadFromJsonAsync<ProblemDetails>())!.Status);
        }
    }

    [Fact]
    public async Task ABodyNestedTooDeep_IsSaidToBe_NotCalledInvalidJson()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        // Well-formed JSON, 100 lists deep inside one field: deeper than System.Text.Json reads (64 by default).
        var body = $$"""{"reference":"21-17721","name":"x","paperType":"Beschlussvorlage","leadOffice":"fb10","links":{{new string('[', 100)}}{{new string(']', 100)}}}""";

        var response = await admin.PostAsync("/api/papers", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = Assert.Single((await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors["body"]);
        Assert.Contains("nests deeper than the 64 levels", message, StringComparison.Ordinal);
        Assert.DoesNotContain("not valid JSON", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/papers/by-reference/21-17721")).StatusCode);
    }

    [Fact]
    public async Task APageFarPastTheEnd_IsEmpty_NotTheFirstPage()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");

        var papers = (await admin.GetFromJsonAsync<PaperList>($"/api/papers?page={int.MaxValue}&pageSize=50"))!;

        Assert.Empty(papers.Papers);
        Assert.True(papers.Total > 0);
        Assert.NotEmpty((await admin.GetFromJsonAsync<PaperList>("/api/papers?page=1&pageSize=50"))!.Papers);
    }
}
