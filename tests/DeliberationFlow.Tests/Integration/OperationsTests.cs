using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DeliberationFlow.Council.Committees;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;

namespace DeliberationFlow.Tests.Integration;

/// <summary>What an operator and a first-time user see: health, the OpenAPI document, the demo case.</summary>
[Collection(HostCollection.Name)]
public sealed class OperationsTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Health_AnswersWithoutCredentials_AndReadyChecksTheSchema(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var client = test.App.CreateClient();

        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_TriesTheSmtpServer_AndIsDegradedButServingWhenItDoesNotAnswer()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var client = test.App.CreateClient();
        Assert.Equal("Healthy", await (await client.GetAsync("/health/ready")).Content.ReadAsStringAsync());

        // The mail server goes away. Within a minute the probe keeps its last answer (no SMTP session per probe); after
        // it the node reports Degraded with 200, so a load balancer keeps it while mail waits in the outbox.
        test.Smtp.Dispose();
        Assert.Equal("Healthy", await (await client.GetAsync("/health/ready")).Content.ReadAsStringAsync());
        test.Clock.Advance(TimeSpan.FromMinutes(2));
        var degraded = await client.GetAsync("/health/ready");
        Assert.Equal((HttpStatusCode.OK, "Degraded"), (degraded.StatusCode, await degraded.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Created, (await test.ClientFor("admin").PostAsJsonAsync("/api/papers",
            new RegisterPaperRequest("21-20301", "Während der Störung", "Beschlussvorlage", "fb10", null, true, null, null))).StatusCode);
    }

    [Fact]
    public async Task DemoData_HoldsTheBraunschweigCase()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Sqlite, Berlin.Clock(2021, 4, 1, 9));
        var client = test.ClientFor("ratsmitglied");

        var statement = (await client.GetFromJsonAsync<PaperDetails>("/api/papers/by-reference/21-15513-01"))!;
        Assert.Equal(("Sachstand zur Umsetzung der Smart City Strategie", "Stellungnahme", "Erledigt"), (statement.Name, statement.PaperType, statement.StatusLabel));
        Assert.Equal("10 Fachbereich Zentrale Dienste", statement.LeadOffice!.Name);
        Assert.Equal(["01 Fachbereich Zentrale Steuerung"], statement.ParticipatingOffices.Select(o => o.Name));
        var rat = Assert.Single(statement.Consultations);
        Assert.Equal(("Rat der Stadt Braunschweig", "23.03.2021", "Kenntnisnahme", "zur Kenntnis genommen", "Erledigt"),
            (rat.Committee.Name, rat.Date, rat.RoleText, rat.ResultText, rat.StatusLabel));

        var decision = (await client.GetFromJsonAsync<PaperDetails>("/api/papers/by-reference/21-15813"))!;
        Assert.Equal(
            [("fpa", "29.04.2021", "Erledigt"), ("va", "04.05.2021", "Erledigt"), ("rat", "18.05.2021", "Geplant")],
            decision.Consultations.Select(c => (c.Committee.Key, c.Date!, c.StatusLabel)));

        // Its Vorlage, a real PDF, so the paper's page lists a document (OParl: OParlInterfaceTests).
        var vorlage = Assert.Single((await client.GetFromJsonAsync<List<DeliberationFlow.Council.Papers.Files.PaperFileView>>($"/api/papers/{decision.Id}/files"))!);
        Assert.Equal(("Main", "Beschlussvorlage", "application/pdf", new DateOnly(2021, 4, 1)), (vorlage.Role, vorlage.Name, vorlage.MimeType, vorlage.Date));
        var pdf = await client.GetByteArrayAsync(vorlage.DownloadPath);
        Assert.Equal(vorlage.Size, pdf.LongLength);
        using (var document = UglyToad.PdfPig.PdfDocument.Open(pdf))
        {
            Assert.Contains("Smart City", Assert.Single(document.GetPages()).Text, StringComparison.Ordinal);
        }

        var committees = (await client.GetFromJsonAsync<List<CommitteeView>>("/api/committees"))!;
        Assert.Equal(["fpa", "plua", "rat", "sbr-112", "sbr-120", "va"], committees.Select(c => c.Key).Order(StringComparer.Ordinal));
        var fpaMeetings = (await client.GetFromJsonAsync<MeetingList>("/api/meetings?committee=fpa&until=2021-07-01T00:00:00Z"))!.Meetings;
        Assert.Equal(["2021-03-11", "2021-04-29", "2021-06-10"], fpaMeetings.Select(m => m.Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        var unknown = await client.GetAsync("/api/meetings?committee=xyz");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheApi()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Sqlite, Berlin.Clock(2021, 4, 1, 9));

        var document = await test.ClientFor("admin").GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/papers", paths);
        Assert.Contains("/api/papers/{id}", paths);
        Assert.Contains("/api/consultations/{id}/outcome", paths);
        Assert.Contains("/api/committees", paths);
        Assert.Contains("/api/meetings", paths);
    }
}
