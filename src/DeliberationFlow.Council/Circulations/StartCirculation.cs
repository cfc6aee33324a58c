using System.Globalization;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Council.Timers;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeliberationFlow.Council.Circulations;

/// <summary>
/// The proposed resolution (Beschlussvorschlag) and the Frist: a local date and time of the body ("2021-05-12T12:00"), or a
/// date alone, which means the end of that day.
/// </summary>
public sealed record StartCirculationRequest(string? ResolutionText, string? Deadline);

/// <summary>
/// Starts an Umlaufverfahren (§ 78(3) NKomVG) for a consultation the Verwaltungsausschuss (a committee classified
/// "Hauptausschuss") has yet to decide: the committee's secretary or an admin proposes the resolution and sets the Frist, at
/// least a day ahead. A consultation on the draft agenda of a meeting not yet begun is taken off it (its invitation and
/// reminder called off); one on a fixed or sent agenda, or in a meeting under way, is decided there. The voting members
/// on the day (a full seat with voting right, as the quorum counts them) are asked, each by mail through the outbox; the
/// Frist is a timer row, so it survives restarts and fires once, and so is the reminder before it
/// (<see cref="CirculationOptions.ReminderBefore"/>). One transaction holds it all.
/// </summary>
public sealed class StartCirculation(
    ICouncilDb db,
    PaperReader reader,
    RecordOutcome outcomes,
    AgendaDraft draft,
    CirculationSteps steps,
    CirculationNotices notices,
    ITimerScheduler timers,
    IOutboxSignal outbox,
    IOptions<CirculationOptions> options,
    TimeProvider clock,
    ILogger<StartCirculation> logger)
{
    /// <summary>How far ahead the Frist must be at least: the members need the time to read and answer.</summary>
    public static readonly TimeSpan MinimumNotice = TimeSpan.FromDays(1);

    public async Task<CirculationView> HandleAsync(
        Caller caller, Guid consultationId, StartCirculationRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (view, created) = await db.InTransactionAsync(logger, $"The Umlaufverfahren for consultation {consultationId}",
            ct => StartAsync(caller, consultationId, request, now, ct), cancellationToken);
        await timers.ScheduleAsync(created, cancellationToken);
        outbox.MessagesQueued();
        return view;
    }

    /// <summary>
    /// Who may start it and the input are checked here, on the rows the step goes on with: read once, in the transaction,
    /// rather than once before it to check and again inside to change. A refused request rolls back having written nothing.
    /// </summary>
    private async Task<(CirculationView View, List<WorkflowTimer> Timers)> StartAsync(
        Caller caller, Guid consultationId, StartCirculationRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var consultation = await db.Consultations.SingleOrDefaultAsync(c => c.Id == consultationId && c.BodyId == caller.BodyId, cancellationToken);
        var paper = consultation is null ? null : await db.Papers.SingleOrDefaultAsync(p => p.Id == consultation.PaperId, cancellationToken);
        if (consultation is null || paper is null || !await reader.MaySeeAsync(caller, paper, cancellationToken))
        {
            throw new NotFoundException($"No consultation with id {consultationId}.");
        }

        var committee = await db.Organizations.GetAsync(consultation.OrganizationId, cancellationToken);
        if (!caller.MayRecordFor(committee.Id))
        {
            throw new ForbiddenException($"Only the secretaries of '{committee.Name}' and admins start an Umlaufverfahren for it.");
        }

        var body = await db.Bodies.GetAsync(paper.BodyId, cancellationToken);
        var (resolution, deadline) = Validate(request, committee, body.Zone, now);
        if (consultation.Status != ConsultationStatus.Planned)
        {
            throw new ConflictException(
                $"The consultation in '{committee.Name}' is already {Vocabulary.Label(consultation.Status)} ({consultation.ResultText}); there is nothing left to decide by Umlaufverfahren.");
        }

        if (await db.Circulations.AnyAsync(c => c.ConsultationId == consultationId && c.Status == CirculationStatus.Open, cancellationToken))
        {
            throw new ConflictException($"An Umlaufverfahren for this consultation is under way already; cancel it first to start another.");
        }

        var key = consultationId.ToString();
        var bookmark = await db.Bookmarks.AsNoTracking().SingleOrDefaultAsync(b => b.Key == key && b.Name == ConsultationPlanner.OutcomeBookmark, cancellationToken);
        if (bookmark is null || paper.WorkflowInstanceId is not { } instanceId)
        {
            throw new ConflictException("The paper's workflow is not waiting for this consultation's outcome, so no Umlaufverfahren can decide it.");
        }

        var accepted = await outcomes.AcceptedOutcomesAsync(bookmark, cancellationToken);
        var missing = new[] { Outcome.Adopted, Outcome.Rejected }.Where(o => !accepted.Contains(o)).ToList();
        if (missing.Count > 0)
        {
            throw new ConflictException(
                $"The paper's workflow has no path for {string.Join(" or ", missing)} at this consultation, which an Umlaufverfahren may end with; decide it in a meeting.");
        }

        var created = new List<WorkflowTimer>();
        if (consultation.MeetingId is { } meetingId)
        {
            await TakeOffDraftAgendaAsync(caller, consultation, paper, committee, body, meetingId, now, cancellationToken);
        }

        // The members as the quorum counts them (MeetingAttendance): one seat per person on the day, a full seat with
        // voting right. Deputies are not asked: in an Umlaufverfahren every member answers for themself.
        var day = BodyClock.LocalDay(now, body.Zone);
        var seats = await (from membership in db.Memberships.AsNoTracking()
                           join person in db.Persons.AsNoTracking() on membership.PersonId equals person.Id
                           where membership.OrganizationId == committee.Id
                           select new { membership, person }).ToListAsync(cancellationToken);
        var members = Seats.OnePerPerson(seats, day, s => s.membership)
            .Where(s => s.membership.VotingRight && !s.membership.IsDeputy).Select(s => s.person).ToList();
        if (members.Count == 0)
        {
            throw new ConflictException($"'{committee.Name}' has no voting members on {day:dd.MM.yyyy}; nobody could answer an Umlaufverfahren.");
        }

        var circulation = new Circulation
        {
            Id = Guid.CreateVersion7(now),
            BodyId = body.Id,
            PaperId = paper.Id,
            ConsultationId = consultation.Id,
            OrganizationId = committee.Id,
            ResolutionText = resolution,
            Deadline = deadline,
            StartedAt = now,
            StartedBy = caller.UserName,
        };
        circulation.Votes.AddRange(members.Select(p => new CirculationVote { CirculationId = circulation.Id, PersonId = p.Id, Name = p.Name }));
        db.Circulations.Add(circulation);

        // The Frist's timer and, when the Frist is far enough ahead, the reminder's: both keyed by the circulation, so ending
        // it calls off whichever is still pending.
        WorkflowTimer Timer(string kind, DateTimeOffset dueAt) => new()
        {
            Id = Guid.CreateVersion7(now),
            InstanceId = instanceId,
            ActivityId = consultation.ActivityId ?? "",
            Kind = kind,
            Key = circulation.Id.ToString(),
            DueAt = dueAt,
            CreatedAt = now,
        };

        created.Add(Timer(CirculationSteps.DeadlineTimer, deadline));
        if (options.Value.ReminderDue(now, deadline) is { } remindAt)
        {
            created.Add(Timer(CirculationSteps.ReminderTimer, remindAt));
        }

        db.Timers.AddRange(created);

        var queued = await notices.QueueRequestAsync(circulation, committee, paper, consultation, body, now, cancellationToken);
        steps.Journal(paper, consultation, caller.UserName, now,
            $"{committee.Name}: Umlaufverfahren begonnen, Frist {BodyClock.LocalText(deadline, body.Zone)}; gefragt: {string.Join(", ", members.Select(m => m.Name))}.");
        if (queued.Count > 0)
        {
            db.Journal.Add(new JournalEntry
            {
                InstanceId = instanceId, Timestamp = now, Kind = JournalEventKind.NotificationQueued, ActivityId = consultation.ActivityId, Actor = caller.UserName,
                Message = $"Umlaufverfahren an {string.Join(", ", queued.Select(n => $"{n.RecipientName} <{n.RecipientAddress}>"))}.",
            });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            throw new ConflictException("Another Umlaufverfahren for this consultation was started at the same moment; reload and check.");
        }

        return (await steps.ViewAsync(caller, circulation, cancellationToken), created);
    }

    /// <summary>
    /// A consultation planned into a meeting leaves it, as an item taken off the draft agenda does; a fixed or sent agenda,
    /// or a meeting begun, keeps it (there the committee decides, or takes it off with 'abgesetzt').
    /// </summary>
    private async Task TakeOffDraftAgendaAsync(
        Caller caller, Consultation consultation, Paper paper, Organization committee, Body body, Guid meetingId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.GetAsync(meetingId, cancellationToken);
        var when = AgendaDraft.LocalTime(meeting.Start, body);
        if (!meeting.Cancelled && meeting.Start <= now)
        {
            throw new ConflictException($"The meeting of '{committee.Name}' on {when} has begun and has this paper on its agenda; decide it there.");
        }

        // Claimed as an agenda change claims it (AgendaDraft.BeginDraftChangeAsync): an invitation or a fixing committed
        // meanwhile turns this into a 409, one in flight waits for this transaction.
        var stillDraft = meeting.Cancelled || await db.Meetings
            .Where(m => m.Id == meetingId && m.AgendaLockedAt == null && m.State == MeetingState.Scheduled && !m.Cancelled)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Modified, m => m.Modified), cancellationToken) == 1;
        if (!stillDraft)
        {
            throw new ConflictException(
                $"The paper is on the agenda of the meeting of '{committee.Name}' on {when}, which is fixed or sent to the members; decide it there, or take it off " +
                $"there by recording '{Outcome.RemovedFromAgenda}' (abgesetzt) before starting an Umlaufverfahren.");
        }

        await draft.MoveAsync(consultation, paper, committee, null, body, now, $"Abgebrochen am {now:O}: Umlaufverfahren begonnen.", cancellationToken);
        steps.Journal(paper, consultation, caller.UserName, now, $"{committee.Name}: von der Tagesordnung der Sitzung am {when} genommen, für das Umlaufverfahren.");
    }

    private static (string Resolution, DateTimeOffset Deadline) Validate(StartCirculationRequest request, Organization committee, TimeZoneInfo zone, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        if (!committee.MeetsInPrivate)
        {
            errors.Add("committee",
                $"'{committee.Name}' is classified '{committee.Classification ?? "(none)"}'; only a Hauptausschuss (the Verwaltungsausschuss) may decide by Umlaufverfahren (§ 78(3) NKomVG).");
        }

        errors.Required("resolutionText", request.ResolutionText);
        errors.MaxLength("resolutionText", request.ResolutionText, OutcomeInput.MaxResolutionTextLength, "The proposed resolution");

        DateTimeOffset deadline = default;
        if (string.IsNullOrWhiteSpace(request.Deadline))
        {
            errors.Add("deadline", "Give the Frist as a local date and time of the body, e.g. \"2021-05-12T12:00\", or a date (the end of that day).");
        }
        else if (DateOnly.TryParseExact(request.Deadline.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            if (errors.PlausibleYear("deadline", date.Year, "2021-05-12"))
            {
                deadline = BodyClock.FromLocal(date.ToDateTime(new TimeOnly(23, 59)), zone);
            }
        }
        else if (!BodyClock.TryParseLocal(request.Deadline, zone, out var local))
        {
            errors.Add("deadline", $"'{request.Deadline}' is not a date and time; give the Frist as e.g. \"2021-05-12T12:00\".");
        }
        else if (BodyClock.IsSkipped(local, zone))
        {
            errors.Add("deadline", BodyClock.SkippedTimeMessage(local, zone));
        }
        else if (errors.PlausibleYear("deadline", local.Year, "2021-05-12T12:00"))
        {
            deadline = BodyClock.FromLocal(local, zone);
        }

        if (deadline != default && deadline < now + MinimumNotice)
        {
            errors.Add("deadline",
                $"The Frist {BodyClock.LocalText(deadline, zone)} is less than a day ahead (now {BodyClock.LocalText(now, zone)}); give the members at least until {BodyClock.LocalText(now + MinimumNotice, zone)}.");
        }

        errors.ThrowIfAny();
        return (request.ResolutionText!.Trim(), deadline);
    }
}
