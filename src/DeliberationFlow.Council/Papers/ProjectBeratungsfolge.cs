using System.Globalization;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Papers;

/// <summary>One step of a Beratungsfolge: done, planned, or projected from the calendars and deadlines.</summary>
public sealed record ProjectedStep(
    string Committee,
    string CommitteeName,
    string RoleText,
    string State,
    string? Date,
    string? Outcome,
    string? SubmissionDeadline,
    string? InvitationDate,
    string Reason,
    Guid? MeetingId = null,
    string? Marking = null);

public sealed record Projection(string? Reference, string DefinitionId, int Version, IReadOnlyList<ProjectedStep> Steps);

/// <summary>Projects a paper that is not registered yet: "registered on …, it reaches the Rat on …".</summary>
public sealed record ProjectNewPaperRequest(string? PaperType, string? Workflow, DateOnly? RegisteredOn, bool Urgent = false);

/// <summary>
/// Projects the Beratungsfolge: the steps already done or planned as they stand, and the rest along the workflow's
/// usual path (each consultation adopted or noted), each into the committee's next meeting whose submission deadline
/// the paper still meets, with the deadline that decides each date. Nothing is written.
/// </summary>
public sealed class ProjectBeratungsfolge(ICouncilDb db, IWorkflowDefinitionStore definitions, WorkflowSelection workflows, PaperReader reader, MeetingPlanner planner, TimeProvider clock)
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");
    private static readonly string[] UsualPath = ["Done", nameof(Outcome.Adopted), nameof(Outcome.Noted), "True", nameof(Outcome.AdoptedAmended), "False", nameof(Outcome.Rejected)];

    public async Task<Projection> ForPaperAsync(Caller caller, Guid paperId, CancellationToken cancellationToken)
    {
        var details = await reader.ReadAsync(caller, paperId, cancellationToken);
        var paper = await db.Papers.AsNoTracking().SingleAsync(p => p.Id == paperId, cancellationToken);
        var instance = paper.WorkflowInstanceId is { } id ? await db.WorkflowInstances.AsNoTracking().SingleAsync(i => i.Id == id, cancellationToken) : null;
        var steps = details.Consultations.Select(c => new ProjectedStep(
            c.Committee.Key, c.Committee.Name, c.RoleText, c.StatusLabel, c.Date, c.ResultText, null, null,
            c.Status == nameof(ConsultationStatus.Planned) ? "eingeplant" : "erfasst", c.MeetingId,
            c.UrgentDecision is not null ? Consultations.StartUrgentDecision.Marking : null)).ToList();
        if (instance is null)
        {
            return new Projection(paper.Reference, "", 0, steps);
        }

        var definition = await definitions.FindPinnedAsync(instance.TenantId, instance.DefinitionId, instance.DefinitionVersion, cancellationToken)
            ?? throw new ConflictException($"Workflow '{instance.DefinitionId}' v{instance.DefinitionVersion} is no longer installed.");
        if (instance.Status == WorkflowStatus.Suspended && instance.CurrentActivityId is { } current)
        {
            var notBefore = details.Consultations.Where(c => c.MeetingStart is not null).Select(c => c.MeetingStart!.Value).DefaultIfEmpty(clock.GetUtcNow()).Max();
            await FollowAsync(definition, Next(definition, current), paper, notBefore, steps, cancellationToken);
        }

        return new Projection(paper.Reference, definition.DefinitionId, definition.Version, steps);
    }

    public async Task<Projection> ForNewPaperAsync(Caller caller, ProjectNewPaperRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required("paperType", request.PaperType);
        errors.ThrowIfAny();
        var definition = await workflows.FindAsync(caller.BodyId, request.Workflow, request.PaperType!, cancellationToken)
            ?? throw RequestValidationException.For(request.Workflow is null ? "paperType" : "workflow", "No published workflow serves this paper.");
        var body = await db.Bodies.AsNoTracking().SingleAsync(b => b.Id == caller.BodyId, cancellationToken);
        var registered = request.RegisteredOn is { } day ? BodyClock.FromLocal(day.ToDateTime(new TimeOnly(9, 0)), body.Zone) : clock.GetUtcNow();
        var paper = new Paper { Id = Guid.Empty, BodyId = caller.BodyId, Reference = "", Name = "", PaperType = request.PaperType!, Created = registered, IsUrgent = request.Urgent };
        var steps = new List<ProjectedStep>();
        var start = definition.Activities.First(a => a.Type == Engine.Activities.StartActivity.TypeName);
        await FollowAsync(definition, Next(definition, start.Id), paper, registered, steps, cancellationToken);
        return new Projection(null, definition.DefinitionId, definition.Version, steps);
    }

    private async Task FollowAsync(WorkflowDefinition definition, string? activityId, Paper paper, DateTimeOffset notBefore, List<ProjectedStep> steps, CancellationToken cancellationToken)
    {
        var body = await db.Bodies.AsNoTracking().SingleAsync(b => b.Id == paper.BodyId, cancellationToken);
        for (var guard = 0; activityId is not null && guard < 100; guard++)
        {
            var activity = definition.GetActivity(activityId);
            var committees = activity.Type switch
            {
                ConsultationActivity.TypeName => [activity.GetString("committee")!],
                HearingActivity.TypeName => activity.GetTextList("committees") ?? [],
                _ => (IReadOnlyList<string>)[],
            };
            var latest = notBefore;
            foreach (var key in committees)
            {
                var committee = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.BodyId == paper.BodyId && o.Key == key, cancellationToken);
                if (committee is null)
                {
                    steps.Add(new ProjectedStep(key, key, activity.GetString("role") ?? "Anhörung", "Störung", null, null, null, null, $"Die Körperschaft hat kein Gremium '{key}'."));
                    continue;
                }

                var meeting = await planner.FindNextAsync(committee, paper, notBefore, cancellationToken);
                var role = activity.GetString("role") ?? "Anhörung";
                if (meeting is null)
                {
                    steps.Add(new ProjectedStep(key, committee.Name, role, "Prognose", null, null, null, null, "Keine Sitzung im Kalender, deren Fristen die Vorlage einhält."));
                    continue;
                }

                var deadline = Deadlines.SubmissionDeadline(meeting, committee, paper, body);
                var invitation = Deadlines.InvitationDue(meeting, committee, paper, body);
                var days = paper.IsUrgent ? committee.UrgentSubmissionDeadlineDays : committee.SubmissionDeadlineDays;
                var unit = committee.SubmissionDeadlineInWorkingDays ? "Arbeitstage" : "Tage";
                steps.Add(new ProjectedStep(key, committee.Name, role, "Prognose", Day(meeting.Start, body), null, Day(deadline, body), Day(invitation, body),
                    $"Nächste Sitzung nach dem {Day(notBefore, body)}, deren Vorlagenfrist ({days} {unit}{(paper.IsUrgent ? ", dringlich" : "")}: {Day(deadline, body)}) die Vorlage einhält."));
                latest = meeting.Start > latest ? meeting.Start : latest;
            }

            notBefore = latest;
            activityId = Next(definition, activityId);
        }
    }

    private static string? Next(WorkflowDefinition definition, string activityId) =>
        UsualPath.Select(outcome => definition.FindConnection(activityId, outcome)).FirstOrDefault(c => c is not null)?.Target;

    private static string Day(DateTimeOffset instant, Body body) => BodyClock.ToLocal(instant, body.Zone).ToString("dd.MM.yyyy", German);
}
