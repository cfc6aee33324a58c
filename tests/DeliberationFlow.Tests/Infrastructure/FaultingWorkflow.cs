using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Papers;

namespace DeliberationFlow.Tests.Infrastructure;

/// <summary>
/// A workflow of Wolfenbüttel's that its admin published with a mistake the validator cannot see: its condition reads
/// an attribute papers do not have (<c>paper.budget</c>), so the step faults at run time. The way to an incident that a
/// body meets in practice; the shipped templates no longer serve for it, as a body without their committees gets them
/// as drafts (<see cref="DeliberationFlow.Council.Definitions.DefinitionTemplates"/>).
/// </summary>
internal static class FaultingWorkflow
{
    public const string DefinitionId = "haushalt";
    public const string PaperType = "Haushaltsvorlage";
    public const string ConditionId = "volumen";
    public const int Connections = 5;

    private const string Document = """
        {
          "definitionId": "haushalt", "version": 1, "name": "Haushaltsvorlage: großes Volumen zuerst in den Rat",
          "properties": { "paperTypes": ["Haushaltsvorlage"] },
          "activities": [
            { "id": "start", "type": "Start", "designer": { "x": 40, "y": 160 } },
            { "id": "volumen", "type": "Condition", "displayName": "Großes Volumen?", "properties": { "expression": "paper.budget.total > 1000000" }, "designer": { "x": 200, "y": 150 } },
            { "id": "rat", "type": "Consultation", "displayName": "Rat", "properties": { "committee": "rat", "role": "Kenntnisnahme" }, "designer": { "x": 420, "y": 150, "width": 220, "height": 70 } },
            { "id": "end", "type": "End", "designer": { "x": 700, "y": 170 } }
          ],
          "connections": [
            { "source": "start", "outcome": "Done", "target": "volumen" },
            { "source": "volumen", "outcome": "True", "target": "rat" },
            { "source": "volumen", "outcome": "False", "target": "end" },
            { "source": "rat", "outcome": "Noted", "target": "end" },
            { "source": "rat", "outcome": "Withdrawn", "target": "end" }
          ]
        }
        """;

    /// <summary>Saves and publishes the workflow as Wolfenbüttel's admin, and registers a paper on it, which faults.</summary>
    public static async Task<PaperDetails> RegisterFaultingPaperAsync(TestApp test, string reference)
    {
        var admin = test.ClientFor("admin-wf");
        await Http.EnsureAsync(await admin.PutAsync($"/api/workflow-definitions/{DefinitionId}/draft",
            new StringContent(Document, System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.OK);
        await Http.EnsureAsync(await admin.PostAsync($"/api/workflow-definitions/{DefinitionId}/versions/1/publish", null), HttpStatusCode.OK);
        return await test.RegisterAsync("admin-wf", new RegisterPaperRequest(reference, "Haushaltssatzung", PaperType, "fb1", null, true, null, null));
    }
}
