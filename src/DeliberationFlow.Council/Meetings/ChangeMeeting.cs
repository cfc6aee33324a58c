using System.Globalization;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Timers;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Meetings;

/// <summary>
/// Cancel a meeting, move it to another start (local date and time of the body, e.g. "2021-05-06T15:00"), or mark it
/// held once its minutes are released (OParl: durchgeführt).
/// </summary>
public sealed record ChangeMeetingRequest(string? Action, string? NewStart, string? Reason);

public sealed record MeetingChangeReport(MeetingView Meeting, IReadOnlyList<string> Replanned);

/// <summary>
/// Cancels or moves a meeting. The consultations planned into a cancelled meeting go to the committee's next
/// meeting the deadlines allow; those of a moved meeting move with it. Their pending invitation and reminder
/// timers are called off and set anew, the committee's members are told, and each affected paper's journal and
/// lead office learn of it — all in one transaction.
/// </summary>
public sealed class ChangeMeeting(
    ICouncilDb db, MeetingPlanner planner, ConsultationPlanner consultationPlanner, ITimerScheduler timers, IOutboxSignal outbox, TimeProvider clock,
    NotificationRecipients recipients, Notifications.Templates.MailRenderer renderer, MailIdentity sender, MailLinks links, ILogger<ChangeMeeting> logger)
{
    public async Task<MeetingChangeReport> HandleAsync(Caller caller, Guid meetingId, ChangeMeetingRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var body = await db.Bodies.GetAsync(caller.BodyId, cancellationToken);
        var errors = new ValidationErrors();
        if (request.Action is "cancel" or "move")
        {
            errors.Required("reason", request.Reason);
            errors.MaxLength("reason", request.Reason, InputLimits.MaxReasonLength, "The reason, which is mailed to every member,");
        }

        DateTimeOffset? newStart = null;
        if (request.Action == "move")
        {
            if (!BodyClock.TryParseLocal(request.NewStart, body.Zone, out var local))
            {
                errors.Add("newStart", "Give the new start as a local date and time, e.g. \"2021-05-06T15:00\".");
            }
            else if (BodyClock.IsSkipped(local, body.Zone))
            {
                // Typed by a person: moving it on silently would invite the members to a time they never saw.
                errors.Add("newStart", BodyClock.SkippedTimeMessage(local, body.Zone));
            }
            else if (errors.PlausibleYear("newStart", local.Year, "2021-05-06T15:00"))
            {
                newStart = BodyClock.FromLocal(local, body.Zone);
                if (newStart <= now)
                {
                    errors.Add("newStart", "A meeting can only be moved to a time still ahead.");
                }
            }
        }
        else if (request.Action is not ("cancel" or "held"))
        {
            errors.Add("action", "Use \"cancel\", \"move\" or \"held\".");
        }

        errors.ThrowIfAny();
        if (request.Action == "held")
        {
            return await MarkHeldAsync(caller, meetingId, now, cancellationToken);
        }

        var (meeting, committee, created, replanned) = await db.InTransactionAsync(logger, $"Changing meeting {meetingId}", async cancellationToken =>
        {
            var created = new List<WorkflowTimer>();
            var replanned = new List<string>();
            var committeeId = await db.Meetings.Where(m => m.Id == meetingId && m.BodyId == caller.BodyId).Select(m => (Guid?)m.OrganizationId).SingleOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException($"No meeting with id {meetingId}.");
            // Before the meeting is read and its new day checked: two moves onto one day, or a move and meetings being
            // added there, take turns, and the second sees the first one's meeting (see ScheduleMeetings.TakeCalendarAsync).
            await ScheduleMeetings.TakeCalendarAsync(db, committeeId, cancellationToken);
            var meeting = await db.Meetings.SingleAsync(m => m.Id == meetingId, cancellationToken);
            var committee = await db.Organizations.GetAsync(meeting.OrganizationId, cancellationToken);
            if (!caller.MayRecordFor(committee.Id))
            {
                throw new ForbiddenException($"You may change meetings only of your own committees; '{committee.Name}' is not one of them.");
            }

            if (meeting.Cancelled || meeting.State == MeetingState.Held || meeting.Start <= now)
            {
                throw new ConflictException("The meeting is cancelled, held or under way already; it cannot be changed any more.");
            }

            if (newStart is { } wanted)
            {
                await RefuseASecondMeetingOnTheDayAsync(meeting, committee, wanted, body, cancellationToken);
            }

            var oldStart = meeting.Start;
            meeting.ChangeReason = request.Reason!.Trim();
            meeting.Modified = now;
            if (newStart is { } start)
            {
                meeting.Start = start;
                meeting.End = meeting.End is { } end ? start + (end - oldStart) : null;
            }
            else
            {
                meeting.Cancelled = true;
            }

            await db.SaveChangesAsync(cancellationToken);
            var consultations = await db.Consultations.Where(c => c.MeetingId == meeting.Id && c.Status == ConsultationStatus.Planned).ToListAsync(cancellationToken);
            foreach (var consultation in consultations)
            {
                var paper = await db.Papers.GetAsync(consultation.PaperId, cancellationToken);
                var target = newStart is null ? await planner.FindNextAsync(committee, paper, oldStart, cancellationToken) : meeting;
                if (target?.Id != meeting.Id)
                {
                    // Into another meeting (the next one, for a cancelled meeting) as planning puts it there: after its
                    // items, and as a Nachtrag when that agenda is fixed or invited already. The place it had on the
                    // cancelled agenda would otherwise put it before the items the invitation numbered Ö 1, Ö 2 ….
                    consultation.AgendaOrder = null;
                    consultation.LateAddition = target?.AgendaLocked == true;
                }

                consultation.MeetingId = target?.Id;
                consultation.Modified = now;
                consultation.Revision++;
                consultationPlanner.CancelPendingTimers(consultation.Id, $"Abgebrochen am {now:O}: die Sitzung wurde geändert.");
                var where = target is null ? "noch ohne Termin" : BodyClock.LocalText(target.Start, body.Zone);
                if (target is not null)
                {
                    created.AddRange(ConsultationPlanner.NewTimers(paper.WorkflowInstanceId!.Value, consultation, target, committee, paper, body, now,
                        await consultationPlanner.RemindsAsync(consultation, paper, cancellationToken)));
                }

                var line = $"{paper.Reference}: {committee.Name} {(newStart is null ? "fällt aus" : "verlegt")}; Beratung jetzt {where}.";
                replanned.Add(line);
                if (paper.WorkflowInstanceId is { } instanceId)
                {
                    db.Journal.Add(new JournalEntry
                    {
                        InstanceId = paper.WorkflowInstanceId!.Value, Timestamp = now, Kind = JournalEventKind.ActivityExecuted, ActivityId = consultation.ActivityId,
                        Actor = caller.UserName, Message = $"{line} Grund: {meeting.ChangeReason}",
                    });
                }

                await NotifyLeadOfficeAsync(paper, committee, where, meeting, oldStart, body, now, cancellationToken);
            }

            await NotifyMembersAsync(committee, meeting, oldStart, body, now, cancellationToken);
            db.Timers.AddRange(created);
            await db.SaveChangesAsync(cancellationToken);
            return (meeting, committee, created, replanned);
        }, cancellationToken);

        await timers.ScheduleAsync(created, cancellationToken);
        outbox.MessagesQueued();
        return new MeetingChangeReport(
            MeetingView.Of(meeting, committee),
            replanned);
    }

    /// <summary>
    /// A committee meets at most once a day: adding meetings skips a day that has one (<see cref="ScheduleMeetings"/>),
    /// and a move onto such a day is refused the same way, naming the field. A move cannot be skipped like a day of a
    /// series, and two meetings on one day would split the papers between two agendas and two invitations for the same
    /// afternoon. A cancelled meeting does not count (its day is free again, as for adding); the meeting itself neither,
    /// so it may move to another time of its own day. Checked before anything changes, so a refused move sends no notice
    /// and moves no timer.
    /// </summary>
    private async Task RefuseASecondMeetingOnTheDayAsync(Meeting meeting, Organization committee, DateTimeOffset newStart, Body body, CancellationToken cancellationToken)
    {
        var day = BodyClock.LocalDay(newStart, body.Zone);
        // A local day lies within a day (and the hour DST adds) of any instant on it; the day itself is told in the body's zone.
        var (from, until) = (newStart.AddHours(-26), newStart.AddHours(26));
        var sameDay = (await db.Meetings.AsNoTracking()
                .Where(m => m.OrganizationId == committee.Id && m.Id != meeting.Id && !m.Cancelled && m.Start >= from && m.Start <= until)
                .Select(m => m.Start).ToListAsync(cancellationToken))
            .Where(start => BodyClock.LocalDay(start, body.Zone) == day)
            .Order().ToList();
        if (sameDay.Count > 0)
        {
            throw RequestValidationException.For("newStart",
                $"The {committee.Name} meets on {day.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)} already (at {BodyClock.ToLocal(sameDay[0], body.Zone).ToString("HH:mm", CultureInfo.InvariantCulture)}); " +
                "a committee has one meeting a day. Choose another day, or plan the papers into that meeting.");
        }
    }

    private async Task<MeetingChangeReport> MarkHeldAsync(Caller caller, Guid meetingId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.SingleOrDefaultAsync(m => m.Id == meetingId && m.BodyId == caller.BodyId, cancellationToken)
            ?? throw new NotFoundException($"No meeting with id {meetingId}.");
        var committee = await db.Organizations.GetAsync(meeting.OrganizationId, cancellationToken);
        if (!caller.MayRecordFor(committee.Id))
        {
            throw new ForbiddenException($"You may change meetings only of your own committees; '{committee.Name}' is not one of them.");
        }

        if (meeting.Cancelled || meeting.Start > now)
        {
            throw new ConflictException("Only a meeting that took place can be marked held (durchgeführt).");
        }

        meeting.State = MeetingState.Held;
        meeting.Modified = now;
        await db.SaveChangesAsync(cancellationToken);
        return new MeetingChangeReport(
            MeetingView.Of(meeting, committee),
            []);
    }

    private async Task NotifyLeadOfficeAsync(
        Paper paper, Organization committee, string replannedTo, Meeting meeting, DateTimeOffset oldStart, Body body, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var office = paper.LeadOfficeId is { } id ? await db.Organizations.GetAsync(id, cancellationToken) : null;
        if (office?.Email is null)
        {
            return;
        }

        var model = Model(MailModels.Recipient(office.Name, office.Email, "Federführung"), committee, meeting, oldStart, body, MailLanguages.German);
        model["paper"] = MailModels.Paper(paper, links);
        model["replannedTo"] = replannedTo;
        var mail = await renderer.RenderAsync(body, Notifications.Templates.MailKinds.MeetingChange, MailLanguages.German, model, cancellationToken);
        db.OutboxMessages.Add(Notices.Create(Notifications.Templates.MailKinds.MeetingChange,
            $"meeting-change:{meeting.Id}:{meeting.Modified.UtcTicks}:{paper.Id}", body.Id, office.Email, office.Name, mail, paper.Id, now));
    }

    /// <summary>
    /// Every member of the old date is told (a change is never optional), with the calendar entry updated or cancelled
    /// under the meeting's UID.
    /// </summary>
    private async Task NotifyMembersAsync(Organization committee, Meeting meeting, DateTimeOffset oldStart, Body body, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var day = BodyClock.LocalDay(oldStart, body.Zone);

        // The update replaces the invitation's entry (same UID, higher SEQUENCE), DESCRIPTION included: it lists the
        // agenda as the invitation does — every item for those the invitation goes to (the members on the meeting's
        // new day), the public part for a member whose seat ends before it. A cancellation (METHOD:CANCEL,
        // STATUS:CANCELLED) makes calendars remove the entry, and its items go to other meetings: it lists none, as an
        // agenda under a meeting that does not take place would only mislead.
        var agenda = meeting.Cancelled ? [] : await InvitationAgenda.OfAsync(db, meeting, cancellationToken);
        var newDay = BodyClock.LocalDay(meeting.Start, body.Zone);
        var invited = meeting.Cancelled ? null : (await recipients.MembersAsync(committee.Id, newDay, cancellationToken)).Select(m => m.Person.Id).ToHashSet();
        var calendars = new Dictionary<bool, string>();
        foreach (var member in await recipients.MembersAsync(committee.Id, day, cancellationToken))
        {
            var isInvited = invited?.Contains(member.Person.Id) ?? true;
            if (!calendars.TryGetValue(isInvited, out var calendar))
            {
                calendar = calendars[isInvited] = InvitationAgenda.Calendar(meeting, committee, body, InvitationAgenda.For(meeting, agenda, isInvited), sender);
            }

            var language = member.Preference.Language;
            var model = Model(member.Model(), committee, meeting, oldStart, body, language);
            model["paper"] = null;
            model["replannedTo"] = "";
            var mail = await renderer.RenderAsync(body, Notifications.Templates.MailKinds.MeetingChange, language, model, cancellationToken);
            db.OutboxMessages.Add(Notices.Create(Notifications.Templates.MailKinds.MeetingChange,
                $"meeting-change:{meeting.Id}:{meeting.Modified.UtcTicks}:{member.Person.Id}", body.Id, member.Person.Email!, member.Person.Name, mail, null, now,
                calendar));
        }
    }

    private Dictionary<string, object?> Model(
        Dictionary<string, object?> recipient, Organization committee, Meeting meeting, DateTimeOffset oldStart, Body body, string language)
    {
        var culture = MailModels.Culture(language);
        var old = BodyClock.ToLocal(oldStart, body.Zone);
        var details = MailModels.Meeting(meeting, body, language, links);
        details["oldDate"] = old.ToString(language == MailLanguages.English ? "dd/MM/yyyy" : "dd.MM.yyyy", culture);
        details["oldTime"] = old.ToString("HH:mm", culture);
        details["cancelled"] = meeting.Cancelled;
        details["reason"] = meeting.ChangeReason ?? "";
        return new Dictionary<string, object?>
        {
            ["recipient"] = recipient,
            ["committee"] = MailModels.Committee(committee),
            ["meeting"] = details,
            ["body"] = MailModels.Body(body),
            ["links"] = links.Model(),
        };
    }
}
