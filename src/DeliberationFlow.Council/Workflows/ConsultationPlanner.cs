using System.Globalization;
using System.Text.Json;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Committees;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Workflows;

/// <summary>
/// Plans one consultation of a paper: into the committee's next meeting that the deadlines allow, with a
/// bookmark waiting for its outcome and the invitation timer at the Ladungsfrist. Shared by the council's
/// activities (consultation, hearing, referral, deferral).
/// </summary>
public sealed class ConsultationPlanner(ICouncilDb db, MeetingPlanner meetings, OrganizationDirectory organizations, IWorkflowDefinitionStore definitions)
{
    // The consultations of each paper read in this unit of work: a step asks for them several times (the last
    // meeting, the next position, the answer), and after the first read the change tracker holds them all.
    private readonly Dictionary<Guid, List<Consultation>> _loaded = [];

    // The highest position among a paper's soft-deleted steps (of an imported paper), read with the rest.
    private readonly Dictionary<Guid, int> _deletedPositions = [];

    public const string OutcomeBookmark = "consultation.outcome";
    public const string InvitationTimer = "consultation.invitation";
    public const string ReminderTimer = "consultation.reminder";

    public async Task<Paper> PaperOfAsync(WorkflowInstance instance, CancellationToken cancellationToken)
    {
        var paperId = Guid.Parse(instance.CorrelationId, CultureInfo.InvariantCulture);
        return db.Papers.FindTracked(paperId)
               ?? await db.Papers.GetAsync(paperId, cancellationToken);
    }

    /// <summary>The committee by its key, from the body's organizations this node holds (shared, for reading only).</summary>
    public async Task<Organization> CommitteeAsync(Paper paper, string key, string activityId, CancellationToken cancellationToken) =>
        (await organizations.OfAsync(db, paper.BodyId, cancellationToken)).Committee(key)
        ?? throw new WorkflowStateException($"The body of paper {paper.Reference} has no committee '{key}' (activity '{activityId}').");

    /// <summary>The latest planned meeting of the paper so far: the next consultation comes after it.</summary>
    public async Task<DateTimeOffset> NotBeforeAsync(Paper paper, DateTimeOffset now, CancellationToken cancellationToken) =>
        await LastMeetingStartAsync(paper, cancellationToken) is { } start && start > now ? start : now;

    public async Task<DateTimeOffset?> LastMeetingStartAsync(Paper paper, CancellationToken cancellationToken)
    {
        var consultations = await AllConsultationsAsync(paper.Id, cancellationToken);
        var meetingIds = consultations.Where(c => c.MeetingId != null && c.Status != ConsultationStatus.Skipped).Select(c => c.MeetingId!.Value).ToHashSet();
        if (meetingIds.Count == 0)
        {
            return null;
        }

        var starts = db.Meetings.Tracked().Where(m => meetingIds.Remove(m.Id)).Select(m => m.Start).ToList();
        if (meetingIds.Count > 0)
        {
            // Loaded whole and tracked, so the next question about them (and the step's answer) needs no round trip.
            starts.AddRange((await db.Meetings.Where(m => meetingIds.Contains(m.Id)).ToListAsync(cancellationToken)).Select(m => m.Start));
        }

        return starts.Max();
    }

    public async Task<Consultation> PlanAsync(
        ActivityExecutionContext context,
        Paper paper,
        Organization committee,
        string roleText,
        bool authoritative,
        DateTimeOffset notBefore,
        ConsultationBookmark bookmark,
        CancellationToken cancellationToken,
        bool withReminder = true)
    {
        var all = await AllConsultationsAsync(paper.Id, cancellationToken);

        // A step that came with an imported paper (no activity of ours planned it) is taken over, not planned twice;
        // it keeps its meeting while that is still ahead.
        var adopted = all.Where(c => c.ActivityId == null && c.OrganizationId == committee.Id && c.Status == ConsultationStatus.Planned)
            .OrderBy(c => c.Position).FirstOrDefault();
        var meeting = adopted?.MeetingId is { } adoptedMeetingId && await db.Meetings.GetAsync(adoptedMeetingId, cancellationToken) is { Cancelled: false } kept
                      && kept.Start >= notBefore
            ? kept
            : await meetings.FindNextAsync(committee, paper, notBefore, cancellationToken);
        // Soft-deleted steps (of an imported paper) keep their position, so a new one comes after them too.
        var position = Math.Max(all.Select(c => c.Position).DefaultIfEmpty(0).Max(), _deletedPositions.GetValueOrDefault(paper.Id)) + 1;
        var consultation = adopted ?? new Consultation
        {
            Id = Guid.CreateVersion7(context.Now),
            BodyId = paper.BodyId,
            PaperId = paper.Id,
            OrganizationId = committee.Id,
            MeetingId = meeting?.Id,
            Position = position,
            Role = Vocabulary.NormaliseRole(roleText),
            RoleText = roleText,
            Authoritative = authoritative,
            LateAddition = meeting?.AgendaLocked == true,
            ActivityId = context.Activity.Id,
            Created = context.Now,
            Modified = context.Now,
        };
        if (adopted is null)
        {
            db.Consultations.Add(consultation);
        }
        else
        {
            adopted.ActivityId = context.Activity.Id;
            adopted.MeetingId = meeting?.Id;
            adopted.Modified = context.Now;
            adopted.Revision++;
        }

        context.CreateBookmark(OutcomeBookmark, consultation.Id.ToString(), JsonSerializer.Serialize(bookmark, JsonSerializerOptions.Web));

        if (meeting is null)
        {
            context.Journal(JournalEventKind.ActivityExecuted,
                $"{committee.Name}: keine Sitzung, die die Fristen noch zulassen; die Beratung wartet auf einen Termin.");
            return consultation;
        }

        var body = await db.Bodies.GetAsync(paper.BodyId, cancellationToken);
        var zone = body.Zone;
        context.Journal(JournalEventKind.ActivityExecuted,
            $"{committee.Name}: eingeplant in die Sitzung am {BodyClock.LocalText(meeting.Start, zone)} ({roleText}).");
        foreach (var (kind, dueAt) in TimersOf(meeting, committee, paper, body, withReminder))
        {
            context.CreateTimer(kind, consultation.Id.ToString(), dueAt);
        }

        return consultation;
    }

    /// <summary>
    /// The timers of a consultation planned into a meeting: the invitation at the Ladungsfrist and the reminder the
    /// committee's reminder days before, in the body's local time. Planning and moving a meeting both set them from here.
    /// </summary>
    public static IEnumerable<(string Kind, DateTimeOffset DueAt)> TimersOf(Meeting meeting, Organization committee, Paper paper, Body body, bool withReminder = true)
    {
        yield return (InvitationTimer, Deadlines.InvitationDue(meeting, committee, paper, body));
        if (withReminder)
        {
            yield return (ReminderTimer, BodyClock.LocalDaysBefore(meeting.Start, committee.ReminderDaysBefore, body.Zone));
        }
    }

    /// <summary>
    /// The timer rows of <paramref name="consultation"/> in <paramref name="meeting"/> (<see cref="TimersOf"/>), for a use case
    /// that plans it outside a workflow step (an item or meeting moved, the Unterrichtung of an Eilentscheidung): keyed on the
    /// consultation, under its activity, in the paper's instance. The caller adds them to the unit of work and hands them to
    /// the scheduler after the commit. One initialiser, so all of them fire and are called off alike.
    /// </summary>
    public static List<WorkflowTimer> NewTimers(
        Guid instanceId, Consultation consultation, Meeting meeting, Organization committee, Paper paper, Body body, DateTimeOffset now, bool withReminder = true) =>
        TimersOf(meeting, committee, paper, body, withReminder).Select(t => new WorkflowTimer
        {
            Id = Guid.CreateVersion7(now),
            InstanceId = instanceId,
            ActivityId = consultation.ActivityId ?? "",
            Kind = t.Kind,
            Key = consultation.Id.ToString(),
            DueAt = t.DueAt,
            CreatedAt = now,
        }).ToList();

    /// <summary>
    /// Whether the consultation's step reminds the members (the Consultation activity's <c>reminder</c>, default true), as
    /// the definition version its paper's workflow runs on says. A moved meeting or agenda item plans the timers anew
    /// outside the step, and a step set not to remind must not start reminding then.
    /// </summary>
    public async Task<bool> RemindsAsync(Consultation consultation, Paper paper, CancellationToken cancellationToken)
    {
        if (paper.WorkflowInstanceId is not { } instanceId || consultation.ActivityId is not { Length: > 0 } activityId)
        {
            return true;
        }

        var instance = await db.WorkflowInstances.GetAsync(instanceId, cancellationToken);
        var definition = await definitions.FindPinnedAsync(instance.TenantId, instance.DefinitionId, instance.DefinitionVersion, cancellationToken);
        return definition?.Activities.FirstOrDefault(a => a.Id == activityId)?.GetBoolean(ConsultationActivity.ReminderProperty) ?? true;
    }

    /// <summary>Writes the outcome onto the consultation whose bookmark was resumed, and stops its pending timers.</summary>
    public async Task<Consultation> RecordAsync(ActivityExecutionContext context, Bookmark bookmark, OutcomeStimulus input, string actor, CancellationToken cancellationToken)
    {
        var consultationId = Guid.Parse(bookmark.Key, CultureInfo.InvariantCulture);
        var consultation = await db.Consultations.GetAsync(consultationId, cancellationToken);
        consultation.Outcome = input.Outcome;
        consultation.ResultText = input.ResultText;
        consultation.ResolutionText = input.ResolutionText;
        consultation.VotesFor = input.Tally?.For;
        consultation.VotesAgainst = input.Tally?.Against;
        consultation.Abstentions = input.Tally?.Abstentions;
        consultation.RecordedAt = context.Now;
        consultation.RecordedBy = actor;
        consultation.Modified = context.Now;
        consultation.Revision++;
        consultation.Status = input.Outcome switch
        {
            Outcome.Deferred or Outcome.RemovedFromAgenda => ConsultationStatus.Deferred,
            Outcome.Withdrawn => ConsultationStatus.Withdrawn,
            _ => ConsultationStatus.Done,
        };
        CancelPendingTimers(consultationId, $"Abgebrochen: Ergebnis erfasst am {context.Now:O}.");

        var committee = await db.Organizations.GetAsync(consultation.OrganizationId, cancellationToken);
        var meeting = consultation.MeetingId is { } meetingId ? await db.Meetings.GetAsync(meetingId, cancellationToken) : null;
        context.Journal(JournalEventKind.ActivityCompleted,
            $"{committee.Name}{(meeting is null ? "" : ", " + meeting.Start.ToString("O", CultureInfo.InvariantCulture))}: {input.ResultText}",
            input.Outcome.ToString());
        return consultation;
    }

    /// <summary>A consultation that will not take place any more (another hearing decided, the paper was withdrawn).</summary>
    public async Task SkipAsync(Consultation consultation, DateTimeOffset now, string reason, CancellationToken cancellationToken)
    {
        consultation.Status = ConsultationStatus.Skipped;
        consultation.ResultText = reason;
        consultation.Modified = now;
        consultation.Revision++;
        var key = consultation.Id.ToString();
        var bookmark = await db.Bookmarks.SingleOrDefaultAsync(b => b.Key == key && b.Name == OutcomeBookmark, cancellationToken);
        if (bookmark is not null)
        {
            db.Bookmarks.Remove(bookmark);
        }

        CancelPendingTimers(consultation.Id, reason);
    }

    /// <summary>The consultation's committee: as the unit of work holds it, else from the body's organizations this node holds.</summary>
    public async Task<Organization> CommitteeOfAsync(Consultation consultation, CancellationToken cancellationToken) =>
        db.Organizations.FindTracked(consultation.OrganizationId)
        ?? (await organizations.OfAsync(db, consultation.BodyId, cancellationToken)).Find(consultation.OrganizationId)
        ?? await db.Organizations.GetAsync(consultation.OrganizationId, cancellationToken);

    public async Task<Meeting?> MeetingOfAsync(Consultation consultation, CancellationToken cancellationToken) =>
        consultation.MeetingId is { } id ? await db.Meetings.GetAsync(id, cancellationToken) : null;

    /// <summary>
    /// Takes the paper's consultations (soft-deleted ones included) as a use case has read them, tracked, with another
    /// query: <see cref="AllConsultationsAsync"/> then reads them no more.
    /// </summary>
    public void Know(Guid paperId, IEnumerable<Consultation> all)
    {
        var rows = all.ToList();
        _deletedPositions[paperId] = rows.Where(c => c.Deleted).Select(c => c.Position).DefaultIfEmpty(0).Max();
        _loaded[paperId] = rows.Where(c => !c.Deleted).ToList();
    }

    /// <summary>The consultations of the paper, including those staged in this step and not yet saved.</summary>
    public async Task<List<Consultation>> AllConsultationsAsync(Guid paperId, CancellationToken cancellationToken)
    {
        // Read again only if the unit of work let go of what was read (a cleared change tracker after a conflict).
        if (!_loaded.TryGetValue(paperId, out var stored) || !db.Consultations.AreTracked(stored))
        {
            // With their meetings, tracked: the step asks for them next (the latest one, the answer's dates).
            var rows = new List<Consultation>();
            await foreach (var row in ConsultationsQuery.For(db)(db.Context, paperId).WithCancellation(cancellationToken))
            {
                rows.Add(row.Consultation);
            }

            Know(paperId, rows);
            stored = _loaded[paperId];
        }

        return stored.Concat(db.Consultations.Tracked().Where(c => c.PaperId == paperId && !c.Deleted)).DistinctBy(c => c.Id).ToList();
    }

    // Compiled: most use cases that plan read their paper's consultations (an outcome brings them with its first query).
    // IgnoreQueryFilters holds for the whole query, so deleted meetings are left out by hand.
    private static readonly CompiledQuery<Func<DbContext, Guid, IAsyncEnumerable<PaperConsultation>>> ConsultationsQuery = new(() => EF.CompileAsyncQuery(
        (DbContext db, Guid paperId) =>
            from c in db.Set<Consultation>().IgnoreQueryFilters()
            where c.PaperId == paperId
            join m in db.Set<Meeting>().IgnoreQueryFilters().Where(m => !m.Deleted) on c.MeetingId equals (Guid?)m.Id into meetings
            from m in meetings.DefaultIfEmpty()
            select new PaperConsultation(c, m)));

    /// <summary>
    /// The step an imported paper already took in this committee before it came here (imported with its result), which a
    /// workflow attached afterwards does not take again; null when there is none.
    /// </summary>
    public async Task<Consultation?> TakenBeforeAsync(Paper paper, Organization committee, CancellationToken cancellationToken) =>
        (await AllConsultationsAsync(paper.Id, cancellationToken))
        .Where(c => c.ActivityId == null && c.OrganizationId == committee.Id && c.Status == ConsultationStatus.Done && c.Outcome != null)
        .OrderBy(c => c.Position).FirstOrDefault();

    /// <summary>
    /// Calls off the consultation's invitation and reminder that have not fired yet, in the use case's transaction: the
    /// call-off commits or rolls back with the step (a timer's job that finds its row called off does nothing). It is
    /// written by the step's save, with the journal lines in one statement on PostgreSQL (a round trip less per outcome);
    /// timers added to this unit of work and not yet saved are not touched.
    /// </summary>
    public void CancelPendingTimers(Guid consultationId, string note) => db.CallOffPendingTimers(consultationId.ToString(), note);
}

/// <summary>What a consultation's bookmark waits for: the ordinary step, one hearing of several, or a referral that returns.</summary>
public sealed record ConsultationBookmark(string Kind, string? ReturnTo = null)
{
    public const string Ordinary = "consultation";
    public const string Hearing = "hearing";
    public const string Referral = "referral";

    public static ConsultationBookmark Read(Bookmark bookmark) =>
        bookmark.Payload is { Length: > 0 } json
            ? JsonSerializer.Deserialize<ConsultationBookmark>(json, JsonSerializerOptions.Web) ?? new ConsultationBookmark(Ordinary)
            : new ConsultationBookmark(Ordinary);
}

/// <summary>The stimulus of a consultation's bookmark: the recorded outcome (and, for "verwiesen", where to).</summary>
public sealed record OutcomeStimulus(Outcome Outcome, string ResultText, string? ResolutionText, string? ReferTo = null)
{
    public VoteTally? Tally { get; init; }
}

/// <summary>Yes, no and abstentions of a vote.</summary>
public sealed record VoteTally(int For, int Against, int Abstentions);

/// <summary>A council activity that waits for consultation outcomes, and says which it can take now.</summary>
public interface IOutcomeActivity
{
    IReadOnlyCollection<Outcome> AcceptedOutcomes(Engine.Definitions.WorkflowDefinition definition, Engine.Definitions.ActivityDefinition activity, Bookmark bookmark);
}

/// <summary>One of a paper's consultations, soft-deleted ones included, read with its meeting (so both are tracked).</summary>
public sealed record PaperConsultation(Consultation Consultation, Meeting? Meeting);
