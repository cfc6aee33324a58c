using System.Globalization;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Circulations;

/// <summary>
/// A circulation as the API shows it. <see cref="Tally"/> and <see cref="Votes"/> (each member's answer) are for the
/// committee's secretaries and the admins while it is open; a member sees their own answer, how many have answered and,
/// once it has ended, the tally.
/// </summary>
public sealed record CirculationView(
    Guid Id,
    Guid ConsultationId,
    Guid PaperId,
    string PaperReference,
    string PaperName,
    OrganizationRef Committee,
    string Status,
    string StatusLabel,
    string ResolutionText,
    DateTimeOffset Deadline,
    string DeadlineText,
    DateTimeOffset StartedAt,
    string StartedBy,
    DateTimeOffset? EndedAt,
    string? EndReason,
    int Members,
    int Answered,
    CirculationTallyView? Tally,
    string? MyAnswer,
    bool MayAnswer,
    bool MayManage,
    IReadOnlyList<CirculationVoteView> Votes);

public sealed record CirculationTallyView(int For, int Against, int Abstentions, int Objections);

/// <summary>What a circulation's view shows of its paper.</summary>
public sealed record CirculationPaper(Guid Id, string Reference, string Name);

public sealed record CirculationVoteView(Guid PersonId, string Name, string? Answer, DateTimeOffset? AnsweredAt);

/// <summary>
/// What the circulation use cases (start, answer, cancel, the deadline's timer, read) share: who may see and manage one,
/// how it ends without a decision (the consultation goes back to the committee's meetings), the journal, and its view.
/// The Verwaltungsausschuss sits in private (§ 78(2) NKomVG): a circulation reaches only its members, the committee's
/// secretaries and the admins; to anyone else, of the body or not, it does not exist.
/// </summary>
public sealed class CirculationSteps(ICouncilDb db, MeetingPlanner meetings, AgendaDraft draft, CirculationNotices notices)
{
    /// <summary>The actor of what the circulation does by itself (recording the decision), in the journal and as RecordedBy.</summary>
    public const string Actor = "Umlaufverfahren";

    public const string DeadlineTimer = "circulation.deadline";

    /// <summary>The reminder before the Frist; keyed by the circulation as the deadline's timer is, so ending it calls off both.</summary>
    public const string ReminderTimer = "circulation.reminder";

    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>The committee's secretaries and the admins start, cancel and read every answer.</summary>
    public static bool MayManage(Caller caller, Circulation circulation) => caller.BodyId == circulation.BodyId && caller.MayRecordFor(circulation.OrganizationId);

    public static bool IsMember(Caller caller, Circulation circulation) =>
        caller.BodyId == circulation.BodyId && caller.PersonId is { } personId && circulation.Votes.Any(v => v.PersonId == personId);

    public static string Label(CirculationStatus status) => status switch
    {
        CirculationStatus.Open => "offen",
        CirculationStatus.Decided => "abgeschlossen",
        CirculationStatus.Failed => "gescheitert",
        _ => "abgebrochen",
    };

    public static string Label(CirculationAnswer answer) => answer switch
    {
        CirculationAnswer.For => "Zustimmung",
        CirculationAnswer.Against => "Ablehnung",
        CirculationAnswer.Abstention => "Enthaltung",
        _ => "Widerspruch gegen das Umlaufverfahren",
    };

    /// <summary>
    /// The consultation's circulation the caller may see: the open one, else the one started last; a 404 when there is none
    /// or the caller is neither its member nor the committee's secretary or an admin (a non-public matter is not hinted at).
    /// </summary>
    public async Task<Circulation> FindVisibleAsync(Caller caller, Guid consultationId, bool tracked, CancellationToken cancellationToken)
    {
        var query = db.Circulations.Include(c => c.Votes).Where(c => c.ConsultationId == consultationId && c.BodyId == caller.BodyId);
        if (!tracked)
        {
            query = query.AsNoTracking();
        }

        var circulation = await query.OrderBy(c => c.Status == CirculationStatus.Open ? 0 : 1).ThenByDescending(c => c.StartedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (circulation is null || !(MayManage(caller, circulation) || IsMember(caller, circulation)))
        {
            throw new NotFoundException($"No Umlaufverfahren for consultation {consultationId}.");
        }

        return circulation;
    }

    /// <summary>
    /// Takes the circulation's row until the transaction ends, while it is open: answers, the deadline and a cancellation then
    /// take turns, so the last answer sees every other and closes it once. False when it has ended meanwhile.
    /// </summary>
    public async Task<bool> TakeOpenAsync(Guid circulationId, CancellationToken cancellationToken) =>
        await db.Circulations.Where(c => c.Id == circulationId && c.Status == CirculationStatus.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, c => c.Status), cancellationToken) == 1;

    /// <summary>
    /// Ends an open circulation without a decision: failed (an objection, the deadline) or cancelled. Its deadline timer is
    /// called off; a consultation still planned goes to the committee's next meeting the deadlines allow (or waits for one),
    /// as a paper taken off a draft agenda does; a failed one is told to the committee's secretaries. Returns the timers of
    /// the new meeting, for the scheduler after the commit.
    /// </summary>
    public async Task<IReadOnlyList<WorkflowTimer>> EndWithoutDecisionAsync(
        Circulation circulation, CirculationStatus status, string reason, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        (circulation.Status, circulation.EndedAt, circulation.EndedBy, circulation.EndReason) = (status, now, actor, Texts.Cut(reason, 1000));
        db.CallOffPendingTimers(circulation.Id.ToString(), $"Abgebrochen am {now:O}: Umlaufverfahren {Label(status)}.");
        var consultation = await db.Consultations.GetAsync(circulation.ConsultationId, cancellationToken);
        var paper = await db.Papers.GetAsync(circulation.PaperId, cancellationToken);
        var committee = await db.Organizations.GetAsync(circulation.OrganizationId, cancellationToken);
        var body = await db.Bodies.GetAsync(circulation.BodyId, cancellationToken);
        if (consultation.Status != ConsultationStatus.Planned)
        {
            Journal(paper, consultation, actor, now, $"{committee.Name}: Umlaufverfahren {Label(status)}. {reason}");
            await notices.QueueEndedAsync(circulation, committee, paper, consultation, body, now, cancellationToken);
            return [];
        }

        var next = await meetings.FindNextAsync(committee, paper, now, cancellationToken);
        consultation.LateAddition = next?.AgendaLocked == true;
        var created = await draft.MoveAsync(consultation, paper, committee, next, body, now, $"Umlaufverfahren {Label(status)} am {now:O}.", cancellationToken);
        var where = next is null ? "noch ohne Termin" : $"jetzt in der Sitzung am {AgendaDraft.LocalTime(next.Start, body)}";
        Journal(paper, consultation, actor, now, $"{committee.Name}: Umlaufverfahren {Label(status)}. {reason} Beratung {where}.");
        if (status == CirculationStatus.Failed)
        {
            await notices.QueueFailedAsync(circulation, committee, paper, body, next, now, cancellationToken);
        }

        await notices.QueueEndedAsync(circulation, committee, paper, consultation, body, now, cancellationToken);
        return created;
    }

    /// <summary>
    /// An outcome is recorded for the consultation otherwise (through the API: in a meeting, or the paper withdrawn) while a
    /// circulation for it is open: the circulation is called off in the same transaction, with the outcome as its reason,
    /// its timers with it, a line in the journal and the members told; it has nothing left to decide. Takes the row as an
    /// answer does, so an answer waits for this step (and then finds it ended) or this step for the answer.
    /// </summary>
    public async Task CloseForOutcomeAsync(
        Consultation consultation, Paper paper, Organization committee, Body body, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Called when the step's query saw one open; taken with a conditional update, so an answer deciding it at the same
        // moment and this outcome do not both end it.
        var open = db.Circulations.Where(c => c.ConsultationId == consultation.Id && c.Status == CirculationStatus.Open);
        if (await open.ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, c => c.Status), cancellationToken) == 0)
        {
            return;
        }

        var circulation = await open.Include(c => c.Votes).SingleAsync(cancellationToken);
        var reason = $"Ergebnis erfasst von {actor}: {consultation.ResultText}.";
        (circulation.Status, circulation.EndedAt, circulation.EndedBy, circulation.EndReason) = (CirculationStatus.Cancelled, now, actor, Texts.Cut(reason, 1000));
        db.CallOffPendingTimers(circulation.Id.ToString(), $"Abgebrochen am {now:O}: Umlaufverfahren {Label(CirculationStatus.Cancelled)}, Ergebnis erfasst.");
        Journal(paper, consultation, actor, now, $"{committee.Name}: Umlaufverfahren {Label(CirculationStatus.Cancelled)}. {reason}");
        await notices.QueueEndedAsync(circulation, committee, paper, consultation, body, now, cancellationToken);
    }

    /// <summary>A line in the paper's journal (its timeline for secretaries and admins), when a workflow instance carries the paper.</summary>
    public void Journal(Paper paper, Consultation consultation, string actor, DateTimeOffset now, string message)
    {
        if (paper.WorkflowInstanceId is { } instanceId)
        {
            db.Journal.Add(new JournalEntry
            {
                InstanceId = instanceId, Timestamp = now, Kind = JournalEventKind.ActivityExecuted, ActivityId = consultation.ActivityId,
                Actor = actor, Message = message,
            });
        }
    }

    public async Task<CirculationView> ViewAsync(Caller caller, Circulation circulation, CancellationToken cancellationToken)
    {
        var paper = await db.Papers.AsNoTracking().IgnoreQueryFilters().Where(p => p.Id == circulation.PaperId)
            .Select(p => new CirculationPaper(p.Id, p.Reference, p.Name)).SingleAsync(cancellationToken);
        var committee = await db.Organizations.AsNoTracking().IgnoreQueryFilters().SingleAsync(o => o.Id == circulation.OrganizationId, cancellationToken);
        var zone = (await db.Bodies.AsNoTracking().SingleAsync(b => b.Id == circulation.BodyId, cancellationToken)).Zone;
        return View(caller, circulation, paper, new OrganizationRef(committee.Id, committee.Key, committee.Name), zone);
    }

    /// <summary>The view from rows read already: a list reads the papers, committees and the body's zone once for all its entries.</summary>
    public static CirculationView View(Caller caller, Circulation circulation, CirculationPaper paper, OrganizationRef committee, TimeZoneInfo zone)
    {
        var manages = MayManage(caller, circulation);
        var mine = caller.PersonId is { } personId ? circulation.Votes.FirstOrDefault(v => v.PersonId == personId) : null;
        var votes = circulation.Votes;
        var tally = new CirculationTallyView(
            votes.Count(v => v.Answer == CirculationAnswer.For), votes.Count(v => v.Answer == CirculationAnswer.Against),
            votes.Count(v => v.Answer == CirculationAnswer.Abstention), votes.Count(v => v.Answer == CirculationAnswer.Objection));
        return new CirculationView(
            circulation.Id, circulation.ConsultationId, paper.Id, paper.Reference, paper.Name, committee,
            circulation.Status.ToString(), Label(circulation.Status), circulation.ResolutionText, circulation.Deadline,
            BodyClock.LocalText(circulation.Deadline, zone), circulation.StartedAt, circulation.StartedBy, circulation.EndedAt, circulation.EndReason,
            votes.Count, votes.Count(v => v.Answer is not null),
            manages || circulation.Status != CirculationStatus.Open ? tally : null,
            mine?.Answer?.ToString(),
            mine is not null && mine.Answer is null && circulation.Status == CirculationStatus.Open,
            manages,
            manages
                ? votes.OrderBy(v => v.Name, StringComparer.Create(German, false)).Select(v => new CirculationVoteView(v.PersonId, v.Name, v.Answer?.ToString(), v.AnsweredAt)).ToList()
                : []);
    }
}
