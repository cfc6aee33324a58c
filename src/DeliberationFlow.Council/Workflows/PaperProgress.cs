using DeliberationFlow.Council.Model;
using DeliberationFlow.Engine.Runtime;

namespace DeliberationFlow.Council.Workflows;

/// <summary>Keeps a paper's status in step with its workflow instance.</summary>
public static class PaperProgress
{
    public static void Apply(Paper paper, WorkflowInstance instance, DateTimeOffset now)
    {
        if (instance.Status == WorkflowStatus.Finished && paper.Status == PaperStatus.InProgress)
        {
            paper.Status = PaperStatus.Done;
        }

        paper.Modified = now;
    }
}
