using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Timers;

/// <summary>A wait has run out: the waiting activity is resumed and the flow goes on, in the timer's transaction.</summary>
public sealed class WaitTimerHandler(ICouncilDb db, WorkflowRunner runner, IWorkflowDefinitionStore definitions) : ITimerHandler
{
    public string Kind => WaitActivity.TimerKind;

    public async Task<TimerHandling> HandleAsync(WorkflowTimer timer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = timer.Id.ToString();
        var bookmark = await db.Bookmarks.SingleOrDefaultAsync(b => b.Name == WaitActivity.BookmarkName && b.Key == key, cancellationToken);
        if (bookmark is null)
        {
            return TimerHandling.Skip("Die Instanz wartet nicht mehr.");
        }

        var instance = await db.WorkflowInstances.GetAsync(bookmark.InstanceId, cancellationToken);
        var definition = await definitions.FindPinnedAsync(instance.TenantId, instance.DefinitionId, instance.DefinitionVersion, cancellationToken)
            ?? throw new WorkflowStateException($"Workflow '{instance.DefinitionId}' v{instance.DefinitionVersion} is no longer installed.");
        var run = await runner.ResumeAsync(definition, instance, bookmark, new Stimulus("system", now, null), cancellationToken);
        var paper = await db.Papers.SingleAsync(p => p.WorkflowInstanceId == instance.Id, cancellationToken);
        PaperProgress.Apply(paper, run.Instance, now);
        return TimerHandling.Fired("Wartezeit abgelaufen; die Instanz läuft weiter.", run.Timers);
    }
}
