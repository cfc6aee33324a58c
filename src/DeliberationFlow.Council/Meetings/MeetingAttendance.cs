using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Meetings;

/// <summary>One member of the committee on the meeting's day and whether they were there (null: not recorded yet).</summary>
public sealed record AttendeeView(Guid PersonId, string Name, string? Role, bool VotingRight, bool Deputy, string? Status);

/// <summary>
/// The meeting's attendance: its members, how many voting seats the committee has, how many of them were taken, and
/// whether that made the quorum (§ 65 NKomVG: more than half of the voting seats; a deputy counts for an absent member).
/// <see cref="QuorumReached"/> is null while nobody is recorded.
/// </summary>
public sealed record AttendanceView(
    Guid MeetingId, IReadOnlyList<AttendeeView> Members, int VotingSeats, int VotingPresent, bool? QuorumReached, DateTimeOffset? RecordedAt, string? RecordedBy);

public sealed record AttendanceEntry(Guid? PersonId, string? Status);

/// <summary>The attendance to record; members not named keep what was recorded for them.</summary>
public sealed record RecordAttendanceRequest(IReadOnlyList<AttendanceEntry>? Entries);

/// <summary>
/// Anwesenheit: the committee's secretary (or an admin) records who was at a meeting once it has begun; everyone of the
/// body reads it, as the minutes show it. The members are those whose membership covers the meeting's day.
/// </summary>
public sealed class MeetingAttendance(ICouncilDb db, TimeProvider clock)
{
    /// <summary>
    /// The outcomes a committee reaches by a vote, which an inquorate meeting cannot take (§ 65 NKomVG). Noting, no vote,
    /// deferring, taking an item off the agenda and a withdrawal by the administration need none.
    /// </summary>
    public static bool NeedsQuorum(Outcome outcome) =>
        outcome is Outcome.Adopted or Outcome.AdoptedAmended or Outcome.Rejected or Outcome.Recommended or Outcome.Referred
            or Outcome.Settled or Outcome.Elected;

    /// <summary>
    /// Whether the attendance recorded for the meeting shows it inquorate: every member recorded, and the voting seats
    /// taken not more than half. A recording still under way (members without a status) decides nothing.
    /// </summary>
    public static bool ShowsNoQuorum(AttendanceView attendance) =>
        attendance.QuorumReached == false && attendance.Members.All(m => m.Status is not null);

    /// <summary>
    /// The problem with a tally that counts more votes than the attendance recorded for the meeting has voting members
    /// present (a deputy for an absent member), or null. Only those present vote, so such a tally has a typing error, or
    /// the attendance misses someone who came late. As for the quorum, a recording still under way decides nothing; without
    /// a recorded attendance there is no check at all, because the seats alone do not settle it (the HVB votes in the Rat
    /// and the Verwaltungsausschuss, and imported memberships are often incomplete).
    /// </summary>
    public static string? TallyProblem(AttendanceView attendance, int votesFor, int votesAgainst, int abstentions)
    {
        var cast = (long)votesFor + votesAgainst + abstentions;
        if (attendance.RecordedAt is null || attendance.Members.Any(m => m.Status is null) || cast <= attendance.VotingPresent)
        {
            return null;
        }

        return $"The tally counts {cast} votes ({votesFor} for, {votesAgainst} against, {Tally.Abstentions(abstentions, english: true)}), but the attendance recorded " +
               $"for the meeting has {attendance.VotingPresent} voting members present. Correct the tally, or record who else attended.";
    }

    public async Task<AttendanceView> ReadAsync(Caller caller, Guid meetingId, CancellationToken cancellationToken)
    {
        var meeting = await FindAsync(caller, meetingId, cancellationToken);
        return await ViewAsync(meeting, await MembersAsync(meeting, cancellationToken), cancellationToken);
    }

    /// <summary>The attendance of a meeting a use case has read already (the minutes), without reading it again.</summary>
    public async Task<AttendanceView> ReadAsync(Meeting meeting, CancellationToken cancellationToken)
    {
        var ofBody = new MeetingOfBody(meeting, (await db.Bodies.GetAsync(meeting.BodyId, cancellationToken)).Zone);
        return await ViewAsync(ofBody, await MembersAsync(ofBody, cancellationToken), cancellationToken);
    }

    public async Task<AttendanceView> RecordAsync(Caller caller, Guid meetingId, RecordAttendanceRequest request, CancellationToken cancellationToken)
    {
        var meeting = await FindAsync(caller, meetingId, cancellationToken);
        if (!caller.MayRecordFor(meeting.Meeting.OrganizationId))
        {
            throw new ForbiddenException("Only the committee's secretaries and admins record who attended its meetings.");
        }

        var members = await MembersAsync(meeting, cancellationToken);
        var errors = new ValidationErrors();
        var entries = request.Entries ?? [];
        if (entries.Count == 0)
        {
            errors.Add("entries", "Name at least one member with a status: Present, Excused or Absent.");
        }

        var wanted = new Dictionary<Guid, AttendanceStatus>();
        for (var i = 0; i < entries.Count; i++)
        {
            // A null in the list (JSON's null between entries) is named at its place like any other wrong entry.
            if (entries[i] is not { } entry)
            {
                errors.Add($"entries[{i}]", "Each entry names a member and a status: {\"personId\":\"…\",\"status\":\"Present\"}.");
                continue;
            }

            var (personId, status) = (entry.PersonId, entry.Status);
            if (personId is not { } id || members.All(m => m.Person.Id != id))
            {
                errors.Add($"entries[{i}].personId", $"'{personId}' is not a member of the committee on {meeting.Day:dd.MM.yyyy}; give one of the members the attendance lists.");
            }
            else if (!wanted.TryAdd(id, default))
            {
                errors.Add($"entries[{i}].personId", "Each member once.");
            }

            if (status is null || !EnumNames.TryParse<AttendanceStatus>(status, out var parsed))
            {
                errors.Add($"entries[{i}].status", $"Unknown status '{status}'; use one of: {string.Join(", ", Enum.GetNames<AttendanceStatus>())}.");
            }
            else if (personId is { } known && wanted.ContainsKey(known))
            {
                wanted[known] = parsed;
            }
        }

        errors.ThrowIfAny();
        if (meeting.Meeting.Cancelled)
        {
            throw new ConflictException($"The meeting of {meeting.Day:dd.MM.yyyy} was cancelled; nobody attended it.");
        }

        var now = clock.GetUtcNow();
        if (meeting.Meeting.Start > now)
        {
            throw new ConflictException($"The meeting begins {BodyClockText(meeting)}; attendance is recorded from then on.");
        }

        var recorded = await db.Attendances.Where(a => a.MeetingId == meetingId).ToDictionaryAsync(a => a.PersonId, cancellationToken);
        foreach (var (personId, status) in wanted)
        {
            if (recorded.TryGetValue(personId, out var row))
            {
                (row.Status, row.RecordedAt, row.RecordedBy) = (status, now, caller.UserName);
            }
            else
            {
                db.Attendances.Add(new Attendance
                {
                    MeetingId = meetingId, PersonId = personId, BodyId = caller.BodyId, Status = status, RecordedAt = now, RecordedBy = caller.UserName,
                });
            }
        }

        // OParl's Meeting.participant follows the attendance: mirrors fetch the meeting again.
        meeting.Meeting.Modified = now;
        await db.SaveChangesAsync(cancellationToken);
        return await ViewAsync(meeting, members, cancellationToken);
    }

    private static string BodyClockText(MeetingOfBody meeting) => Calendar.BodyClock.LocalText(meeting.Meeting.Start, meeting.Zone);

    private sealed record MeetingOfBody(Meeting Meeting, TimeZoneInfo Zone)
    {
        public DateOnly Day => DateOnly.FromDateTime(Calendar.BodyClock.ToLocal(Meeting.Start, Zone).DateTime);
    }

    private sealed record Member(Person Person, Membership Membership);

    private async Task<MeetingOfBody> FindAsync(Caller caller, Guid meetingId, CancellationToken cancellationToken)
    {
        // Tracked: recording marks the meeting changed in the same save.
        var meeting = await db.Meetings.SingleOrDefaultAsync(m => m.Id == meetingId && m.BodyId == caller.BodyId, cancellationToken)
                      ?? throw new NotFoundException($"No meeting with id {meetingId}.");
        return new MeetingOfBody(meeting, (await db.Bodies.GetAsync(caller.BodyId, cancellationToken)).Zone);
    }

    private async Task<List<Member>> MembersAsync(MeetingOfBody meeting, CancellationToken cancellationToken)
    {
        var rows = await (from membership in db.Memberships.AsNoTracking()
                          join person in db.Persons.AsNoTracking() on membership.PersonId equals person.Id
                          where membership.OrganizationId == meeting.Meeting.OrganizationId
                          select new { membership, person }).ToListAsync(cancellationToken);
        // The seat the invitation went out under: a person with a full and a deputy seat is listed once, with the full one.
        return Seats.OnePerPerson(rows, meeting.Day, r => r.membership)
            .Select(r => new Member(r.person, r.membership))
            .OrderBy(m => m.Membership.IsDeputy).ThenBy(m => m.Person.FamilyName ?? m.Person.Name).ThenBy(m => m.Person.Name)
            .ToList();
    }

    private async Task<AttendanceView> ViewAsync(MeetingOfBody meeting, List<Member> members, CancellationToken cancellationToken)
    {
        var recorded = await db.Attendances.AsNoTracking().Where(a => a.MeetingId == meeting.Meeting.Id).ToListAsync(cancellationToken);
        var status = recorded.ToDictionary(a => a.PersonId, a => a.Status);
        var seats = members.Count(m => m.Membership.VotingRight && !m.Membership.IsDeputy);
        var present = members.Count(m => m.Membership.VotingRight && status.GetValueOrDefault(m.Person.Id, AttendanceStatus.Absent) == AttendanceStatus.Present);
        var taken = Math.Min(present, seats);
        var latest = recorded.MaxBy(a => a.RecordedAt);
        return new AttendanceView(
            meeting.Meeting.Id,
            members.Select(m => new AttendeeView(m.Person.Id, m.Person.Name, m.Membership.Role, m.Membership.VotingRight, m.Membership.IsDeputy,
                status.TryGetValue(m.Person.Id, out var s) ? s.ToString() : null)).ToList(),
            seats, taken, recorded.Count == 0 ? null : taken * 2 > seats, latest?.RecordedAt, latest?.RecordedBy);
    }
}
