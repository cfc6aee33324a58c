using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Workflows;

/// <summary>
/// Hearings in several committees at once — as the Stadtbezirksräte are heard (§ 94 NKomVG) before the Rat or
/// the Verwaltungsausschuss decide. The flow goes on when all have spoken (join "all"), or after the first
/// (join "any"; the hearings not held any more are marked as such).
/// </summary>
public sealed class HearingActivity(ConsultationPlanner planner, Common.ICouncilDb db) : IActivity, IOutcomeActivity, IContinuableActivity
{
    public const string TypeName = "Hearing";
    public const string DoneOutcome = "Done";

    private static readonly Outcome[] Accepted =
        [Outcome.Adopted, Outcome.AdoptedAmended, Outcome.Rejected, Outcome.Noted, Outcome.Recommended, Outcome.NoVote, Outcome.Deferred, Outcome.RemovedFromAgenda];

    public ActivityDescriptor Descriptor { get; } = new(
        TypeName,
        "Anhörung mehrerer Gremien",
        [DoneOutcome],
        [
            new("committees", PropertyKind.TextList, true, "the keys of the committees to hear (e.g. [\"sbr-112\", \"sbr-120\"])."),
            new("join", PropertyKind.Text, false, "\"all\" (default): go on when every committee was heard; \"any\": go on after the first."),
            new("role", PropertyKind.Text, false, "the role wording (default: Anhörung)."),
        ]);

    public IEnumerable<ActivityProblem> Validate(ActivityDefinition activity, DefinitionValidationContext context)
    {
        if (activity.GetString("join") is { } join && join is not ("all" or "any"))
        {
            yield return ActivityProblem.AtProperty("join", $"'join' is \"{join}\"; use \"all\" or \"any\".");
        }

        // The role wording becomes the role of every hearing it plans.
        if (RoleCheck.Problem(activity, "role") is { } role)
        {
            yield return role;
        }

        if (context.Known(CouncilReferences.Committees) is { } committees)
        {
            var keys = activity.GetTextList("committees") ?? [];
            for (var k = 0; k < keys.Count; k++)
            {
                if (!committees.Contains(keys[k]))
                {
                    yield return ActivityProblem.AtProperty("committees", k,
                        $"The body has no committee '{keys[k]}'; known committees: {string.Join(", ", committees.Order(StringComparer.Ordinal))}.");
                }
            }
        }
    }

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityExecutionContext context, CancellationToken cancellationToken)
    {
        var paper = await planner.PaperOfAsync(context.Instance, cancellationToken);
        var committees = new List<Organization>();
        foreach (var key in context.Activity.GetTextList("committees")!)
        {
            committees.Add(await planner.CommitteeAsync(paper, key, context.Activity.Id, cancellationToken));
        }

        var notBefore = await planner.NotBeforeAsync(paper, context.Now, cancellationToken);
        foreach (var committee in committees)
        {
            await planner.PlanAsync(context, paper, committee, context.Activity.GetString("role") ?? "Anhörung", authoritative: false,
                notBefore, new ConsultationBookmark(ConsultationBookmark.Hearing), cancellationToken);
        }

        return ActivityResult.Suspend();
    }

    public IReadOnlyCollection<Outcome> AcceptedOutcomes(WorkflowDefinition definition, ActivityDefinition activity, Bookmark bookmark) => Accepted;

    /// <summary>
    /// The step of a newer version goes on with waiting hearings only when it hears the same committees (each has its
    /// own bookmark: one added would never be heard, one left out would still be waited for) and goes on after as many
    /// of them (the join decides when the hearing is over). It takes the same outcomes in every version, and its role
    /// wording does not matter: a hearing planned again keeps the consultation's own.
    /// </summary>
    public string? WhyNotContinuedBy(WorkflowDefinition from, ActivityDefinition before, WorkflowDefinition to, ActivityDefinition after, Bookmark bookmark)
    {
        var problems = new List<string>();
        var (heard, toHear) = (before.GetTextList("committees") ?? [], after.GetTextList("committees") ?? []);
        if (!heard.ToHashSet(StringComparer.Ordinal).SetEquals(toHear))
        {
            problems.Add($"hears {Listed(toHear)} instead of {Listed(heard)}");
        }

        var (join, otherJoin) = (before.GetString("join") ?? "all", after.GetString("join") ?? "all");
        if (join != otherJoin)
        {
            problems.Add($"goes on after {(otherJoin == "any" ? "the first" : "every")} committee heard instead of after {(join == "any" ? "the first" : "every one")}");
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static string Listed(IReadOnlyList<string> committees) =>
        committees.Count == 0 ? "no committee" : string.Join(", ", committees.Order(StringComparer.Ordinal).Select(k => $"'{k}'"));

    public async ValueTask<ActivityResult> ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, Stimulus stimulus, CancellationToken cancellationToken)
    {
        if (stimulus.Input is HearingSkipStimulus skip)
        {
            return await SkipAllAsync(context, bookmark, skip, cancellationToken);
        }

        var input = stimulus.Input as OutcomeStimulus
            ?? throw new WorkflowStateException($"A hearing resumes with an outcome, not with {stimulus.Input?.GetType().Name ?? "nothing"}.");
        var consultation = await planner.RecordAsync(context, bookmark, input, stimulus.Actor, cancellationToken);
        var paper = await planner.PaperOfAsync(context.Instance, cancellationToken);
        if (input.Outcome is Outcome.Deferred or Outcome.RemovedFromAgenda)
        {
            await planner.PlanAsync(context, paper, await planner.CommitteeOfAsync(consultation, cancellationToken), consultation.RoleText, authoritative: false,
                await planner.NotBeforeAsync(paper, context.Now, cancellationToken), new ConsultationBookmark(ConsultationBookmark.Hearing), cancellationToken);
            return ActivityResult.Suspend();
        }

        // The other hearings of this activity still waiting (the resumed bookmark is already burnt).
        var waiting = await db.Bookmarks.Where(b => b.InstanceId == context.Instance.Id && b.ActivityId == context.Activity.Id && b.Id != bookmark.Id)
            .ToListAsync(cancellationToken);
        var join = context.Activity.GetString("join") ?? "all";
        if (join == "all" && waiting.Count > 0)
        {
            context.Journal(JournalEventKind.ActivityExecuted, $"Anhörung: noch {waiting.Count} Gremium/Gremien ausstehend.");
            return ActivityResult.Suspend();
        }

        foreach (var other in waiting)
        {
            var otherConsultation = await db.Consultations.GetAsync(Guid.Parse(other.Key), cancellationToken);
            await planner.SkipAsync(otherConsultation, context.Now, "Entfallen: die Anhörung ist abgeschlossen.", cancellationToken);
        }

        return ActivityResult.Done(DoneOutcome);
    }

    /// <summary>
    /// Eilentscheidung (§ 89 NKomVG): the hearings not held yet are dropped, with the recorded reason of urgency,
    /// and the flow goes on to the deciding steps.
    /// </summary>
    private async Task<ActivityResult> SkipAllAsync(ActivityExecutionContext context, Bookmark bookmark, HearingSkipStimulus skip, CancellationToken cancellationToken)
    {
        var note = $"Entfallen – Eilentscheidung nach § 89 NKomVG: {skip.Reason}";
        var waiting = await db.Bookmarks.Where(b => b.InstanceId == context.Instance.Id && b.ActivityId == context.Activity.Id).ToListAsync(cancellationToken);
        foreach (var key in waiting.Select(b => b.Key).Append(bookmark.Key).Distinct())
        {
            var consultation = await db.Consultations.GetAsync(Guid.Parse(key), cancellationToken);
            if (consultation.Status == ConsultationStatus.Planned)
            {
                await planner.SkipAsync(consultation, context.Now, note, cancellationToken);
            }
        }

        context.Journal(JournalEventKind.ActivityCompleted, $"Anhörung übersprungen von {context.Actor}. {note}", DoneOutcome);
        return ActivityResult.Done(DoneOutcome);
    }
}

/// <summary>The stimulus that ends a hearing early, with the reason of urgency that § 89 NKomVG requires.</summary>
public sealed record HearingSkipStimulus(string Reason);
