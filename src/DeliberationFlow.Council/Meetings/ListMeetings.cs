using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Meetings;

public sealed record MeetingView(
    Guid Id,
    string Name,
    Guid CommitteeId,
    string CommitteeKey,
    string CommitteeName,
    DateTimeOffset Start,
    DateTimeOffset? End,
    string? Location,
    string State,
    bool Cancelled,
    string Publicity)
{
    public static MeetingView Of(Meeting meeting, Organization committee) => new(
        meeting.Id, meeting.Name, committee.Id, committee.Key, committee.Name, meeting.Start, meeting.End, meeting.Location,
        meeting.State.ToString(), meeting.Cancelled, meeting.Publicity.ToString());
}

/// <summary>
/// Meetings of the caller's body, optionally of one committee (key or id) and starting within a period. Pages count from 1;
/// a page holds 25 meetings unless <see cref="PageSize"/> says otherwise (at most 100), as the papers' list.
/// </summary>
public sealed record ListMeetingsRequest(string? Committee, DateTimeOffset? From, DateTimeOffset? Until, int? Page = null, int? PageSize = null);

/// <summary>One page of meetings, earliest first, and how many match in all.</summary>
public sealed record MeetingList(IReadOnlyList<MeetingView> Meetings, int Total, int Page, int PageSize);

public sealed class ListMeetings(ICouncilDb db)
{
    public async Task<MeetingList> HandleAsync(Caller caller, ListMeetingsRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.From is { } from && request.Until is { } until && until < from)
        {
            errors.Add("until", "'until' lies before 'from'.");
        }

        var (page, pageSize) = Paging.Check(errors, request.Page, request.PageSize, "meetings");

        var committees = await db.Organizations.AsNoTracking()
            .Where(o => o.BodyId == caller.BodyId && o.Kind == OrganizationKind.Committee)
            .ToDictionaryAsync(o => o.Id, cancellationToken);
        var query = db.Meetings.AsNoTracking().Where(m => m.BodyId == caller.BodyId);
        if (request.Committee is { Length: > 0 } key)
        {
            if (committees.Values.FirstOrDefault(c => c.Key == key || c.Id.ToString() == key) is { } committee)
            {
                query = query.Where(m => m.OrganizationId == committee.Id);
            }
            else
            {
                errors.Add("committee", $"No committee '{key}'; known: {string.Join(", ", committees.Values.Select(c => c.Key))}.");
            }
        }

        errors.ThrowIfAny();
        // As UTC: Npgsql writes only offset 0 into timestamptz, so "from=2022-01-01T00:00:00+01:00" failed with 500.
        if (request.From?.ToUniversalTime() is { } start)
        {
            query = query.Where(m => m.Start >= start);
        }

        if (request.Until?.ToUniversalTime() is { } end)
        {
            query = query.Where(m => m.Start <= end);
        }

        // By id after the start, so meetings at the same moment (two committees at 15:00) keep their page.
        var total = await query.CountAsync(cancellationToken);
        var meetings = await query.OrderBy(m => m.Start).ThenBy(m => m.Id).Skip(Paging.Offset(page, pageSize)).Take(pageSize).ToListAsync(cancellationToken);
        return new MeetingList(meetings.Select(m => MeetingView.Of(m, committees[m.OrganizationId])).ToList(), total, page, pageSize);
    }
}
