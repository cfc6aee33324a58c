using System.Linq.Expressions;
using System.Text.Json.Nodes;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Papers.Files;
using Microsoft.EntityFrameworkCore;
using static DeliberationFlow.Council.OParl.OParlJson;

namespace DeliberationFlow.Council.OParl;

/// <summary>
/// The read side of OParl 1.1: the public data of every body as System, Body, Organization, Person, Membership,
/// LegislativeTerm, Meeting, AgendaItem, Paper, Consultation, File and Location, each at its own URL and in external
/// lists. Only public data leaves: a non-public paper, its consultations and its agenda items, the agenda of a
/// non-public meeting and a non-public agenda item are not served, not listed and not counted.
/// <para>
/// An object's <c>modified</c> is the latest change of the object and of what it embeds (a paper's consultations,
/// a meeting's agenda items, a person's memberships, a body's legislative terms), so a client that syncs with
/// <c>modified_since</c> sees a paper change when one of its consultations does. The list filters use the same rule.
/// </para>
/// </summary>
public sealed class OParlReader(ICouncilDb db)
{
    public const string OParlVersion = "https://schema.oparl.org/1.1/";

    private readonly Dictionary<Guid, TimeZoneInfo> _zones = [];

    // ---------- System and bodies ----------

    public async Task<JsonObject> SystemAsync(OParlUrls urls, CancellationToken cancellationToken)
    {
        var bodies = await BodyStampsAsync(cancellationToken);
        var zone = bodies.Count > 0 ? bodies[0].Zone : TimeZoneInfo.Utc;
        return Object(urls.System, "System",
            ("oparlVersion", OParlVersion),
            ("body", urls.Bodies),
            ("name", "DeliberationFlow"),
            ("created", Time(bodies.Count > 0 ? bodies.Min(b => b.Created) : (DateTimeOffset?)null, zone)),
            ("modified", Time(bodies.Count > 0 ? bodies.Max(b => b.Modified) : (DateTimeOffset?)null, zone)));
    }

    public async Task<JsonObject> BodiesAsync(OParlUrls urls, OParlListQuery query, CancellationToken cancellationToken)
    {
        var stamps = (await BodyStampsAsync(cancellationToken)).Where(b => query.Matches(b.Created, b.Modified)).OrderBy(b => b.Body.Id).ToList();
        var page = stamps.Skip(Paging.Offset(query.Page, query.Limit)).Take(query.Limit).ToList();
        var terms = await TermsByBodyAsync(page.Select(b => b.Body.Id).ToList(), cancellationToken);
        var mains = await MainOrganizationsAsync(cancellationToken);
        var data = page.Select(b => BodyObject(urls, b.Body, b.Modified, terms.GetValueOrDefault(b.Body.Id) ?? [], mains.GetValueOrDefault(b.Body.Id))).ToList();
        return ListPage(urls.Bodies, query, data, stamps.Count);
    }

    public async Task<JsonObject> BodyAsync(OParlUrls urls, Guid id, CancellationToken cancellationToken)
    {
        var stamp = (await BodyStampsAsync(cancellationToken)).FirstOrDefault(b => b.Body.Id == id) ?? throw OParlException.NotFound($"Body {id}");
        var terms = await TermsByBodyAsync([id], cancellationToken);
        var mains = await MainOrganizationsAsync(cancellationToken);
        return BodyObject(urls, stamp.Body, stamp.Modified, terms.GetValueOrDefault(id) ?? [], mains.GetValueOrDefault(id));
    }

    private sealed record BodyStamp(Body Body, TimeZoneInfo Zone, DateTimeOffset Created, DateTimeOffset Modified);

    private async Task<List<BodyStamp>> BodyStampsAsync(CancellationToken cancellationToken)
    {
        var bodies = await db.Bodies.AsNoTracking().OrderBy(b => b.Id).ToListAsync(cancellationToken);
        var terms = await db.LegislativeTerms.IgnoreQueryFilters().AsNoTracking().Select(t => new { t.BodyId, t.Modified }).ToListAsync(cancellationToken);
        return bodies.Select(b => new BodyStamp(b, ZoneOf(b), b.Created, Max(b.Modified, terms.Where(t => t.BodyId == b.Id).Select(t => t.Modified)))).ToList();
    }

    /// <summary>The council of each body: its committee classified "Parlament".</summary>
    private async Task<Dictionary<Guid, Guid?>> MainOrganizationsAsync(CancellationToken cancellationToken) =>
        (await db.Organizations.AsNoTracking().Where(o => o.Kind == OrganizationKind.Committee && o.Classification == "Parlament")
            .Select(o => new { o.BodyId, o.Id }).ToListAsync(cancellationToken))
        .GroupBy(o => o.BodyId).ToDictionary(g => g.Key, g => (Guid?)g.Min(o => o.Id));

    /// <summary>A body; its legislative terms are required, so they stay embedded even with omit_internal.</summary>
    private JsonObject BodyObject(OParlUrls urls, Body body, DateTimeOffset modified, IReadOnlyList<LegislativeTerm> terms, Guid? main)
    {
        var zone = ZoneOf(body);
        return Object(urls.Body(body.Id), "Body",
            ("system", urls.System),
            ("name", body.Name),
            ("shortName", Text(body.ShortName)),
            ("ags", Text(body.Ags)),
            ("mainOrganization", main is { } mainId ? urls.Object("organization", mainId) : null),
            ("organization", urls.BodyList(body.Id, "organizations")),
            ("person", urls.BodyList(body.Id, "persons")),
            ("meeting", urls.BodyList(body.Id, "meetings")),
            ("paper", urls.BodyList(body.Id, "papers")),
            ("legislativeTerm", new JsonArray(terms.Where(t => !t.Deleted).OrderBy(t => t.StartDate).Select(t => (JsonNode?)TermObject(urls, t, zone, embedded: true)).ToArray())),
            ("agendaItem", urls.BodyList(body.Id, "agendaItems")),
            ("consultation", urls.BodyList(body.Id, "consultations")),
            ("file", urls.BodyList(body.Id, "files")),
            ("locationList", urls.BodyList(body.Id, "locations")),
            ("legislativeTermList", urls.BodyList(body.Id, "legislativeTerms")),
            ("membership", urls.BodyList(body.Id, "memberships")),
            ("created", Time(body.Created, zone)),
            ("modified", Time(modified, zone)));
    }

    private async Task<Dictionary<Guid, List<LegislativeTerm>>> TermsByBodyAsync(List<Guid> bodyIds, CancellationToken cancellationToken) =>
        (await db.LegislativeTerms.IgnoreQueryFilters().AsNoTracking().Where(t => bodyIds.Contains(t.BodyId)).ToListAsync(cancellationToken))
        .GroupBy(t => t.BodyId).ToDictionary(g => g.Key, g => g.ToList());

    // ---------- External lists of a body ----------

    /// <summary>One page of an external list of the body. <paramref name="list"/> is the last segment of the list's URL.</summary>
    public async Task<JsonObject> ListAsync(OParlUrls urls, Guid bodyId, string list, OParlListQuery query, CancellationToken cancellationToken)
    {
        if (!await db.Bodies.AnyAsync(b => b.Id == bodyId, cancellationToken))
        {
            throw OParlException.NotFound($"Body {bodyId}");
        }

        var listUrl = urls.BodyList(bodyId, list);
        return list switch
        {
            "organizations" => await PageAsync(listUrl, query, OrganizationIds(bodyId, query), ids => OrganizationsAsync(urls, ids, cancellationToken), cancellationToken),
            "persons" => await PageAsync(listUrl, query, PersonIds(bodyId, query), ids => PersonsAsync(urls, ids, query.OmitInternal, cancellationToken), cancellationToken),
            "memberships" => await PageAsync(listUrl, query, MembershipIds(bodyId, query), ids => MembershipsAsync(urls, ids, embedded: false, cancellationToken), cancellationToken),
            "legislativeTerms" => await PageAsync(listUrl, query, TermIds(bodyId, query), ids => TermsAsync(urls, ids, cancellationToken), cancellationToken),
            "meetings" => await PageAsync(listUrl, query, MeetingIds(db.Meetings.IgnoreQueryFilters().Where(m => m.BodyId == bodyId), query),
                ids => MeetingsAsync(urls, ids, query.OmitInternal, cancellationToken), cancellationToken),
            "agendaItems" => await PageAsync(listUrl, query, AgendaItemIds(bodyId, query), ids => AgendaItemsAsync(urls, ids, cancellationToken), cancellationToken),
            "papers" => await PageAsync(listUrl, query, PaperIds(bodyId, query), ids => PapersAsync(urls, ids, query.OmitInternal, cancellationToken), cancellationToken),
            "consultations" => await PageAsync(listUrl, query, ConsultationIds(bodyId, query), ids => ConsultationsAsync(urls, ids, embedded: false, cancellationToken), cancellationToken),
            "locations" => await PageAsync(listUrl, query, LocationIds(bodyId, query), ids => LocationsAsync(urls, ids, cancellationToken), cancellationToken),
            "files" => await PageAsync(listUrl, query, FileIds(bodyId, query), ids => FilesAsync(urls, ids, embedded: false, cancellationToken), cancellationToken),
            _ => throw OParlException.NotFound($"List '{list}'"),
        };
    }

    public async Task<JsonObject> OrganizationMeetingsAsync(OParlUrls urls, Guid organizationId, OParlListQuery query, CancellationToken cancellationToken)
    {
        if (!await db.Organizations.IgnoreQueryFilters().AnyAsync(o => o.Id == organizationId, cancellationToken))
        {
            throw OParlException.NotFound($"Organization {organizationId}");
        }

        return await PageAsync(urls.OrganizationMeetings(organizationId), query,
            MeetingIds(db.Meetings.IgnoreQueryFilters().Where(m => m.OrganizationId == organizationId), query),
            ids => MeetingsAsync(urls, ids, query.OmitInternal, cancellationToken), cancellationToken);
    }

    // ---------- Single objects ----------

    /// <summary>One object at its own URL: the full form, with the back-references an embedded copy leaves out.</summary>
    public async Task<JsonObject> ObjectAsync(OParlUrls urls, string kind, Guid id, CancellationToken cancellationToken)
    {
        List<Guid> ids = [id];
        var found = kind switch
        {
            "organization" => await OrganizationsAsync(urls, ids, cancellationToken),
            "person" => await PersonsAsync(urls, ids, omitInternal: false, cancellationToken),
            "membership" => await MembershipsAsync(urls, ids, embedded: false, cancellationToken),
            "legislativeTerm" => await TermsAsync(urls, ids, cancellationToken),
            "meeting" => await MeetingsAsync(urls, ids, omitInternal: false, cancellationToken),
            "agendaItem" => await AgendaItemsAsync(urls, ids, cancellationToken),
            "paper" => await PapersAsync(urls, ids, omitInternal: false, cancellationToken),
            "consultation" => await ConsultationsAsync(urls, ids, embedded: false, cancellationToken),
            "location" => await LocationsAsync(urls, ids, cancellationToken),
            "file" => await FilesAsync(urls, ids, embedded: false, cancellationToken),
            _ => [],
        };
        return found.Count == 1 ? found[0] : throw OParlException.NotFound($"{kind} {id}");
    }

    // ---------- Paging ----------

    private static async Task<JsonObject> PageAsync(string listUrl, OParlListQuery query, IQueryable<Guid> ids,
        Func<List<Guid>, Task<List<JsonObject>>> load, CancellationToken cancellationToken)
    {
        // Ordered by the immutable id: a stable order, whatever changes between two pages.
        var total = await ids.CountAsync(cancellationToken);
        var pageIds = await ids.OrderBy(id => id).Skip(Paging.Offset(query.Page, query.Limit)).Take(query.Limit).ToListAsync(cancellationToken);
        var objects = await load(pageIds);
        return ListPage(listUrl, query, objects, total);
    }

    private static JsonObject ListPage(string listUrl, OParlListQuery query, List<JsonObject> data, int total)
    {
        var pages = Math.Max(1, (total + query.Limit - 1) / query.Limit);
        var links = new JsonObject
        {
            ["first"] = query.PageUrl(listUrl, 1),
            ["self"] = query.PageUrl(listUrl, query.Page),
            ["last"] = query.PageUrl(listUrl, pages),
        };
        if (query.Page > 1)
        {
            links["prev"] = query.PageUrl(listUrl, Math.Min(query.Page - 1, pages));
        }

        if (query.Page < pages)
        {
            links["next"] = query.PageUrl(listUrl, query.Page + 1);
        }

        return new JsonObject
        {
            ["data"] = new JsonArray(data.Cast<JsonNode?>().ToArray()),
            ["pagination"] = new JsonObject
            {
                ["totalElements"] = total,
                ["elementsPerPage"] = query.Limit,
                ["currentPage"] = query.Page,
                ["totalPages"] = pages,
            },
            ["links"] = links,
        };
    }

    private static IQueryable<T> Stamped<T>(IQueryable<T> source, OParlListQuery query, Expression<Func<T, DateTimeOffset>> created,
        Func<DateTimeOffset, Expression<Func<T, bool>>> modifiedSince, Func<DateTimeOffset, Expression<Func<T, bool>>> modifiedBefore,
        Expression<Func<T, bool>> notDeleted)
    {
        if (query.CreatedSince is { } cs)
        {
            source = source.Where(Compare(created, cs, ExpressionType.GreaterThanOrEqual));
        }

        if (query.CreatedBefore is { } createdBefore)
        {
            source = source.Where(Compare(created, createdBefore, ExpressionType.LessThan));
        }

        if (query.ModifiedSince is { } ms)
        {
            source = source.Where(modifiedSince(ms));
        }
        else
        {
            source = source.Where(notDeleted);
        }

        if (query.ModifiedBefore is { } before)
        {
            source = source.Where(modifiedBefore(before));
        }

        return source;
    }

    private static Expression<Func<T, bool>> Compare<T>(Expression<Func<T, DateTimeOffset>> selector, DateTimeOffset value, ExpressionType comparison) =>
        Expression.Lambda<Func<T, bool>>(
            Expression.MakeBinary(comparison, selector.Body, Expression.Constant(value, typeof(DateTimeOffset))), selector.Parameters);

    // ---------- Organizations ----------

    private IQueryable<Guid> OrganizationIds(Guid bodyId, OParlListQuery query) =>
        Stamped(db.Organizations.IgnoreQueryFilters().Where(o => o.BodyId == bodyId), query, o => o.Created,
            ms => o => o.Modified >= ms, before => o => o.Modified < before, o => !o.Deleted).Select(o => o.Id);

    private async Task<List<JsonObject>> OrganizationsAsync(OParlUrls urls, List<Guid> ids, CancellationToken cancellationToken)
    {
        var organizations = await db.Organizations.IgnoreQueryFilters().AsNoTracking().Where(o => ids.Contains(o.Id)).ToListAsync(cancellationToken);
        var memberships = await db.Memberships.IgnoreQueryFilters().AsNoTracking().Where(m => ids.Contains(m.OrganizationId) && !m.Deleted)
            .OrderBy(m => m.Id).Select(m => new { m.Id, m.OrganizationId }).ToListAsync(cancellationToken);
        var result = new List<JsonObject>();
        foreach (var organization in Ordered(organizations, ids, o => o.Id))
        {
            var zone = await ZoneAsync(organization.BodyId, cancellationToken);
            var url = urls.Object("organization", organization.Id);
            if (organization.Deleted)
            {
                result.Add(Deleted(url, "Organization", organization.Created, organization.Modified, zone));
                continue;
            }

            var committee = organization.Kind == OrganizationKind.Committee;
            var obj = Object(url, "Organization",
                ("body", urls.Body(organization.BodyId)),
                ("name", organization.Name),
                ("shortName", Text(organization.ShortName)),
                ("organizationType", OrganizationKinds.OParlType(organization.Kind)),
                ("classification", Text(organization.Classification)),
                ("membership", Urls(memberships.Where(m => m.OrganizationId == organization.Id).Select(m => urls.Object("membership", m.Id)))),
                ("meeting", committee ? urls.OrganizationMeetings(organization.Id) : null),
                ("created", Time(organization.Created, zone)),
                ("modified", Time(organization.Modified, zone)));
            obj[ExtensionPrefix + "key"] = organization.Key;
            result.Add(obj);
        }

        return result;
    }

    // ---------- Persons and memberships ----------

    private IQueryable<Guid> PersonIds(Guid bodyId, OParlListQuery query)
    {
        var memberships = db.Memberships.IgnoreQueryFilters();
        return Stamped(db.Persons.IgnoreQueryFilters().Where(p => p.BodyId == bodyId), query, p => p.Created,
            ms => p => p.Modified >= ms || memberships.Any(m => m.PersonId == p.Id && m.Modified >= ms),
            before => p => p.Modified < before && !memberships.Any(m => m.PersonId == p.Id && m.Modified >= before),
            p => !p.Deleted).Select(p => p.Id);
    }

    private async Task<List<JsonObject>> PersonsAsync(OParlUrls urls, List<Guid> ids, bool omitInternal, CancellationToken cancellationToken)
    {
        var persons = await db.Persons.IgnoreQueryFilters().AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(cancellationToken);
        var memberships = await db.Memberships.IgnoreQueryFilters().AsNoTracking().Where(m => ids.Contains(m.PersonId)).ToListAsync(cancellationToken);
        var result = new List<JsonObject>();
        foreach (var person in Ordered(persons, ids, p => p.Id))
        {
            var zone = await ZoneAsync(person.BodyId, cancellationToken);
            var own = memberships.Where(m => m.PersonId == person.Id).OrderBy(m => m.Id).ToList();
            var modified = Max(person.Modified, own.Select(m => m.Modified));
            var url = urls.Object("person", person.Id);
            if (person.Deleted)
            {
                result.Add(Deleted(url, "Person", person.Created, modified, zone));
                continue;
            }

            // Contact data is not published: the interface serves what the council's public pages show.
            result.Add(Object(url, "Person",
                ("body", urls.Body(person.BodyId)),
                ("name", person.Name),
                ("familyName", Text(person.FamilyName)),
                ("givenName", Text(person.GivenName)),
                ("formOfAddress", Text(person.FormOfAddress)),
                ("membership", omitInternal ? null : Objects(own.Select(m => MembershipObject(urls, m, zone, embedded: true)))),
                ("created", Time(person.Created, zone)),
                ("modified", Time(modified, zone))));
        }

        return result;
    }

    private IQueryable<Guid> MembershipIds(Guid bodyId, OParlListQuery query) =>
        Stamped(db.Memberships.IgnoreQueryFilters().Where(m => m.BodyId == bodyId), query, m => m.Created,
            ms => m => m.Modified >= ms, before => m => m.Modified < before, m => !m.Deleted).Select(m => m.Id);

    private async Task<List<JsonObject>> MembershipsAsync(OParlUrls urls, List<Guid> ids, bool embedded, CancellationToken cancellationToken)
    {
        var memberships = await db.Memberships.IgnoreQueryFilters().AsNoTracking().Where(m => ids.Contains(m.Id)).ToListAsync(cancellationToken);
        var result = new List<JsonObject>();
        foreach (var membership in Ordered(memberships, ids, m => m.Id))
        {
            result.Add(MembershipObject(urls, membership, await ZoneAsync(membership.BodyId, cancellationToken), embedded));
        }

        return result;
    }

    private static JsonObject MembershipObject(OParlUrls urls, Membership membership, TimeZoneInfo zone, bool embedded)
    {
        var url = urls.Object("membership", membership.Id);
        return membership.Deleted
            ? Deleted(url, "Membership", membership.Created, membership.Modified, zone)
            : Object(url, "Membership",
                ("person", embedded ? null : urls.Object("person", membership.PersonId)),
                ("organization", urls.Object("organization", membership.OrganizationId)),
                ("role", Text(membership.Role)),
                ("votingRight", membership.VotingRight),
                ("startDate", Date(membership.StartDate)),
                ("endDate", Date(membership.EndDate)),
                ("created", Time(membership.Created, zone)),
                ("modified", Time(membership.Modified, zone)));
    }

    // ---------- Legislative terms ----------

    private IQueryable<Guid> TermIds(Guid bodyId, OParlListQuery query) =>
        Stamped(db.LegislativeTerms.IgnoreQueryFilters().Where(t => t.BodyId == bodyId), query, t => t.Created,
            ms => t => t.Modified >= ms, before => t => t.Modified < before, t => !t.Deleted).Select(t => t.Id);

    private async Task<List<JsonObject>> TermsAsync(OParlUrls urls, List<Guid> ids, CancellationToken cancellationToken)
    {
        var terms = await db.LegislativeTerms.IgnoreQueryFilters().AsNoTracking().Where(t => ids.Contains(t.Id)).ToListAsync(cancellationToken);
        var result = new List<JsonObject>();
        foreach (var term in Ordered(terms, ids, t => t.Id))
        {
            result.Add(TermObject(urls, term, await ZoneAsync(term.BodyId, cancellationToken), embedded: false));
        }

        return result;
    }

    private static JsonObject TermObject(OParlUrls urls, LegislativeTerm term, TimeZoneInfo zone, bool embedded)
    {
        var url = urls.Object("legislativeTerm", term.Id);
        return term.Deleted
            ? Deleted(url, "LegislativeTerm", term.Created, term.Modified, zone)
            : Object(url, "LegislativeTerm",
                ("body", embedded ? null : urls.Body(term.BodyId)),
                ("name", term.Name),
                ("startDate", Date(term.StartDate)),
                ("endDate", Date(term.EndDate)),
                ("created", Time(term.Created, zone)),
                ("modified", Time(term.Modified, zone)));
    }

    // ---------- Meetings, agenda items, locations ----------

    /// <summary>
    /// The meetings served, one held wholly in private (§ 78 (2) NKomVG: the Verwaltungsausschuss) too: its date and
    /// place are public as in every council's calendar, which also names it in a public paper's Beratungsfolge; what is
    /// confidential is what it deliberated and who sat in it, and neither is served. A change to a step planned into it
    /// does not stamp it, as that would tell when it took a paper up.
    /// </summary>
    private IQueryable<Guid> MeetingIds(IQueryable<Meeting> meetings, OParlListQuery query)
    {
        var rows = db.AgendaItems.IgnoreQueryFilters();
        var consultations = db.Consultations.IgnoreQueryFilters();
        var papers = db.Papers.IgnoreQueryFilters();
        return Stamped(meetings, query, m => m.Created,
            ms => m => m.Modified >= ms
                       || rows.Any(r => r.MeetingId == m.Id && r.Public && m.Publicity != MeetingPublicity.NonPublic && r.Modified >= ms)
                       || (m.Publicity != MeetingPublicity.NonPublic
                           && consultations.Any(c => c.MeetingId == m.Id && c.Modified >= ms && papers.Any(p => p.Id == c.PaperId && p.IsPublic))),
            before => m => m.Modified < before
                       && !rows.Any(r => r.MeetingId == m.Id && r.Public && m.Publicity != MeetingPublicity.NonPublic && r.Modified >= before)
                       && !(m.Publicity != MeetingPublicity.NonPublic
                            && consultations.Any(c => c.MeetingId == m.Id && c.Modified >= before && papers.Any(p => p.Id == c.PaperId && p.IsPublic))),
            m => !m.Deleted).Select(m => m.Id);
    }

    private async Task<List<JsonObject>> MeetingsAsync(OParlUrls urls, List<Guid> ids, bool omitInternal, CancellationToken cancellationToken)
    {
        var meetings = await db.Meetings.IgnoreQueryFilters().AsNoTracking().Where(m => ids.Contains(m.Id)).ToListAsync(cancellationToken);
        var items = await ItemsOfMeetingsAsync(meetings, cancellationToken);
        // OParl's participant: the persons recorded present (MeetingAttendance), ordered by id as the lists are; not for a
        // meeting held wholly in private (who sat in it is part of what is confidential): one planned as non-public, or one
        // whose agenda has items and none of them public.
        var participants = (await db.Attendances.AsNoTracking().Where(a => ids.Contains(a.MeetingId) && a.Status == AttendanceStatus.Present)
            .Select(a => new { a.MeetingId, a.PersonId }).ToListAsync(cancellationToken)).ToLookup(a => a.MeetingId, a => a.PersonId);
        var result = new List<JsonObject>();
        foreach (var meeting in Ordered(meetings, ids, m => m.Id))
        {
            var zone = await ZoneAsync(meeting.BodyId, cancellationToken);
            var own = items.Items.Where(i => i.MeetingId == meeting.Id).ToList();
            var modified = Max(meeting.Modified, [items.LatestChange[meeting.Id]]);
            var url = urls.Object("meeting", meeting.Id);
            if (meeting.Deleted)
            {
                result.Add(Deleted(url, "Meeting", meeting.Created, modified, zone));
                continue;
            }

            result.Add(Object(url, "Meeting",
                ("name", meeting.Name),
                ("meetingState", meeting.State switch
                {
                    MeetingState.Invited => "eingeladen",
                    MeetingState.Held => "durchgeführt",
                    _ => "terminiert",
                }),
                ("cancelled", meeting.Cancelled),
                ("start", Time(meeting.Start, zone)),
                ("end", Time(meeting.End, zone)),
                ("location", omitInternal || meeting.Location is null ? null : LocationObject(urls, meeting, zone, embedded: true)),
                ("organization", Urls([urls.Object("organization", meeting.OrganizationId)])),
                ("participant", HeldInPrivate(meeting, own) ? null : Urls(participants[meeting.Id].Order().Select(id => urls.Object("person", id)))),
                ("agendaItem", omitInternal ? null : Objects(own.Where(i => i.Visible).Select(i => i.ToJson(urls, zone, embedded: true)))),
                ("created", Time(meeting.Created, zone)),
                ("modified", Time(modified, zone))));
        }

        return result;
    }

    private static bool HeldInPrivate(Meeting meeting, List<ItemView> items) =>
        meeting.Publicity == MeetingPublicity.NonPublic || (items.Any(i => !i.Deleted) && !items.Any(i => i.Visible && !i.Deleted));

    /// <summary>
    /// An agenda item as served: a row of its own (imported, or without a paper), or drawn from a consultation planned
    /// into the meeting. Only public items are numbered and ordered, so nothing shows how many non-public ones there are.
    /// </summary>
    private sealed record ItemView(
        Guid Id,
        Guid MeetingId,
        Guid? ConsultationId,
        bool ConsultationVisible,
        string? Number,
        int Order,
        string? Name,
        bool Visible,
        bool Deleted,
        string? Result,
        Outcome? Outcome,
        string? ResolutionText,
        DateTimeOffset? Start,
        DateTimeOffset? End,
        DateTimeOffset Created,
        DateTimeOffset Modified,
        DateTimeOffset? WithdrawnFromPublic = null)
    {
        public JsonObject ToJson(OParlUrls urls, TimeZoneInfo zone, bool embedded)
        {
            var url = urls.Object("agendaItem", Id);
            if (WithdrawnFromPublic is not null || Deleted)
            {
                // Its paper was made non-public (a mirror that keeps agenda items apart from their meeting drops it), or the
                // item is gone. The 1.1 schema requires an order of every agenda item, deleted ones too; 0 says nothing
                // of the place a non-public item had.
                var deleted = OParlJson.Deleted(url, "AgendaItem", Created, WithdrawnFromPublic ?? Modified, zone);
                deleted["order"] = 0;
                return deleted;
            }

            var obj = Object(url, "AgendaItem",
                ("meeting", embedded ? null : urls.Object("meeting", MeetingId)),
                ("number", Text(Number)),
                ("order", Order),
                ("name", Text(Name)),
                ("public", true),
                ("consultation", ConsultationId is { } c && ConsultationVisible ? urls.Object("consultation", c) : null),
                ("result", Text(Result)),
                ("resolutionText", Text(ResolutionText)),
                ("start", Time(Start, zone)),
                ("end", Time(End, zone)),
                ("created", Time(Created, zone)),
                ("modified", Time(Modified, zone)));
            if (Outcome is { } outcome)
            {
                obj[ExtensionPrefix + "outcome"] = outcome.ToString();
            }

            return obj;
        }
    }

    /// <summary>The agenda items of the meetings, and per meeting the latest change among its public items (as the list filter counts it).</summary>
    private sealed record MeetingItems(List<ItemView> Items, Dictionary<Guid, DateTimeOffset> LatestChange);

    private async Task<MeetingItems> ItemsOfMeetingsAsync(List<Meeting> meetings, CancellationToken cancellationToken)
    {
        var meetingIds = meetings.Select(m => m.Id).ToList();
        var rows = await db.AgendaItems.IgnoreQueryFilters().AsNoTracking().Where(r => meetingIds.Contains(r.MeetingId)).ToListAsync(cancellationToken);
        var linkedIds = rows.Where(r => r.ConsultationId != null).Select(r => r.ConsultationId!.Value).ToList();
        var consultations = await db.Consultations.IgnoreQueryFilters().AsNoTracking()
            .Where(c => (c.MeetingId != null && meetingIds.Contains(c.MeetingId.Value)) || linkedIds.Contains(c.Id)).ToListAsync(cancellationToken);
        var paperIds = consultations.Select(c => c.PaperId).Distinct().ToList();
        var papers = await db.Papers.IgnoreQueryFilters().AsNoTracking().Where(p => paperIds.Contains(p.Id))
            .Select(p => new { p.Id, p.Name, p.Reference, p.IsPublic, p.WithdrawnFromPublic }).ToDictionaryAsync(p => p.Id, cancellationToken);

        var items = new List<ItemView>();
        var latest = new Dictionary<Guid, DateTimeOffset>();
        foreach (var meeting in meetings)
        {
            var publicMeeting = meeting.Publicity != MeetingPublicity.NonPublic;
            var own = rows.Where(r => r.MeetingId == meeting.Id).ToList();
            var planned = consultations.Where(c => c.MeetingId == meeting.Id).ToList();
            latest[meeting.Id] = Max(DateTimeOffset.MinValue, own.Where(r => r.Public).Select(r => r.Modified)
                .Concat(publicMeeting ? planned.Where(c => papers[c.PaperId].IsPublic).Select(c => c.Modified) : []));

            var order = 0;
            foreach (var row in own.OrderBy(r => r.Order).ThenBy(r => r.Id))
            {
                var consultation = row.ConsultationId is { } cid ? consultations.FirstOrDefault(c => c.Id == cid) : null;
                var paperPublic = consultation is null || papers[consultation.PaperId].IsPublic;
                var visible = publicMeeting && row.Public && paperPublic;
                items.Add(new ItemView(row.Id, meeting.Id, row.ConsultationId, consultation is not null && paperPublic && !consultation.Deleted,
                    row.Number, visible && !row.Deleted ? order++ : 0, row.Name, visible, row.Deleted,
                    consultation?.ResultText ?? row.ResultText, consultation?.Outcome ?? row.Outcome, consultation?.ResolutionText ?? row.ResolutionText,
                    row.Start, row.End, row.Created, consultation is null ? row.Modified : Max(row.Modified, [consultation.Modified]),
                    publicMeeting && row.Public && consultation is not null ? WithdrawnWhileServed(papers[consultation.PaperId].WithdrawnFromPublic, row.Created) : null));
            }

            var number = 0;
            foreach (var consultation in planned
                         .Where(c => own.All(r => r.ConsultationId != c.Id))
                         .OrderBy(c => c.LateAddition).ThenBy(c => c.AgendaOrder ?? int.MaxValue).ThenBy(c => c.Created).ThenBy(c => c.Id))
            {
                var paper = papers[consultation.PaperId];
                var visible = publicMeeting && paper.IsPublic;
                var deleted = consultation.Deleted || consultation.Status == ConsultationStatus.Skipped;
                items.Add(new ItemView(consultation.Id, meeting.Id, consultation.Id, visible && !consultation.Deleted,
                    visible && !deleted ? $"Ö {++number}" : null, visible && !deleted ? order++ : 0, $"{paper.Reference} {paper.Name}", visible, deleted,
                    consultation.ResultText, consultation.Outcome, consultation.ResolutionText, null, null, consultation.Created, consultation.Modified,
                    publicMeeting ? WithdrawnWhileServed(paper.WithdrawnFromPublic, consultation.Created) : null));
            }
        }

        return new MeetingItems(items, latest);
    }

    /// <summary>When an item's paper was made non-public, if the item existed (and so was served) before that.</summary>
    private static DateTimeOffset? WithdrawnWhileServed(DateTimeOffset? withdrawnFromPublic, DateTimeOffset created) =>
        withdrawnFromPublic is { } withdrawn && created <= withdrawn ? withdrawn : null;

    private IQueryable<Guid> AgendaItemIds(Guid bodyId, OParlListQuery query)
    {
        var rows = db.AgendaItems.IgnoreQueryFilters();
        var consultations = db.Consultations.IgnoreQueryFilters();
        var papers = db.Papers.IgnoreQueryFilters();
        var meetings = db.Meetings.IgnoreQueryFilters();

        // The items of public papers, and, as deleted (stamped when withdrawn), those a paper made non-public had while it
        // was public, as the paper and its consultations are served (PaperIds, ConsultationIds).
        var rowIds = Stamped(
                rows.Where(r => r.BodyId == bodyId && r.Public && meetings.Any(m => m.Id == r.MeetingId && m.Publicity != MeetingPublicity.NonPublic)
                                && (r.ConsultationId == null || consultations.Any(c => c.Id == r.ConsultationId
                                    && papers.Any(p => p.Id == c.PaperId && (p.IsPublic || r.Created <= p.WithdrawnFromPublic))))),
                query, r => r.Created,
                ms => r => consultations.Any(c => c.Id == r.ConsultationId && papers.Any(p => p.Id == c.PaperId && !p.IsPublic && p.WithdrawnFromPublic >= ms))
                           || (!consultations.Any(c => c.Id == r.ConsultationId && papers.Any(p => p.Id == c.PaperId && !p.IsPublic))
                               && (r.Modified >= ms || consultations.Any(c => c.Id == r.ConsultationId && c.Modified >= ms))),
                before => r => consultations.Any(c => c.Id == r.ConsultationId && papers.Any(p => p.Id == c.PaperId && !p.IsPublic && p.WithdrawnFromPublic < before))
                           || (!consultations.Any(c => c.Id == r.ConsultationId && papers.Any(p => p.Id == c.PaperId && !p.IsPublic))
                               && r.Modified < before && !consultations.Any(c => c.Id == r.ConsultationId && c.Modified >= before)),
                r => !r.Deleted && !consultations.Any(c => c.Id == r.ConsultationId && papers.Any(p => p.Id == c.PaperId && !p.IsPublic)))
            .Select(r => r.Id);
        var derivedIds = Stamped(
                consultations.Where(c => c.BodyId == bodyId && c.MeetingId != null
                                         && papers.Any(p => p.Id == c.PaperId && (p.IsPublic || c.Created <= p.WithdrawnFromPublic))
                                         && meetings.Any(m => m.Id == c.MeetingId && m.Publicity != MeetingPublicity.NonPublic)
                                         && !rows.Any(r => r.ConsultationId == c.Id)),
                query, c => c.Created,
                ms => c => papers.Any(p => p.Id == c.PaperId && (p.IsPublic ? c.Modified >= ms : p.WithdrawnFromPublic >= ms)),
                before => c => papers.Any(p => p.Id == c.PaperId && (p.IsPublic ? c.Modified < before : p.WithdrawnFromPublic < before)),
                c => !c.Deleted && c.Status != ConsultationStatus.Skipped && papers.Any(p => p.Id == c.PaperId && p.IsPublic))
            .Select(c => c.Id);
        return rowIds.Concat(derivedIds);
    }

    private async Task<List<JsonObject>> AgendaItemsAsync(OParlUrls urls, List<Guid> ids, CancellationToken cancellationToken)
    {
        var meetingIds = await db.AgendaItems.IgnoreQueryFilters().Where(r => ids.Contains(r.Id)).Select(r => r.MeetingId)
            .Concat(db.Consultations.IgnoreQueryFilters().Where(c => ids.Contains(c.Id) && c.MeetingId != null).Select(c => c.MeetingId!.Value))
            .Distinct().ToListAsync(cancellationToken);
        var meetings = await db.Meetings.IgnoreQueryFilters().AsNoTracking().Where(m => meetingIds.Contains(m.Id)).ToListAsync(cancellationToken);
        var items = (await ItemsOfMeetingsAsync(meetings, cancellationToken)).Items
            .Where(i => (i.Visible || i.WithdrawnFromPublic is not null) && ids.Contains(i.Id)).ToList();
        var result = new List<JsonObject>();
        foreach (var item in Ordered(items, ids, i => i.Id))
        {
            var meeting = meetings.Single(m => m.Id == item.MeetingId);
            result.Add(item.ToJson(urls, await ZoneAsync(meeting.BodyId, cancellationToken), embedded: false));
        }

        return result;
    }

    private IQueryable<Guid> LocationIds(Guid bodyId, OParlListQuery query) =>
        Stamped(db.Meetings.IgnoreQueryFilters().Where(m => m.BodyId == bodyId && m.Location != null), query, m => m.Created,
            ms => m => m.Modified >= ms, before => m => m.Modified < before, m => !m.Deleted).Select(m => m.Id);

    /// <summary>A meeting's place is its Location, at a URL of its own drawn from the meeting's id.</summary>
    private async Task<List<JsonObject>> LocationsAsync(OParlUrls urls, List<Guid> ids, CancellationToken cancellationToken)
    {
        var meetings = await db.Meetings.IgnoreQueryFilters().AsNoTracking().Where(m => ids.Contains(m.Id) && m.Location != null).ToListAsync(cancellationToken);
        var result = new List<JsonObject>();
        foreach (var meeting in Ordered(meetings, ids, m => m.Id))
        {
            result.Add(LocationObject(urls, meeting, await ZoneAsync(meeting.BodyId, cancellationToken), embedded: false));
        }

        return result;
    }

    private static JsonObject LocationObject(OParlUrls urls, Meeting meeting, TimeZoneInfo zone, bool embedded)
    {
        var url = urls.Object("location", meeting.Id);
        return meeting.Deleted
            ? Deleted(url, "Location", meeting.Created, meeting.Modified, zone)
            : Object(url, "Location",
                ("description", Text(meeting.Location)),
                ("meetings", embedded ? null : Urls([urls.Object("meeting", meeting.Id)])),
                ("created", Time(meeting.Created, zone)),
                ("modified", Time(meeting.Modified, zone)));
    }

    // ---------- Papers and consultations ----------

    /// <summary>
    /// Public papers, and with <c>modified_since</c> those made non-public after they were public, as deleted (stamped
    /// with the time they were withdrawn, whatever happens to them since): a mirror drops them, and learns nothing more.
    /// </summary>
    private IQueryable<Guid> PaperIds(Guid bodyId, OParlListQuery query)
    {
        return Stamped(db.Papers.IgnoreQueryFilters().Where(p => p.BodyId == bodyId && (p.IsPublic || p.WithdrawnFromPublic != null)), query, p => p.Created,
            ms =>
            {
                var changed = ServedSince(ms);
                return p => p.IsPublic ? p.Modified >= ms || changed.Any(c => c.PaperId == p.Id) : p.WithdrawnFromPublic >= ms;
            },
            before =>
            {
                var changed = ServedSince(before);
                return p => p.IsPublic ? p.Modified < before && !changed.Any(c => c.PaperId == p.Id) : p.WithdrawnFromPublic < before;
            },
            p => !p.Deleted && p.IsPublic).Select(p => p.Id);
    }

    private async Task<List<JsonObject>> PapersAsync(OParlUrls urls, List<Guid> ids, bool omitInternal, CancellationToken cancellationToken)
    {
        var papers = await db.Papers.IgnoreQueryFilters().AsNoTracking().Where(p => ids.Contains(p.Id) && (p.IsPublic || p.WithdrawnFromPublic != null)).ToListAsync(cancellationToken);
        var publicPaperIds = papers.Where(p => p.IsPublic).Select(p => p.Id).ToList();
        var consultations = await db.Consultations.IgnoreQueryFilters().AsNoTracking().Where(c => publicPaperIds.Contains(c.PaperId)).ToListAsync(cancellationToken);
        var consultationViews = await ConsultationViewsAsync(consultations, cancellationToken);

        // Relations point only at public papers; a deleted one still has its URL.
        var relatedIds = papers.SelectMany(p => p.RelatedPaperIds).Concat(papers.Where(p => p.SuperordinatedPaperId != null).Select(p => p.SuperordinatedPaperId!.Value)).ToList();
        var publicIds = await db.Papers.IgnoreQueryFilters().Where(p => p.IsPublic && relatedIds.Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken);
        var subordinated = await db.Papers.IgnoreQueryFilters().Where(p => p.IsPublic && p.SuperordinatedPaperId != null && ids.Contains(p.SuperordinatedPaperId.Value))
            .OrderBy(p => p.Id).Select(p => new { p.Id, Parent = p.SuperordinatedPaperId!.Value }).ToListAsync(cancellationToken);
        var relatedBack = await db.Papers.IgnoreQueryFilters().Where(p => p.IsPublic && p.RelatedPaperIds.Count > 0)
            .Select(p => new { p.Id, p.RelatedPaperIds }).ToListAsync(cancellationToken);
        var files = await db.PaperFiles.AsNoTracking().Where(f => publicPaperIds.Contains(f.PaperId)).ToListAsync(cancellationToken);

        var result = new List<JsonObject>();
        foreach (var paper in Ordered(papers, ids, p => p.Id))
        {
            var zone = await ZoneAsync(paper.BodyId, cancellationToken);
            var own = consultationViews.Where(c => c.Consultation.PaperId == paper.Id).OrderBy(c => c.Consultation.Position).ToList();
            var modified = Max(paper.Modified, own.Select(c => c.Modified));
            var url = urls.Object("paper", paper.Id);
            if (paper.Deleted)
            {
                result.Add(Deleted(url, "Paper", paper.Created, modified, zone));
                continue;
            }

            if (!paper.IsPublic)
            {
                result.Add(Deleted(url, "Paper", paper.Created, paper.WithdrawnFromPublic!.Value, zone));
                continue;
            }

            var related = paper.RelatedPaperIds.Where(publicIds.Contains)
                .Concat(relatedBack.Where(r => r.RelatedPaperIds.Contains(paper.Id)).Select(r => r.Id))
                .Distinct().Order().Select(id => urls.Object("paper", id));
            var obj = Object(url, "Paper",
                ("body", urls.Body(paper.BodyId)),
                ("name", paper.Name),
                ("reference", paper.Reference),
                ("date", Date(paper.Date)),
                ("paperType", paper.PaperType),
                ("relatedPaper", Urls(related)),
                ("superordinatedPaper", paper.SuperordinatedPaperId is { } parent && publicIds.Contains(parent) ? Urls([urls.Object("paper", parent)]) : null),
                ("subordinatedPaper", Urls(subordinated.Where(s => s.Parent == paper.Id).Select(s => urls.Object("paper", s.Id)))),
                ("underDirectionOf", paper.LeadOfficeId is { } lead ? Urls([urls.Object("organization", lead)]) : null),
                ("mainFile", files.Where(f => f.PaperId == paper.Id && f.Role == PaperFileRole.Main).Select(f => FileObject(urls, f, zone, embedded: true)).FirstOrDefault()),
                ("auxiliaryFile", Objects(files.Where(f => f.PaperId == paper.Id && f.Role == PaperFileRole.Auxiliary)
                    .OrderBy(f => f.Created).ThenBy(f => f.Id).Select(f => FileObject(urls, f, zone, embedded: true)))),
                ("consultation", omitInternal ? null : Objects(own.Select(c => c.ToJson(urls, zone, embedded: true)))),
                ("created", Time(paper.Created, zone)),
                ("modified", Time(modified, zone)));
            obj[ExtensionPrefix + "status"] = paper.Status.ToString();
            obj[ExtensionPrefix + "statusLabel"] = Vocabulary.Label(paper.Status);
            if (paper.ParticipatingOfficeIds.Count > 0)
            {
                obj[ExtensionPrefix + "participatingOrganization"] = Urls(paper.ParticipatingOfficeIds.Select(o => urls.Object("organization", o)));
            }

            result.Add(obj);
        }

        return result;
    }

    // ---------- Files ----------

    /// <summary>
    /// The documents of public papers, and, as deleted, those a withdrawn paper had while it was public (as
    /// <see cref="ConsultationIds"/>); a document added while its paper was non-public is never mentioned. Withdrawing
    /// a paper stamps its documents (<see cref="Papers.EditPaper"/>), so <c>modified</c> alone says what changed.
    /// </summary>
    private IQueryable<Guid> FileIds(Guid bodyId, OParlListQuery query)
    {
        var papers = db.Papers.IgnoreQueryFilters();
        return Stamped(db.PaperFiles.IgnoreQueryFilters().Where(f => f.BodyId == bodyId
                && papers.Any(p => p.Id == f.PaperId && (p.IsPublic || f.Created <= p.WithdrawnFromPublic))), query, f => f.Created,
            ms => f => f.Modified >= ms, before => f => f.Modified < before,
            f => !f.Deleted && papers.Any(p => p.Id == f.PaperId && p.IsPublic && !p.Deleted)).Select(f => f.Id);
    }

    private async Task<List<JsonObject>> FilesAsync(OParlUrls urls, List<Guid> ids, bool embedded, CancellationToken cancellationToken)
    {
        var files = await db.PaperFiles.IgnoreQueryFilters().AsNoTracking().Where(f => ids.Contains(f.Id))
            .Join(db.Papers.IgnoreQueryFilters(), f => f.PaperId, p => p.Id, (f, p) => new { File = f, Paper = p })
            .Where(x => x.Paper.IsPublic || x.File.Created <= x.Paper.WithdrawnFromPublic)
            .ToListAsync(cancellationToken);
        // Only the texts, never the bytes beside them; a deleted document has neither.
        var served = files.Where(x => !x.File.Deleted && !x.Paper.Deleted && x.Paper.IsPublic).Select(x => x.File.Id).ToList();
        var texts = await db.PaperFileContents.AsNoTracking().Where(c => served.Contains(c.FileId))
            .Select(c => new { c.FileId, c.Text }).ToDictionaryAsync(c => c.FileId, c => c.Text, cancellationToken);
        var result = new List<JsonObject>();
        foreach (var (file, paper) in Ordered(files, ids, x => x.File.Id).Select(x => (x.File, x.Paper)))
        {
            var zone = await ZoneAsync(file.BodyId, cancellationToken);
            if (file.Deleted || paper.Deleted || !paper.IsPublic)
            {
                // accessUrl is required of every File, a deleted one too; it answers 410.
                var gone = Deleted(urls.Object("file", file.Id), "File", file.Created, Max(file.Modified, [paper.WithdrawnFromPublic ?? file.Modified]), zone);
                gone["accessUrl"] = urls.Object("file", file.Id) + "/access";
                result.Add(gone);
                continue;
            }

            result.Add(FileObject(urls, file, zone, embedded, texts.GetValueOrDefault(file.Id)));
        }

        return result;
    }

    /// <summary>
    /// A document as OParl's File: <c>accessUrl</c> serves it to be shown, <c>downloadUrl</c> as an attachment (OParl
    /// 1.1, 2.7), <c>text</c> its text when it has one (<see cref="PaperFileText"/>). A copy embedded in its paper leaves
    /// out the back-reference to the paper and the text: a page of 100 papers would otherwise carry every Vorlage's text
    /// (up to 1 MB each); the File's own URL and the body's files list serve it.
    /// </summary>
    private static JsonObject FileObject(OParlUrls urls, PaperFile file, TimeZoneInfo zone, bool embedded, string? text = null)
    {
        var url = urls.Object("file", file.Id);
        return Object(url, "File",
            ("name", file.Name),
            ("fileName", file.FileName),
            ("mimeType", file.MimeType.Split(';')[0]),
            ("date", Date(file.Date)),
            ("size", file.Size),
            ("sha512Checksum", file.Sha512Checksum),
            ("text", embedded ? null : text),
            ("accessUrl", url + "/access"),
            ("downloadUrl", url + "/download"),
            ("paper", embedded ? null : Urls([urls.Object("paper", file.PaperId)])),
            ("created", Time(file.Created, zone)),
            ("modified", Time(file.Modified, zone)));
    }

    /// <summary>
    /// The bytes of a public paper's document, for <c>accessUrl</c> and <c>downloadUrl</c>. A document deleted, or of a
    /// paper withdrawn from the public, is gone (410, as OParl asks); one never public does not exist.
    /// </summary>
    public async Task<PaperFileDownload> FileContentAsync(Guid id, CancellationToken cancellationToken)
    {
        var found = await db.PaperFiles.IgnoreQueryFilters().AsNoTracking().Where(f => f.Id == id)
            .Join(db.Papers.IgnoreQueryFilters(), f => f.PaperId, p => p.Id, (f, p) => new { File = f, Paper = p })
            .Where(x => x.Paper.IsPublic || x.File.Created <= x.Paper.WithdrawnFromPublic)
            .SingleOrDefaultAsync(cancellationToken) ?? throw OParlException.NotFound($"File {id}");
        if (found.File.Deleted || found.Paper.Deleted || !found.Paper.IsPublic)
        {
            throw new OParlException(410, $"File {id} was deleted.");
        }

        return await DownloadPaperFile.ReadAsync(db, found.Paper.Id, id, cancellationToken) ?? throw new OParlException(410, $"File {id} was deleted.");
    }

    /// <summary>The consultations of public papers, and, as deleted, those a withdrawn paper had while it was public (as <see cref="PaperIds"/>).</summary>
    private IQueryable<Guid> ConsultationIds(Guid bodyId, OParlListQuery query)
    {
        var papers = db.Papers.IgnoreQueryFilters();
        var consultations = db.Consultations.IgnoreQueryFilters();
        return Stamped(consultations.Where(c => c.BodyId == bodyId
                && papers.Any(p => p.Id == c.PaperId && (p.IsPublic || c.Created <= p.WithdrawnFromPublic))), query, c => c.Created,
            ms =>
            {
                // The same as asking the paper's publicity first, but led by the step's own modified, which most steps
                // fail at once, and with the withdrawn papers as a set apart: 0.9 s instead of 7.2 s for 300,000 steps.
                var changed = ServedSince(ms);
                return c => (c.Modified >= ms && changed.Any(s => s.Id == c.Id) && papers.Any(p => p.Id == c.PaperId && p.IsPublic))
                            || papers.Any(p => p.Id == c.PaperId && !p.IsPublic && p.WithdrawnFromPublic >= ms);
            },
            before =>
            {
                var changed = ServedSince(before);
                return c => papers.Any(p => p.Id == c.PaperId && (p.IsPublic ? !changed.Any(s => s.Id == c.Id) : p.WithdrawnFromPublic < before));
            },
            c => !c.Deleted && papers.Any(p => p.Id == c.PaperId && p.IsPublic)).Select(c => c.Id);
    }

    /// <summary>
    /// The consultations whose <c>modified</c> as served (<see cref="ConsultationView.Modified"/>) is at or after
    /// <paramref name="since"/>: a step deliberated in private serves no change made after its meeting began.
    /// <para>
    /// Two disjoint parts, each led by <c>modified</c>: the steps created or deleted since, and the others that are not in
    /// private in a meeting begun before. Written as one condition, the test for "in private" sat under an OR, which
    /// PostgreSQL cannot turn into a join: it scanned every meeting for each changed step, with a look-up of agenda items
    /// per meeting (7.2 s for a modified_since list of a body with 100,000 papers, docs/performance.md). As NOT EXISTS
    /// beside <c>modified</c> each is an anti-join from the few steps changed since.
    /// </para>
    /// </summary>
    private IQueryable<Consultation> ServedSince(DateTimeOffset since)
    {
        var consultations = db.Consultations.IgnoreQueryFilters();
        var meetings = db.Meetings.IgnoreQueryFilters();
        var rows = db.AgendaItems.IgnoreQueryFilters();
        return consultations.Where(c => c.Modified >= since && (c.Deleted || c.Created >= since))
            .Concat(consultations.Where(c => c.Modified >= since && !c.Deleted && c.Created < since
                && !meetings.Any(m => m.Id == c.MeetingId && m.Start < since && m.Publicity == MeetingPublicity.NonPublic)
                && !rows.Any(r => r.ConsultationId == c.Id
                                  && meetings.Any(m => m.Id == r.MeetingId && m.Start < since && (!r.Public || m.Publicity == MeetingPublicity.NonPublic)))));
    }

    private async Task<List<JsonObject>> ConsultationsAsync(OParlUrls urls, List<Guid> ids, bool embedded, CancellationToken cancellationToken)
    {
        var consultations = await db.Consultations.IgnoreQueryFilters().AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken);
        var paperIds = consultations.Select(c => c.PaperId).Distinct().ToList();
        var papers = await db.Papers.IgnoreQueryFilters().Where(p => paperIds.Contains(p.Id) && (p.IsPublic || p.WithdrawnFromPublic != null))
            .Select(p => new { p.Id, p.WithdrawnFromPublic }).ToDictionaryAsync(p => p.Id, p => p.WithdrawnFromPublic, cancellationToken);
        var views = await ConsultationViewsAsync(consultations.Where(c => papers.TryGetValue(c.PaperId, out var withdrawn) && withdrawn is null).ToList(), cancellationToken);
        var result = new List<JsonObject>();
        foreach (var consultation in Ordered(consultations, ids, c => c.Id))
        {
            var zone = await ZoneAsync(consultation.BodyId, cancellationToken);
            if (views.FirstOrDefault(v => v.Consultation.Id == consultation.Id) is { } view)
            {
                result.Add(view.ToJson(urls, zone, embedded));
            }
            else if (papers.GetValueOrDefault(consultation.PaperId) is { } withdrawn && consultation.Created <= withdrawn)
            {
                // Its paper was made non-public: a mirror that holds it drops it.
                result.Add(Deleted(urls.Object("consultation", consultation.Id), "Consultation", consultation.Created, withdrawn, zone));
            }
        }

        return result;
    }

    /// <summary>
    /// A consultation as served. <paramref name="InPrivate"/>: it is deliberated in private (planned into a meeting held
    /// in private, or its item is in a meeting's non-public part); the step stays in the public paper's Beratungsfolge with
    /// its committee, role and meeting, as every council's information system shows it, but without agenda item, status or
    /// outcome, which would tell whether and how the meeting dealt with it. <paramref name="PrivateFrom"/>: when the
    /// (earliest) meeting it is deliberated in private in begins.
    /// </summary>
    private sealed record ConsultationView(Consultation Consultation, Guid? AgendaItemId, bool InPrivate, DateTimeOffset? PrivateFrom = null)
    {
        /// <summary>
        /// The step's <c>modified</c> as served. Recording, correcting or deferring the outcome of a step taken in private
        /// changes nothing that is served of it; its own stamp would tell when the meeting decided and when the minutes were
        /// corrected. So from its meeting's start (public: the meeting is served with its date) a step in private serves
        /// that start: what it serves (committee, role, meeting) was set before. A change that is served after that (the
        /// step moved to a later meeting, deleted) shows, as it moves the start or comes with its own stamp.
        /// </summary>
        public DateTimeOffset Modified =>
            InPrivate && !Consultation.Deleted && PrivateFrom is { } start && Consultation.Modified > start
                ? Max(Consultation.Created, [start])
                : Consultation.Modified;

        public JsonObject ToJson(OParlUrls urls, TimeZoneInfo zone, bool embedded)
        {
            var c = Consultation;
            var url = urls.Object("consultation", c.Id);
            if (c.Deleted)
            {
                return Deleted(url, "Consultation", c.Created, c.Modified, zone);
            }

            var obj = Object(url, "Consultation",
                ("paper", embedded ? null : urls.Object("paper", c.PaperId)),
                ("agendaItem", AgendaItemId is { } item ? urls.Object("agendaItem", item) : null),
                ("meeting", c.MeetingId is { } meeting ? urls.Object("meeting", meeting) : null),
                ("organization", Urls([urls.Object("organization", c.OrganizationId)])),
                ("authoritative", c.Authoritative),
                ("role", Text(c.RoleText)),
                ("created", Time(c.Created, zone)),
                ("modified", Time(Modified, zone)));
            obj[ExtensionPrefix + "position"] = c.Position;
            obj[ExtensionPrefix + "role"] = c.Role.ToString();
            if (InPrivate)
            {
                return obj;
            }

            obj[ExtensionPrefix + "status"] = c.Status.ToString();
            obj[ExtensionPrefix + "statusLabel"] = Vocabulary.Label(c.Status);

            // The outcome of a step taken in a non-public part stays there with its agenda item.
            if (AgendaItemId is not null && c.Outcome is { } outcome)
            {
                obj[ExtensionPrefix + "outcome"] = outcome.ToString();
            }

            return obj;
        }
    }

    /// <summary>Each consultation with the public agenda item it was deliberated in, if there is one.</summary>
    private async Task<List<ConsultationView>> ConsultationViewsAsync(List<Consultation> consultations, CancellationToken cancellationToken)
    {
        var meetingIds = consultations.Where(c => c.MeetingId != null).Select(c => c.MeetingId!.Value).Distinct().ToList();
        var consultationIds = consultations.Select(c => c.Id).ToList();
        var rowMeetingIds = await db.AgendaItems.IgnoreQueryFilters().Where(r => r.ConsultationId != null && consultationIds.Contains(r.ConsultationId.Value))
            .Select(r => r.MeetingId).ToListAsync(cancellationToken);
        var meetings = await db.Meetings.IgnoreQueryFilters().AsNoTracking().Where(m => meetingIds.Contains(m.Id) || rowMeetingIds.Contains(m.Id)).ToListAsync(cancellationToken);
        var items = (await ItemsOfMeetingsAsync(meetings, cancellationToken)).Items;
        var privateMeetings = meetings.Where(m => m.Publicity == MeetingPublicity.NonPublic).Select(m => m.Id).ToHashSet();
        var starts = meetings.ToDictionary(m => m.Id, m => m.Start);
        return consultations.Select(c =>
        {
            // The meetings it is deliberated in private in, as ServedSince finds them.
            var inPrivate = items.Where(i => i.ConsultationId == c.Id && !i.Visible).Select(i => i.MeetingId)
                .Concat(c.MeetingId is { } meetingId && privateMeetings.Contains(meetingId) ? [meetingId] : []).ToList();
            return new ConsultationView(c, items.FirstOrDefault(i => i.ConsultationId == c.Id && i.Visible && !i.Deleted)?.Id,
                inPrivate.Count > 0, inPrivate.Count > 0 ? inPrivate.Min(id => starts[id]) : null);
        }).ToList();
    }

    // ---------- Helpers ----------

    private static IEnumerable<T> Ordered<T>(IEnumerable<T> items, List<Guid> ids, Func<T, Guid> key)
    {
        var byId = items.GroupBy(key).ToDictionary(g => g.Key, g => g.First());
        return ids.Where(byId.ContainsKey).Select(id => byId[id]);
    }

    private TimeZoneInfo ZoneOf(Body body) => _zones.TryGetValue(body.Id, out var zone) ? zone : _zones[body.Id] = body.Zone;

    private async Task<TimeZoneInfo> ZoneAsync(Guid bodyId, CancellationToken cancellationToken)
    {
        if (_zones.TryGetValue(bodyId, out var zone))
        {
            return zone;
        }

        var body = await db.Bodies.AsNoTracking().SingleAsync(b => b.Id == bodyId, cancellationToken);
        return ZoneOf(body);
    }
}
