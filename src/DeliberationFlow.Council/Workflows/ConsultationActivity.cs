using System.Globalization;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Workflows;

/// <summary>
/// A consultation of the paper in one committee: plans it into the committee's next meeting that the
/// deadlines allow, sets the invitation timer and waits for the outcome. "Vertagt" plans it again into
/// the committee's following meeting and keeps waiting; every other outcome leaves through its port.
/// </summary>
public sealed class ConsultationActivity(ICouncilDb db, MeetingPlanner planner) : IActivity
{
    public const string TypeName = "Consultation";
    public const string OutcomeBookmark = "consultation.outcome";
    public const string InvitationTimer = "consultation.invitation";

    public ActivityDescriptor Descriptor { get; } = new(
        TypeName,
        "Beratung in einem Gremium",
        [nameof(Outcome.Adopted), nameof(Outcome.AdoptedAmended), nameof(Outcome.Rejected), nameof(Outcome.Noted), nameof(Outcome.Referred), nameof(Outcome.Withdrawn)],
        [
            new("committee", PropertyKind.Text, true, "the key of the committee that deliberates (e.g. \"fpa\")."),
            new("role", PropertyKind.Text, true, "the role in the Beratungsfolge: Anhörung, Vorberatung, Entscheidung or Kenntnisnahme."),
            new("authoritative", PropertyKind.Boolean, false, "true when the committee decides (defaults to true for Entscheidung)."),
        ]);

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityExecutionContext context, CancellationToken cancellationToken)
    {
        var paper = await LoadPaperAsync(context, cancellationToken);
        var committeeKey = context.Activity.GetString("committee")!;
        var committee = await db.Organizations.SingleOrDefaultAsync(
                o => o.BodyId == paper.BodyId && o.Key == committeeKey && o.Kind == OrganizationKind.Committee, cancellationToken)
            ?? throw new WorkflowStateException($"The body of paper {paper.Reference} has no committee '{committeeKey}' (activity '{context.Activity.Id}').");

        var roleText = context.Activity.GetString("role")!;
        var role = Vocabulary.NormaliseRole(roleText);
        var previous = await LastConsultationAsync(paper.Id, cancellationToken);
        var notBefore = previous?.MeetingStart is { } previousMeeting && previousMeeting > context.Now ? previousMeeting : context.Now;
        await PlanAsync(context, paper, committee, role, roleText,
            context.Activity.GetBoolean("authoritative") ?? role == ConsultationRole.Decision,
            (previous?.Position ?? 0) + 1, notBefore, cancellationToken);
        return ActivityResult.Suspend();
    }

    public async ValueTask<ActivityResult> ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, Stimulus stimulus, CancellationToken cancellationToken)
    {
        if (stimulus.Input is not OutcomeStimulus input)
        {
            throw new WorkflowStateException($"A consultation resumes with an outcome, not with {stimulus.Input?.GetType().Name ?? "nothing"}.");
        }

        var consultationId = Guid.Parse(bookmark.Key, CultureInfo.InvariantCulture);
        var consultation = await db.Consultations.SingleAsync(c => c.Id == consultationId, cancellationToken);
        consultation.Outcome = input.Outcome;
        consultation.ResultText = input.ResultText;
        consultation.ResolutionText = input.ResolutionText;
        consultation.RecordedAt = context.Now;
        consultation.RecordedBy = stimulus.Actor;
        consultation.Modified = context.Now;
        consultation.Revision++;
        consultation.Status = input.Outcome switch
        {
            Outcome.Deferred => ConsultationStatus.Deferred,
            Outcome.Withdrawn => ConsultationStatus.Withdrawn,
            _ => ConsultationStatus.Done,
        };
        await CancelPendingTimersAsync(consultationId, context.Now, cancellationToken);

        var committee = await db.Organizations.SingleAsync(o => o.Id == consultation.OrganizationId, cancellationToken);
        var meeting = consultation.MeetingId is { } meetingId ? await db.Meetings.SingleAsync(m => m.Id == meetingId, cancellationToken) : null;
        context.Journal(JournalEventKind.ActivityCompleted,
            $"{committee.Name}{(meeting is null ? "" : ", " + meeting.Start.ToString("O", CultureInfo.InvariantCulture))}: {input.ResultText}",
            input.Outcome.ToString());

        if (input.Outcome != Outcome.Deferred)
        {
            return ActivityResult.Done(input.Outcome.ToString());
        }

        // Vertagt: the paper goes to the committee's next meeting, as a new consultation (OParl/spec#381).
        var paper = await LoadPaperAsync(context, cancellationToken);
        var notBefore = meeting?.Start > context.Now ? meeting.Start : context.Now;
        await PlanAsync(context, paper, committee, consultation.Role, consultation.RoleText, consultation.Authoritative,
            (await LastConsultationAsync(paper.Id, cancellationToken))!.Value.Position + 1, notBefore, cancellationToken);
        return ActivityResult.Suspend();
    }

    private async Task PlanAsync(
        ActivityExecutionContext context,
        Paper paper,
        Organization committee,
        ConsultationRole role,
        string roleText,
        bool authoritative,
        int position,
        DateTimeOffset notBefore,
        CancellationToken cancellationToken)
    {
        var meeting = await planner.FindNextAsync(committee, paper, notBefore, cancellationToken);
        var consultation = new Consultation
        {
            Id = Guid.CreateVersion7(context.Now),
            BodyId = paper.BodyId,
            PaperId = paper.Id,
            OrganizationId = committee.Id,
            MeetingId = meeting?.Id,
            Position = position,
            Role = role,
            RoleText = roleText,
            Authoritative = authoritative,
            ActivityId = context.Activity.Id,
            Created = context.Now,
            Modified = context.Now,
        };
        db.Consultations.Add(consultation);
        context.CreateBookmark(OutcomeBookmark, consultation.Id.ToString());

        if (meeting is null)
        {
            context.Journal(JournalEventKind.ActivityExecuted,
                $"{committee.Name}: keine Sitzung, die die Fristen noch zulassen; die Beratung wartet auf einen Termin.");
            return;
        }

        var zone = (await db.Bodies.SingleAsync(b => b.Id == paper.BodyId, cancellationToken)).Zone;
        context.Journal(JournalEventKind.ActivityExecuted,
            $"{committee.Name}: eingeplant in die Sitzung am {BodyClock.ToLocal(meeting.Start, zone).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture)} ({roleText}).");
        context.CreateTimer(InvitationTimer, consultation.Id.ToString(), BodyClock.LocalDaysBefore(meeting.Start, committee.NoticePeriodDays, zone));
    }

    private async Task CancelPendingTimersAsync(Guid consultationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = consultationId.ToString();
        var pending = await db.Timers.Where(t => t.Key == key && t.Status == TimerStatus.Pending).ToListAsync(cancellationToken);
        foreach (var timer in pending)
        {
            timer.Status = TimerStatus.Cancelled;
            timer.Note = $"Abgebrochen: Ergebnis erfasst am {now:O}.";
        }
    }

    private async Task<Paper> LoadPaperAsync(ActivityExecutionContext context, CancellationToken cancellationToken)
    {
        var paperId = Guid.Parse(context.Instance.CorrelationId, CultureInfo.InvariantCulture);
        return db.Papers.Local.FirstOrDefault(p => p.Id == paperId)
               ?? await db.Papers.SingleAsync(p => p.Id == paperId, cancellationToken);
    }

    private async Task<(int Position, DateTimeOffset? MeetingStart)?> LastConsultationAsync(Guid paperId, CancellationToken cancellationToken)
    {
        // Consultations staged in this step are not in the database yet.
        var staged = db.Consultations.Local.Where(c => c.PaperId == paperId).ToList();
        var stored = await db.Consultations.Where(c => c.PaperId == paperId).ToListAsync(cancellationToken);
        var last = stored.Concat(staged).DistinctBy(c => c.Id).MaxBy(c => c.Position);
        if (last is null)
        {
            return null;
        }

        var meeting = last.MeetingId is { } id ? await db.Meetings.SingleAsync(m => m.Id == id, cancellationToken) : null;
        return (last.Position, meeting?.Start);
    }
}

/// <summary>The stimulus of a consultation's bookmark: the recorded outcome.</summary>
public sealed record OutcomeStimulus(Outcome Outcome, string ResultText, string? ResolutionText);
