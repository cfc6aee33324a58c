using System.Globalization;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Workflows;

/// <summary>
/// Waits until a local date and time of the body (<c>until</c>), or a number of days after the paper's latest
/// planned meeting (<c>daysAfterLastMeeting</c>, at the meeting's local time) — e.g. a Beschlusskontrolle.
/// Its bookmark depends only on the timer set when it began, and resuming it reads no property: any Wait of the same
/// id in a newer version goes on with it (at the time already set), so it is no <see cref="IContinuableActivity"/>.
/// </summary>
public sealed class WaitActivity(ICouncilDb db, ConsultationPlanner planner) : IActivity
{
    public const string TypeName = "Wait";
    public const string DoneOutcome = "Done";
    public const string TimerKind = "workflow.wait";
    public const string BookmarkName = "wait";

    public ActivityDescriptor Descriptor { get; } = new(
        TypeName,
        "Warten",
        [DoneOutcome],
        [
            new("until", PropertyKind.Text, false, "a local date and time of the body, e.g. \"2021-06-01T09:00\"."),
            new("daysAfterLastMeeting", PropertyKind.Number, false, "days after the latest meeting the paper was planned into."),
        ]);

    public IEnumerable<ActivityProblem> Validate(ActivityDefinition activity, DefinitionValidationContext context)
    {
        var until = activity.GetString("until");
        var days = activity.GetNumber("daysAfterLastMeeting");
        if ((until is null) == (days is null))
        {
            yield return new(null, "Set exactly one of 'until' and 'daysAfterLastMeeting'.");
        }

        if (until is not null && !DateTime.TryParse(until, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            yield return ActivityProblem.AtProperty("until", $"'until' is \"{until}\"; write a local date and time like \"2021-06-01T09:00\".");
        }

        if (days is < 0 or > 3650)
        {
            yield return ActivityProblem.AtProperty("daysAfterLastMeeting", "'daysAfterLastMeeting' must lie between 0 and 3650.");
        }
    }

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityExecutionContext context, CancellationToken cancellationToken)
    {
        var paper = await planner.PaperOfAsync(context.Instance, cancellationToken);
        var zone = (await db.Bodies.GetAsync(paper.BodyId, cancellationToken)).Zone;
        DateTimeOffset due;
        if (context.Activity.GetString("until") is { } until)
        {
            due = BodyClock.TryParseLocal(until, zone, out var local)
                ? BodyClock.FromLocal(local, zone)
                : throw new WorkflowStateException($"'until' is \"{until}\"; write a local date and time like \"2021-06-01T09:00\".");
        }
        else
        {
            var lastMeeting = await planner.LastMeetingStartAsync(paper, cancellationToken) ?? context.Now;
            due = BodyClock.LocalDaysBefore(lastMeeting, -(int)context.Activity.GetNumber("daysAfterLastMeeting")!.Value, zone);
        }

        var timer = context.CreateTimer(TimerKind, $"{context.Instance.Id}:{context.Activity.Id}:{context.Instance.Revision}", due);
        context.CreateBookmark(BookmarkName, timer.Id.ToString());
        return ActivityResult.Suspend();
    }

    public ValueTask<ActivityResult> ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, Stimulus stimulus, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ActivityResult.Done(DoneOutcome));
}
