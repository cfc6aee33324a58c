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

/// <summary>Meetings of the caller's body, optionally of one committee and within a period.</summary>
public sealed record ListMeetingsRequest(string? Committee, DateTimeOffset? From, DateTimeOffset? Until);

public sealed class ListMeetings(ICouncilDb db)
{
    public async Task<IReadOnlyList<MeetingView>> HandleAsync(Caller caller, ListMeetingsRequest request, CancellationToken cancellationToken)
    {
        if (request.From is { } from && request.Until is { } until && until < from)
        {
            throw RequestValidationException.For("until", "'until' lies before 'from'.");
        }

        var committees = await db.Organizations.AsNoTracking()
            .Where(o => o.BodyId == caller.BodyId && o.Kind == OrganizationKind.Committee)
            .ToDictionaryAsync(o => o.Id, cancellationToken);
        var query = db.Meetings.AsNoTracking().Where(m => m.BodyId == caller.BodyId);
        if (request.Committee is { Length: > 0 } key)
        {
            var committee = committees.Values.FirstOrDefault(c => c.Key == key || c.Id.ToString() == key)
                ?? throw RequestValidationException.For("committee", $"No committee '{key}'; known: {string.Join(", ", committees.Values.Select(c => c.Key))}.");
            query = query.Where(m => m.OrganizationId == committee.Id);
        }

        if (request.From is { } start)
        {
            query = query.Where(m => m.Start >= start);
        }

        if (request.Until is { } end)
        {
            query = query.Where(m => m.Start <= end);
        }

        var meetings = await query.OrderBy(m => m.Start).Take(1000).ToListAsync(cancellationToken);
        return meetings.Select(m =>
        {
            var committee = committees[m.OrganizationId];
            return MeetingView.Of(m, committee);
        }).ToList();
    }
}
