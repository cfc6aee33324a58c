using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;

namespace DeliberationFlow.Tests.Integration;

/// <summary>What the registration form offers: the body's offices, the paper types its published workflows serve, the workflows.</summary>
[Collection(HostCollection.Name)]
public sealed class RegistrationChoicesTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Registrars_GetTheChoicesRegisterPaperAccepts_OthersAreRefused(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));

        var choices = (await test.ClientFor("sekretariat-fpa").GetFromJsonAsync<RegistrationChoices>("/api/papers/registration-choices"))!;

        Assert.Contains(new OfficeChoice("fb10", "10 Fachbereich Zentrale Dienste"), choices.Offices);
        Assert.DoesNotContain(choices.Offices, o => o.Key is "fpa" or "rat"); // committees lead no paper
        Assert.Equal(choices.PaperTypes.Order(StringComparer.Ordinal), choices.PaperTypes);
        Assert.Contains("Beschlussvorlage", choices.PaperTypes);
        Assert.Contains("Bebauungsplan", choices.PaperTypes);
        Assert.Equal(["Beschlussvorlage"], choices.Workflows.Single(w => w.DefinitionId == "beschlussvorlage").PaperTypes);
        Assert.Empty(choices.Workflows.Single(w => w.DefinitionId == "beschlussvorlage-fachausschuss").PaperTypes);

        // Every offered combination is one RegisterPaper takes: a type with the office offered first.
        var registered = await test.RegisterAsync("sekretariat-fpa", new RegisterPaperRequest("21-17211", "Testvorlage", choices.PaperTypes[0], choices.Offices[0].Key, null, true, null, null));
        Assert.Equal(choices.PaperTypes[0], registered.PaperType);

        Assert.Equal(HttpStatusCode.Forbidden, (await test.ClientFor("ratsmitglied").GetAsync("/api/papers/registration-choices")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await test.App.CreateClient().GetAsync("/api/papers/registration-choices")).StatusCode);
    }

    [Fact]
    public async Task APaperTypeNoWorkflowServes_IsRefusedWithTheWorkflowsAndHowToChooseOneByName()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");

        var refused = await admin.PostAsJsonAsync("/api/papers", new RegisterPaperRequest("21-17212", "Testvorlage", "Resolution", "fb10", null, true, null, null));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var message = (await refused.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>())!.Errors["paperType"][0];
        Assert.Contains("beschlussvorlage (Beschlussvorlage)", message, StringComparison.Ordinal);
        Assert.Contains("beschlussvorlage-fachausschuss (only by name: \"workflow\": \"beschlussvorlage-fachausschuss\")", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/papers/by-reference/21-17212")).StatusCode);

        // Named as the message says, the same paper type is taken.
        var named = await test.RegisterAsync("admin", new RegisterPaperRequest("21-17212", "Testvorlage", "Resolution", "fb10", null, true, null, "beschlussvorlage-fachausschuss"));
        Assert.Equal("beschlussvorlage-fachausschuss", named.Workflow!.DefinitionId);
    }
}
