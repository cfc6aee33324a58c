using System.Globalization;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Papers;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Workspace;

/// <summary>
/// What needs a secretary's attention, and why. <see cref="Reason"/> is the German sentence; <see cref="ReasonFormat"/>
/// with <see cref="ReasonArgs"/> is the same sentence as a format, for a UI that shows it in another language.
/// </summary>
public sealed record AttentionItem(
    string Kind, Guid PaperId, string PaperReference, string PaperName, string Committee, Guid? MeetingId, string? Date, string Reason,
    string? ReasonFormat = null, IReadOnlyList<string>? ReasonArgs = null);

/// <summary>
/// The secretary's to-do list for their committees (admins: all of the body): outcomes overdue after a meeting,
/// steps without a meeting to go into, and decisions blocked by a hearing (§ 94 NKomVG) still to be held.
/// Only papers the caller may see are listed.
/// </summary>
public sealed class ListAttention(ICouncilDb db, PaperReader papers, TimeProvider clock)
{
    public const string Overdue = "Überfällig";
    public const string Unscheduled = "Ohne Sitzung";
    public const string Blocked = "Blockiert";

    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public async Task<IReadOnlyList<AttentionItem>> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (caller.Role == UserRole.Councillor)
        {
            throw new ForbiddenException("The to-do list is for the committees' secretaries.");
        }

        var now = clock.GetUtcNow();
        var body = await db.Bodies.AsNoTracking().SingleAsync(b => b.Id == caller.BodyId, cancellationToken);
        var committees = await db.Organizations.AsNoTracking()
            .Where(o => o.BodyId == caller.BodyId && o.Kind == OrganizationKind.Committee)
            .ToDictionaryAsync(o => o.Id, cancellationToken);
        var mine = committees.Keys.Where(caller.MayRecordFor).ToHashSet();
        var open = await db.Consultations.AsNoTracking()
            .Where(c => c.BodyId == caller.BodyId && c.Status == ConsultationStatus.Planned)
            .ToListAsync(cancellationToken);
        var paperIds = open.Select(c => c.PaperId).Distinct().ToList();
        var paperRows = await db.Papers.AsNoTracking().Where(p => paperIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var meetingIds = open.Where(c => c.MeetingId != null).Select(c => c.MeetingId!.Value).Distinct().ToList();
        var meetings = await db.Meetings.AsNoTracking().Where(m => meetingIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
        var involved = await db.Consultations.AsNoTracking()
            .Where(c => paperIds.Contains(c.PaperId) && mine.Contains(c.OrganizationId))
            .Select(c => c.PaperId).Distinct().ToListAsync(cancellationToken);

        string Day(DateTimeOffset instant) => BodyClock.ToLocal(instant, body.Zone).ToString("dd.MM.yyyy", German);

        var items = new List<AttentionItem>();
        foreach (var consultation in open.OrderBy(c => c.MeetingId is { } m && meetings.TryGetValue(m, out var x) ? x.Start : DateTimeOffset.MaxValue))
        {
            var paper = paperRows[consultation.PaperId];
            var committee = committees[consultation.OrganizationId];
            var meeting = consultation.MeetingId is { } meetingId && meetings.TryGetValue(meetingId, out var found) ? found : null;
            AttentionItem Item(string kind, string format, params string[] args) =>
                new(kind, paper.Id, paper.Reference, paper.Name, committee.Name, meeting?.Id, meeting is null ? null : Day(meeting.Start),
                    string.Format(German, format, args), format, args);

            var own = mine.Contains(committee.Id);
            if (own && meeting is not null && (meeting.End ?? meeting.Start.AddHours(4)) < now && !meeting.Cancelled)
            {
                items.Add(Item(Overdue, "Die Sitzung vom {0} ist vorbei, das Ergebnis ist noch nicht erfasst.", Day(meeting.Start)));
            }
            else if (own && meeting is null)
            {
                items.Add(Item(Unscheduled,
                    "Keine Sitzung im Kalender, deren Vorlagenfrist die Vorlage einhält: Sitzungen des Gremiums anlegen, dann wird die Vorlage eingeplant."));
            }
            else if (consultation.Role == ConsultationRole.Hearing && (own || involved.Contains(paper.Id)))
            {
                items.Add(meeting is null
                    ? Item(Blocked, "Die Anhörung im {0} (§ 94 NKomVG) hat keinen Sitzungstermin; die weitere Beratung wartet darauf.", committee.Name)
                    : Item(Blocked, "Die Anhörung im {0} (§ 94 NKomVG) steht aus (Sitzung am {1}); die weitere Beratung wartet darauf.", committee.Name, Day(meeting.Start)));
            }
        }

        var visible = new List<AttentionItem>();
        foreach (var item in items)
        {
            if (await papers.MaySeeAsync(caller, paperRows[item.PaperId], cancellationToken))
            {
                visible.Add(item);
            }
        }

        return visible;
    }
}
