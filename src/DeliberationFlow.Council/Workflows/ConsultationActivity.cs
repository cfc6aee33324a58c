using DeliberationFlow.Council.Model;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;

namespace DeliberationFlow.Council.Workflows;

/// <summary>
/// A consultation of the paper in one committee. It waits for the outcome, then leaves through the port of
/// that outcome. Two outcomes keep it going instead: "vertagt" plans it into the committee's next meeting,
/// and "verwiesen an …" sends the paper to the named committee and, after that committee's say, back again.
/// </summary>
public sealed class ConsultationActivity(ConsultationPlanner planner) : IActivity, IOutcomeActivity, IContinuableActivity
{
    public const string TypeName = "Consultation";

    /// <summary>Whether the members are reminded before the meeting; the step's every planning (deferral and referral too) and a moved meeting's follow it.</summary>
    public const string ReminderProperty = "reminder";

    private static readonly string[] AllOutcomes =
    [
        nameof(Outcome.Adopted), nameof(Outcome.AdoptedAmended), nameof(Outcome.Rejected), nameof(Outcome.Noted), nameof(Outcome.Withdrawn),
        nameof(Outcome.Recommended), nameof(Outcome.NoVote), nameof(Outcome.Settled), nameof(Outcome.Elected),
    ];

    /// <summary>Outcomes of a recommendation given after a referral; they never route, they return the paper.</summary>
    private static readonly Outcome[] ReferralOutcomes =
        [Outcome.Adopted, Outcome.AdoptedAmended, Outcome.Rejected, Outcome.Noted, Outcome.Recommended, Outcome.NoVote, Outcome.Deferred, Outcome.RemovedFromAgenda];

    public ActivityDescriptor Descriptor { get; } = new(
        TypeName,
        "Beratung in einem Gremium",
        AllOutcomes,
        [
            new("committee", PropertyKind.Text, true, "the key of the committee that deliberates (e.g. \"fpa\")."),
            new("role", PropertyKind.Text, true, "the role in the Beratungsfolge: Anhörung, Vorberatung, Entscheidung or Kenntnisnahme."),
            new("authoritative", PropertyKind.Boolean, false, "true when the committee decides (defaults to true for Entscheidung)."),
            new(ReminderProperty, PropertyKind.Boolean, false, "remind the members the day before the meeting (default: true)."),
            new("outcomes", PropertyKind.TextList, false,
                "the outcomes this consultation can have, each with its own connection (default: Adopted, AdoptedAmended, Rejected, Withdrawn; for Kenntnisnahme: Noted, Withdrawn)."),
        ]);

    public IReadOnlyList<string> OutcomesOf(ActivityDefinition activity)
    {
        if (activity.GetTextList("outcomes") is { Count: > 0 } outcomes)
        {
            return outcomes;
        }

        return Vocabulary.NormaliseRole(activity.GetString("role")) == ConsultationRole.Noting
            ? [nameof(Outcome.Noted), nameof(Outcome.Withdrawn)]
            : [nameof(Outcome.Adopted), nameof(Outcome.AdoptedAmended), nameof(Outcome.Rejected), nameof(Outcome.Withdrawn)];
    }

    public IEnumerable<ActivityProblem> Validate(ActivityDefinition activity, DefinitionValidationContext context)
    {
        var outcomes = activity.GetTextList("outcomes") ?? [];
        for (var k = 0; k < outcomes.Count; k++)
        {
            if (!AllOutcomes.Contains(outcomes[k], StringComparer.Ordinal))
            {
                yield return ActivityProblem.AtProperty("outcomes", k,
                    $"'{outcomes[k]}' cannot be a routed outcome; use some of: {string.Join(", ", AllOutcomes)} (vertagt and verwiesen are handled by the consultation itself).");
            }
        }

        // An unrecognised role would plan consultations with the role "unbekannt", deciding nothing.
        if (RoleCheck.Problem(activity, "role") is { } role)
        {
            yield return role;
        }

        if (context.Known(CouncilReferences.Committees) is { } committees && activity.GetString("committee") is { } key && !committees.Contains(key))
        {
            yield return ActivityProblem.AtProperty("committee",
                $"The body has no committee '{key}'; known committees: {string.Join(", ", committees.Order(StringComparer.Ordinal))}.");
        }
    }

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityExecutionContext context, CancellationToken cancellationToken)
    {
        var paper = await planner.PaperOfAsync(context.Instance, cancellationToken);
        var committee = await planner.CommitteeAsync(paper, context.Activity.GetString("committee")!, context.Activity.Id, cancellationToken);
        var roleText = context.Activity.GetString("role")!;
        if (await planner.TakenBeforeAsync(paper, committee, cancellationToken) is { Outcome: { } earlier } taken)
        {
            // The paper was imported with this step done: the workflow follows the recorded outcome instead of planning it again.
            var connected = context.Definition.ConnectedOutcomes(context.Activity.Id).ToList();
            var port = connected.Contains(earlier.ToString()) ? earlier.ToString()
                : earlier == Outcome.Recommended && connected.Contains(nameof(Outcome.Adopted)) ? nameof(Outcome.Adopted)
                : null;
            if (port is not null)
            {
                taken.ActivityId = context.Activity.Id;
                context.Journal(JournalEventKind.ActivityCompleted, $"{committee.Name}: bereits vor der Übernahme beraten ({taken.ResultText}).", port);
                return ActivityResult.Done(port);
            }
        }

        await planner.PlanAsync(context, paper, committee, roleText,
            context.Activity.GetBoolean("authoritative") ?? Vocabulary.NormaliseRole(roleText) == ConsultationRole.Decision,
            await planner.NotBeforeAsync(paper, context.Now, cancellationToken),
            new ConsultationBookmark(ConsultationBookmark.Ordinary), cancellationToken,
            withReminder: Reminds(context.Activity));
        return ActivityResult.Suspend();
    }

    public IReadOnlyCollection<Outcome> AcceptedOutcomes(WorkflowDefinition definition, ActivityDefinition activity, Bookmark bookmark)
    {
        if (ConsultationBookmark.Read(bookmark).Kind == ConsultationBookmark.Referral)
        {
            return ReferralOutcomes;
        }

        var connected = definition.ConnectedOutcomes(activity.Id).Select(o => Enum.Parse<Outcome>(o)).ToList();

        // A recommendation leaves through "Adopted" where the workflow has no port of its own for it.
        var recommended = connected.Contains(Outcome.Adopted) && !connected.Contains(Outcome.Recommended) ? [Outcome.Recommended] : Array.Empty<Outcome>();
        return [.. connected, .. recommended, Outcome.Deferred, Outcome.RemovedFromAgenda, Outcome.Referred];
    }

    /// <summary>
    /// The step of a newer version goes on with a waiting consultation only when it plans the same: the same committee
    /// (a referral returns to it, a deferral plans it again), the same role and the same say (authoritative or not), and
    /// every outcome the current step accepts for this bookmark. The outcomes are those the step accepts now, not only
    /// those the role implies: the consultation stands on an agenda under the current step, and whatever the committee
    /// may conclude there under it must still have a path afterwards, or the paper would be stuck mid-way. More outcomes
    /// are fine. The role is compared by its meaning, not its wording: the planned consultation keeps its own text.
    /// </summary>
    public string? WhyNotContinuedBy(WorkflowDefinition from, ActivityDefinition before, WorkflowDefinition to, ActivityDefinition after, Bookmark bookmark)
    {
        var problems = new List<string>();
        var (committee, otherCommittee) = (before.GetString("committee"), after.GetString("committee"));
        if (!string.Equals(committee, otherCommittee, StringComparison.Ordinal))
        {
            problems.Add($"plans committee '{otherCommittee}' instead of '{committee}'");
        }

        if (Vocabulary.NormaliseRole(before.GetString("role")) != Vocabulary.NormaliseRole(after.GetString("role")))
        {
            problems.Add($"has the role '{after.GetString("role")}' instead of '{before.GetString("role")}'");
        }

        if (IsAuthoritative(before) != IsAuthoritative(after))
        {
            problems.Add(IsAuthoritative(after) ? "lets the committee decide where it only advises" : "lets the committee only advise where it decides");
        }

        var missing = AcceptedOutcomes(from, before, bookmark).Except(AcceptedOutcomes(to, after, bookmark)).ToHashSet();
        if (ConsultationBookmark.Read(bookmark).Kind == ConsultationBookmark.Referral)
        {
            // Waiting for the committee referred to, the step takes the referral outcomes in both versions; once the paper
            // returns, the referring committee concludes with the newer step's ports, so those must cover the current ones.
            missing.UnionWith(from.ConnectedOutcomes(before.Id).Except(to.ConnectedOutcomes(after.Id)).Select(o => Enum.Parse<Outcome>(o)));
        }

        if (missing.Count > 0)
        {
            problems.Add($"has no path for {string.Join(", ", missing.Order().Select(o => $"'{o}'"))}, which the planned consultation can conclude");
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static bool IsAuthoritative(ActivityDefinition activity) =>
        activity.GetBoolean("authoritative") ?? Vocabulary.NormaliseRole(activity.GetString("role")) == ConsultationRole.Decision;

    private static bool Reminds(ActivityDefinition activity) => activity.GetBoolean(ReminderProperty) ?? true;

    public async ValueTask<ActivityResult> ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, Stimulus stimulus, CancellationToken cancellationToken)
    {
        var input = stimulus.Input as OutcomeStimulus
            ?? throw new WorkflowStateException($"A consultation resumes with an outcome, not with {stimulus.Input?.GetType().Name ?? "nothing"}.");
        var waitingFor = ConsultationBookmark.Read(bookmark);
        var consultation = await planner.RecordAsync(context, bookmark, input, stimulus.Actor, cancellationToken);
        var committee = await planner.CommitteeOfAsync(consultation, cancellationToken);
        var paper = await planner.PaperOfAsync(context.Instance, cancellationToken);
        var notBefore = await planner.NotBeforeAsync(paper, context.Now, cancellationToken);

        if (input.Outcome is Outcome.Deferred or Outcome.RemovedFromAgenda)
        {
            // Vertagt or abgesetzt: the same committee takes it up in its next meeting, as a new consultation (OParl/spec#381).
            await planner.PlanAsync(context, paper, committee, consultation.RoleText, consultation.Authoritative, notBefore, waitingFor, cancellationToken,
                withReminder: Reminds(context.Activity));
            return ActivityResult.Suspend();
        }

        if (waitingFor.Kind == ConsultationBookmark.Referral)
        {
            // The committee the paper was referred to has spoken; it returns to the referring committee.
            var origin = await planner.CommitteeAsync(paper, waitingFor.ReturnTo!, context.Activity.Id, cancellationToken);
            var roleText = context.Activity.GetString("role")!;
            await planner.PlanAsync(context, paper, origin, roleText,
                context.Activity.GetBoolean("authoritative") ?? Vocabulary.NormaliseRole(roleText) == ConsultationRole.Decision,
                notBefore, new ConsultationBookmark(ConsultationBookmark.Ordinary), cancellationToken, withReminder: Reminds(context.Activity));
            return ActivityResult.Suspend();
        }

        if (input.Outcome == Outcome.Referred)
        {
            var target = await planner.CommitteeAsync(paper, input.ReferTo!, context.Activity.Id, cancellationToken);
            await planner.PlanAsync(context, paper, target, "Beratung", authoritative: false, notBefore,
                new ConsultationBookmark(ConsultationBookmark.Referral, committee.Key), cancellationToken, withReminder: Reminds(context.Activity));
            return ActivityResult.Suspend();
        }

        var port = input.Outcome == Outcome.Recommended && context.Definition.FindConnection(context.Activity.Id, nameof(Outcome.Recommended)) is null
            ? nameof(Outcome.Adopted)
            : input.Outcome.ToString();
        return ActivityResult.Done(port);
    }
}

/// <summary>Kinds of references a council definition makes, checked when the body is known.</summary>
public static class CouncilReferences
{
    public const string Committees = "committees";
    public const string Offices = "offices";
}
