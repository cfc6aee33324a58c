using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Notifications;

/// <summary>
/// A meeting's agenda as its invitation states it, and the invitation's calendar entry. Whatever later replaces that
/// entry under the meeting's UID (the notice of a move) builds it here too, so the calendar keeps what the invitation
/// put there and shows non-public items to the same people.
/// </summary>
public static class InvitationAgenda
{
    /// <summary>An item is on the public part (Ö) when its paper is public and the meeting is not held wholly in private.</summary>
    public static bool IsPublic(Meeting meeting, Paper paper) => paper.IsPublic && meeting.Publicity != MeetingPublicity.NonPublic;

    /// <summary>The planned items of the meeting, numbered as the agenda numbers them: Ö 1 … then N 1 ….</summary>
    public static async Task<List<AgendaLine>> OfAsync(ICouncilDb db, Meeting meeting, CancellationToken cancellationToken)
    {
        var consultations = await db.Consultations.AsNoTracking()
            .Where(c => c.MeetingId == meeting.Id && c.Status == ConsultationStatus.Planned).ToListAsync(cancellationToken);
        var paperIds = consultations.Select(c => c.PaperId).ToList();
        var papers = await db.Papers.AsNoTracking().Where(p => paperIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var entries = new List<AgendaLine>();
        foreach (var part in new[] { true, false })
        {
            var number = 0;
            foreach (var consultation in consultations
                         .Where(c => IsPublic(meeting, papers[c.PaperId]) == part)
                         .OrderBy(c => c.LateAddition).ThenBy(c => c.AgendaOrder ?? int.MaxValue).ThenBy(c => c.Created))
            {
                entries.Add(new AgendaLine($"{(part ? "Ö" : "N")} {++number}", consultation, papers[consultation.PaperId]));
            }
        }

        return entries;
    }

    /// <summary>
    /// The agenda a recipient's calendar entry lists. The invitation goes to the committee's members on the meeting's
    /// day, each with every item; anyone else told of the meeting (a member whose seat ends before a moved meeting's new
    /// date) sees only the public part, as a follower of the committee does.
    /// </summary>
    public static IEnumerable<AgendaLine> For(Meeting meeting, IEnumerable<AgendaLine> agenda, bool invited) =>
        invited ? agenda : agenda.Where(a => IsPublic(meeting, a.Paper));

    /// <summary>The invitation's <c>.ics</c> (METHOD:REQUEST, or CANCEL for a cancelled meeting) listing these items.</summary>
    public static string Calendar(Meeting meeting, Organization committee, Body body, IEnumerable<AgendaLine> agenda, MailIdentity organizer) =>
        MeetingCalendar.Invitation(meeting, committee, body, agenda.Select(a => $"{a.Number} {a.Paper.Reference} – {a.Paper.Name}"), organizer);
}
