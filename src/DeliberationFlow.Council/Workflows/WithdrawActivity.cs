using DeliberationFlow.Council.Model;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Runtime;

namespace DeliberationFlow.Council.Workflows;

/// <summary>The paper is withdrawn: it is marked so, and every consultation still planned for it is called off.</summary>
public sealed class WithdrawActivity(ConsultationPlanner planner) : IActivity
{
    public const string TypeName = "Withdraw";
    public const string DoneOutcome = "Done";

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Zurückziehen", [DoneOutcome], []);

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityExecutionContext context, CancellationToken cancellationToken)
    {
        var paper = await planner.PaperOfAsync(context.Instance, cancellationToken);
        paper.Status = PaperStatus.Withdrawn;
        paper.Modified = context.Now;
        var planned = (await planner.AllConsultationsAsync(paper.Id, cancellationToken)).Where(c => c.Status == ConsultationStatus.Planned).ToList();
        foreach (var consultation in planned)
        {
            await planner.SkipAsync(consultation, context.Now, "Entfallen: die Vorlage wurde zurückgezogen.", cancellationToken);
        }

        context.Journal(JournalEventKind.ActivityExecuted, $"Vorlage zurückgezogen; {planned.Count} geplante Beratung(en) entfallen.");
        return ActivityResult.Done(DoneOutcome);
    }
}
