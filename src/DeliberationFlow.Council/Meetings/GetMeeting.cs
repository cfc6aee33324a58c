using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Meetings;

/// <summary>One meeting of the caller's body, with whether the caller may arrange its agenda and record its outcomes.</summary>
public sealed record MeetingDetails(MeetingView Meeting, bool MayRecord);

public sealed class GetMeeting(ICouncilDb db)
{
    public async Task<MeetingDetails> HandleAsync(Caller caller, Guid meetingId, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == meetingId && m.BodyId == caller.BodyId, cancellationToken)
            ?? throw new NotFoundException($"No meeting with id {meetingId}.");
        var committee = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == meeting.OrganizationId, cancellationToken);
        return new MeetingDetails(MeetingView.Of(meeting, committee), caller.MayRecordFor(committee.Id));
    }
}
