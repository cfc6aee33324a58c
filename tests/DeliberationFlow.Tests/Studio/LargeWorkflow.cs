using System.Diagnostics;
using System.Text.Json;
using DeliberationFlow.Council.Definitions;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Server.Components.Studio.Designer;

namespace DeliberationFlow.Tests.Studio;

/// <summary>
/// A valid workflow of exactly 100 activities (24 rounds of consultation → decision on its outcome → notice →
/// condition) and the designer session the studio's speed is measured with. Shared by the tests and the
/// benchmark program (linked there), so both report the same figure.
/// </summary>
public static class LargeWorkflow
{
    public static readonly string[] Committees = ["fpa", "plua", "va", "rat"];

    private static readonly string[] LeadOffice = ["leadOffice"];

    public static string Document(int rounds = 24)
    {
        var activities = new List<ActivityDefinition> { new() { Id = "start", Type = "Start" } };
        var connections = new List<Connection> { new("start", "Done", "c0") };
        for (var k = 0; k < rounds; k++)
        {
            var next = k + 1 < rounds ? $"c{k + 1}" : "end";
            activities.Add(new() { Id = $"c{k}", Type = "Consultation", DisplayName = $"Beratung {k + 1}", Properties = Props(("committee", Committees[k % Committees.Length]), ("role", "Vorberatung")) });
            activities.Add(new() { Id = $"d{k}", Type = "OutcomeDecision", Properties = Props(("of", $"c{k}")) });
            activities.Add(new() { Id = $"n{k}", Type = "Notify", Properties = Props(("recipients", LeadOffice), ("subject", "Stand: {{ paper.reference }}"), ("text", "Runde " + (k + 1))) });
            activities.Add(new() { Id = $"x{k}", Type = "Condition", Properties = Props(("expression", "paper.isPublic")) });
            connections.AddRange(
            [
                new($"c{k}", "Adopted", $"d{k}"), new($"c{k}", "AdoptedAmended", $"d{k}"), new($"c{k}", "Rejected", "rejected"), new($"c{k}", "Withdrawn", "withdraw"),
                new($"d{k}", "Adopted", $"n{k}"), new($"d{k}", "AdoptedAmended", $"n{k}"), new($"d{k}", "Noted", $"n{k}"), new($"d{k}", "Rejected", "rejected"),
                new($"n{k}", "Done", $"x{k}"),
                new($"x{k}", "True", next), new($"x{k}", "False", next),
            ]);
        }

        activities.Add(new() { Id = "withdraw", Type = "Withdraw" });
        activities.Add(new() { Id = "rejected", Type = "End", DisplayName = "Abgelehnt" });
        activities.Add(new() { Id = "end", Type = "End" });
        connections.Add(new("withdraw", "Done", "end"));
        return DefinitionDocument.Write(new WorkflowDefinition
        {
            DefinitionId = "gross",
            Version = 1,
            Name = "Großer Ablauf",
            State = DefinitionState.Draft,
            Activities = activities,
            Connections = connections,
        });
    }

    public static DefinitionValidationContext Context() => new(new Dictionary<string, IReadOnlySet<string>>
    {
        [DeliberationFlow.Council.Workflows.CouncilReferences.Committees] = Committees.ToHashSet(StringComparer.Ordinal),
    });

    /// <summary>
    /// What an admin does when opening and editing the workflow, as the server does it: read the document, check it,
    /// lay it out, move every activity, insert a step and connect it, set properties, undo and redo, check again, write.
    /// </summary>
    public static DesignerSessionResult Session(IActivityRegistry registry, string document)
    {
        var watch = Stopwatch.StartNew();
        var state = DesignerState.Load(registry, document).State ?? throw new InvalidOperationException("The large workflow does not read.");
        var firstCheck = state.Validate(Context());
        var opened = watch.Elapsed;

        state.AutoLayout();
        foreach (var activity in state.Activities.ToList())
        {
            state.MoveActivity(activity.Id, activity.Designer!.X + 10, activity.Designer.Y + 5);
        }

        var wait = state.AddActivity("Wait", 300, 300);
        state.SetNumber(wait, "daysAfterLastMeeting", 90);
        state.Connect("n0", "Done", wait);
        state.Connect(wait, "Done", "x0");
        state.SetDisplayName("c0", "Finanz- und Personalausschuss");
        state.SetText("c1", "role", "Entscheidung");
        for (var i = 0; i < 5; i++)
        {
            state.Undo();
        }

        for (var i = 0; i < 5; i++)
        {
            state.Redo();
        }

        var secondCheck = state.Validate(Context());
        var json = state.ToJson();
        watch.Stop();
        return new DesignerSessionResult(opened, watch.Elapsed, state.Activities.Count, firstCheck.All.Count, secondCheck.All.Count, json);
    }

    private static Dictionary<string, JsonElement> Props(params (string Name, object Value)[] values) =>
        values.ToDictionary(v => v.Name, v => JsonSerializer.SerializeToElement(v.Value));
}

public sealed record DesignerSessionResult(TimeSpan Opened, TimeSpan Total, int Activities, int ProblemsAtOpen, int ProblemsAtEnd, string Document);
