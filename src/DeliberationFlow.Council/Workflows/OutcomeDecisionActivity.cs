using DeliberationFlow.Council.Model;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;

namespace DeliberationFlow.Council.Workflows;

/// <summary>
/// Branches on what an earlier consultation or hearing ended with. Over several hearings: Rejected if any
/// committee rejected, else AdoptedAmended if any asked for changes, else Noted if all only noted (or none was held),
/// else Adopted.
/// </summary>
public sealed class OutcomeDecisionActivity(ConsultationPlanner planner) : IActivity
{
    public const string TypeName = "OutcomeDecision";

    public ActivityDescriptor Descriptor { get; } = new(
        TypeName,
        "Entscheidung nach Beratungsergebnis",
        [nameof(Outcome.Adopted), nameof(Outcome.AdoptedAmended), nameof(Outcome.Rejected), nameof(Outcome.Noted)],
        [new("of", PropertyKind.Text, true, "the id of the earlier Consultation or Hearing activity whose outcome decides.")]);

    public IEnumerable<ActivityProblem> Validate(ActivityDefinition activity, DefinitionValidationContext context)
    {
        if (activity.GetString("of") is { } of && context.Definition is { } definition
            && !definition.Activities.Any(a => a.Id == of && a.Type is ConsultationActivity.TypeName or HearingActivity.TypeName)
            // 'of' may name a Consultation or Hearing whose own id did not read (e.g. "id": 3 for "of": "3"); the reader
            // reports that id, and "not a Consultation or Hearing" would be a wrong guess about it. An activity whose type
            // did not read either (it reads as "") may be one too.
            && !context.ActivitiesWithoutId.Any(a => a.Type is "" or ConsultationActivity.TypeName or HearingActivity.TypeName))
        {
            yield return ActivityProblem.AtProperty("of", $"'of' names '{of}', which is not a Consultation or Hearing activity of this workflow.");
        }
    }

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityExecutionContext context, CancellationToken cancellationToken)
    {
        var paper = await planner.PaperOfAsync(context.Instance, cancellationToken);
        var of = context.Activity.GetString("of")!;
        var outcomes = (await planner.AllConsultationsAsync(paper.Id, cancellationToken))
            .Where(c => c.ActivityId == of && c.Status == ConsultationStatus.Done && c.Outcome is not null)
            .Select(c => c.Outcome!.Value)
            .ToList();
        if (outcomes.Count == 0)
        {
            // Every consultation of it was dropped (e.g. a hearing skipped as an Eilentscheidung): no objection was raised.
            context.Journal(JournalEventKind.ActivityExecuted, $"Kein Ergebnis von '{of}' erfasst (entfallen); weiter wie nach Kenntnisnahme.");
            return ActivityResult.Done(nameof(Outcome.Noted));
        }

        var decision = outcomes.Contains(Outcome.Rejected) ? Outcome.Rejected
            : outcomes.Contains(Outcome.AdoptedAmended) ? Outcome.AdoptedAmended
            : outcomes.All(o => o == Outcome.Noted) ? Outcome.Noted
            : Outcome.Adopted;
        context.Journal(JournalEventKind.ActivityExecuted, $"Entscheidung nach dem Ergebnis von '{of}': {Vocabulary.Label(decision)}.");
        return ActivityResult.Done(decision.ToString());
    }
}
