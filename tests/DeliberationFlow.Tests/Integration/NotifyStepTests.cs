using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Definitions;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// A workflow's Benachrichtigung (Notify) step writes to the committees its designer names, through the outbox and
/// MailKit; a non-public paper reaches only the members of committees it is consulted in.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class NotifyStepTests
{
    [Fact]
    public async Task ANotifyStep_WritesToTheNamedCommittees_ButANonPublicPaperOnlyToThoseConsultingIt()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");

        // v2 of the Beschlussvorlage tells the FPA and the PlUA what the FPA recommended, before the paper goes on to the VA.
        var view = (await admin.GetFromJsonAsync<DefinitionDocumentView>("/api/workflow-definitions/beschlussvorlage/versions/1"))!;
        var document = JsonNode.Parse(view.Document)!.AsObject();
        document["activities"]!.AsArray().Add(new JsonObject
        {
            ["id"] = "info",
            ["type"] = "Notify",
            ["properties"] = new JsonObject
            {
                ["recipients"] = new JsonArray("committee:fpa", "committee:plua"),
                ["subject"] = "Empfehlung des FPA: {{ paper.reference }}",
                ["text"] = "Guten Tag {{ recipient.name }}, der Finanz- und Personalausschuss hat zu „{{ paper.name }}“ beraten.",
            },
        });
        foreach (var connection in document["connections"]!.AsArray().Where(c => (string)c!["source"]! == "fpa" && (string)c["target"]! == "va"))
        {
            connection!["target"] = "info";
        }

        document["connections"]!.AsArray().Add(new JsonObject { ["source"] = "info", ["outcome"] = "Done", ["target"] = "va" });
        await Http.EnsureAsync(await admin.PutAsJsonAsync("/api/workflow-definitions/beschlussvorlage/draft", document), HttpStatusCode.OK);
        await Http.EnsureAsync(await admin.PostAsync("/api/workflow-definitions/beschlussvorlage/versions/2/publish", null), HttpStatusCode.OK);

        var open = await test.RegisterAsync("admin", new RegisterPaperRequest("21-20101", "Neubau Grundschule Lehndorf", "Beschlussvorlage", "fb10", null, true, null, null));
        var secret = await test.RegisterAsync("admin", new RegisterPaperRequest("21-20102", "Personalangelegenheit Schulverwaltung", "Beschlussvorlage", "fb10", null, false, null, null));
        Assert.Equal((2, 2), (open.Workflow!.Version, secret.Workflow!.Version));
        await test.MoveClockToAsync(Berlin.At(2021, 4, 29, 18, 0));
        foreach (var paper in new[] { open, secret })
        {
            var recorded = await test.RecordAsync("admin", paper.Consultations[0].Id, new RecordOutcomeRequest("Adopted", "beschlossen", null));
            await Http.EnsureAsync(recorded, HttpStatusCode.OK);
            Assert.Equal("va", (await recorded.Content.ReadFromJsonAsync<RecordOutcomeResponse>())!.Paper.Consultations[1].Committee.Key);
        }

        await test.WaitForMailOutAsync();
        var fpaMembers = await MemberAddressesAsync(admin, "fpa");
        var pluaMembers = await MemberAddressesAsync(admin, "plua");
        Assert.NotEmpty(pluaMembers.Except(fpaMembers));
        HashSet<string> To(string reference) => test.Smtp.Messages.Where(m => m.Subject == $"Empfehlung des FPA: {reference}")
            .SelectMany(m => m.To.Mailboxes.Select(a => a.Address)).ToHashSet();

        // The public paper reaches both committees, each member once; the non-public one only the FPA, which consults it.
        Assert.True(To("21-20101").SetEquals(fpaMembers.Union(pluaMembers)));
        Assert.True(To("21-20102").SetEquals(fpaMembers));
        var journal = (await test.GetPaperAsync("admin", secret.Id)).Journal;
        Assert.Contains(journal, j => j.Kind == "NotificationQueued"
                                      && j.Message.Contains("Nicht an Planungs- und Umweltausschuss: die Vorlage ist nichtöffentlich", StringComparison.Ordinal));
    }

    /// <summary>The addresses of the committee's present members, as the admin's person directory lists them.</summary>
    private static async Task<HashSet<string>> MemberAddressesAsync(HttpClient admin, string committee) =>
        (await admin.GetFromJsonAsync<DeliberationFlow.Council.Persons.PersonDirectory>("/api/persons"))!.Persons
        .Where(p => p.Email is not null && p.Memberships.Any(m => m.CommitteeKey == committee && m.EndDate is null))
        .Select(p => p.Email!).ToHashSet();
}
