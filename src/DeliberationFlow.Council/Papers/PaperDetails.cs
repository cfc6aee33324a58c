using System.Globalization;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Committees;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Papers;

/// <summary>A paper as the API shows it: its Beratungsfolge, its business timeline and the technical journal.</summary>
public sealed record PaperDetails(
    Guid Id,
    string Reference,
    string Name,
    string PaperType,
    DateOnly Date,
    string Status,
    string StatusLabel,
    bool IsPublic,
    OrganizationRef? LeadOffice,
    IReadOnlyList<OrganizationRef> ParticipatingOffices,
    WorkflowSummary? Workflow,
    PaperRef? SuperordinatedPaper,
    IReadOnlyList<PaperRef> SubordinatedPapers,
    IReadOnlyList<ConsultationView> Consultations,
    IReadOnlyList<string> Timeline,
    IReadOnlyList<JournalView> Journal);

public sealed record OrganizationRef(Guid Id, string Key, string Name);

public sealed record PaperRef(Guid Id, string Reference, string Name);

public sealed record WorkflowSummary(Guid InstanceId, string DefinitionId, int Version, string Status, string? CurrentActivityId);

public sealed record ConsultationView(
    Guid Id,
    int Position,
    OrganizationRef Committee,
    Guid? MeetingId,
    DateTimeOffset? MeetingStart,
    string? Date,
    string Role,
    string RoleText,
    bool Authoritative,
    string Status,
    string StatusLabel,
    string? Outcome,
    string? ResultText,
    string? ResolutionText,
    VoteTallyView? Votes,
    DateTimeOffset? RecordedAt,
    string? RecordedBy,
    UrgentDecisionView? UrgentDecision = null,
    Guid? InformsOfUrgentDecision = null);

/// <summary>
/// The step was moved from the Rat to the Verwaltungsausschuss as an Eilentscheidung (§ 89 NKomVG): the committee it was
/// taken from, who moved it, when, and the reason of urgency.
/// </summary>
public sealed record UrgentDecisionView(Guid InsteadOfId, string InsteadOf, string By, DateTimeOffset At, string Reason);

/// <summary>The vote: yes, no, abstentions, and whether it was unanimous (no votes against or abstentions).</summary>
public sealed record VoteTallyView(int For, int Against, int Abstentions, bool Unanimous)
{
    /// <summary>The tally as recorded, or none when no votes were recorded.</summary>
    public static VoteTallyView? Of(Consultation c) =>
        c.VotesFor is null ? null : new VoteTallyView(c.VotesFor.Value, c.VotesAgainst ?? 0, c.Abstentions ?? 0, (c.VotesAgainst ?? 0) == 0 && (c.Abstentions ?? 0) == 0);
}

public sealed record JournalView(long Sequence, DateTimeOffset Timestamp, string Kind, string? ActivityId, string? Outcome, string Actor, string Message);

/// <summary>Reads a paper for a caller, and decides who may see it.</summary>
public sealed class PaperReader(ICouncilDb db, TimeProvider clock, OrganizationDirectory directory)
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>
    /// Public papers are visible to every user of the body. A non-public paper only to admins, and to
    /// secretaries and present members of the committees it is consulted in (a seat that has ended, or not yet
    /// begun, opens nothing); to anyone else it does not exist.
    /// </summary>
    public async Task<bool> MaySeeAsync(Caller caller, Paper paper, CancellationToken cancellationToken)
    {
        if (paper.BodyId != caller.BodyId)
        {
            return false;
        }

        // The common case without a round trip; the others by the one statement of the rule, which lists use too.
        return paper.IsPublic || caller.IsAdmin || await (await VisiblePapersAsync(caller, cancellationToken)).AnyAsync(p => p.Id == paper.Id, cancellationToken);
    }

    /// <summary>
    /// A paper the caller may see but not keep (<see cref="Caller.MayKeepPaperConsultedIn"/>) gets a 403 naming the
    /// committees that do; one the caller may not see, a 404 as if it did not exist.
    /// </summary>
    public async Task EnsureMayKeepAsync(Caller caller, Paper paper, string action, CancellationToken cancellationToken)
    {
        if (paper.BodyId != caller.BodyId || !await MaySeeAsync(caller, paper, cancellationToken))
        {
            throw new NotFoundException($"No paper with id {paper.Id}.");
        }

        if (caller.IsAdmin)
        {
            return;
        }

        var committees = await db.Consultations.AsNoTracking().Where(c => c.PaperId == paper.Id)
            .Join(db.Organizations, c => c.OrganizationId, o => o.Id, (c, o) => new { o.Id, o.Name }).Distinct().ToListAsync(cancellationToken);
        if (!caller.MayKeepPaperConsultedIn(committees.Select(c => c.Id).ToList()))
        {
            throw new ForbiddenException(
                $"Paper {paper.Reference} is consulted in {string.Join(", ", committees.Select(c => c.Name).Order())}, none of them your committee; {action} is for their secretaries and the admins.");
        }
    }

    /// <summary>The papers of the caller's body the caller may see, as a query (the rule of <see cref="MaySeeAsync"/>).</summary>
    public async Task<IQueryable<Paper>> VisiblePapersAsync(Caller caller, CancellationToken cancellationToken)
    {
        var papers = db.Papers.AsNoTracking().Where(p => p.BodyId == caller.BodyId);
        if (caller.IsAdmin)
        {
            return papers;
        }

        if (caller.Role == UserRole.Secretary)
        {
            var committees = caller.CommitteeIds.ToList();
            return papers.Where(p => p.IsPublic || db.Consultations.Any(c => c.PaperId == p.Id && committees.Contains(c.OrganizationId)));
        }

        if (caller.PersonId is not { } personId)
        {
            return papers.Where(p => p.IsPublic);
        }

        // A seat's first and last day are days of the body's calendar: at 00:30 on 1 November a seat that ended on
        // 31 October has ended, though it is still 31 October in UTC (and one beginning that day has begun).
        var today = BodyClock.LocalDay(clock.GetUtcNow(), (await db.Bodies.GetAsync(caller.BodyId, cancellationToken)).Zone);
        return papers.Where(p => p.IsPublic || db.Consultations.Any(c => c.PaperId == p.Id
            && db.Memberships.Any(m => m.PersonId == personId && m.OrganizationId == c.OrganizationId
                                       && (m.StartDate == null || m.StartDate <= today) && (m.EndDate == null || m.EndDate >= today))));
    }

    public async Task<PaperDetails> ReadAsync(Caller caller, Guid paperId, CancellationToken cancellationToken)
    {
        var paper = await db.Papers.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paperId && p.BodyId == caller.BodyId, cancellationToken);
        if (paper is null || !await MaySeeAsync(caller, paper, cancellationToken))
        {
            throw new NotFoundException($"No paper with id {paperId}.");
        }

        return await DescribeAsync(caller, paper, cancellationToken);
    }

    public async Task<PaperDetails> ReadByReferenceAsync(Caller caller, string reference, CancellationToken cancellationToken)
    {
        var paper = await db.Papers.AsNoTracking().SingleOrDefaultAsync(p => p.Reference == reference && p.BodyId == caller.BodyId, cancellationToken);
        if (paper is null || !await MaySeeAsync(caller, paper, cancellationToken))
        {
            throw new NotFoundException($"No paper with reference '{reference}'.");
        }

        return await DescribeAsync(caller, paper, cancellationToken);
    }

    /// <summary>A paper the caller may see, already read (by a use case that checked that), with its consultations.</summary>
    public async Task<PaperDetails> DescribeAsync(Caller caller, Paper paper, CancellationToken cancellationToken) =>
        await DescribeAsync(caller, paper, await db.Consultations.AsNoTracking().Where(c => c.PaperId == paper.Id).ToListAsync(cancellationToken), null, true, cancellationToken);

    /// <summary>
    /// Describes a paper a use case has just changed, from its unit of work: the consultations and instance it
    /// holds, and whatever body, committees and meetings it has loaded, are not read again; nor the follow-up papers
    /// when the use case knows there are none (<paramref name="hasSubordinated"/> false). Linked papers the caller may
    /// not see are left out; the technical journal, which names the recipients of every notice, is for those who keep
    /// the papers (secretaries and admins, <see cref="ShowsJournalTo"/>); a use case that has read it already (with
    /// <see cref="ICouncilDb.WriteJournalAsync(Guid, CancellationToken)"/>) hands it in as <paramref name="journal"/>.
    /// </summary>
    public async Task<PaperDetails> DescribeAsync(
        Caller caller,
        Paper paper, IReadOnlyCollection<Consultation> consultations, WorkflowInstance? instance, bool hasSubordinated, CancellationToken cancellationToken,
        IReadOnlyList<JournalView>? journal = null)
    {
        var body = db.Bodies.FindTracked(paper.BodyId)
                   ?? await db.Bodies.AsNoTracking().SingleAsync(b => b.Id == paper.BodyId, cancellationToken);
        var organizationIds = consultations.Select(c => c.OrganizationId)
            .Concat(consultations.Where(c => c.UrgentDecisionInsteadOfId != null).Select(c => c.UrgentDecisionInsteadOfId!.Value))
            .Concat(paper.ParticipatingOfficeIds);
        if (paper.LeadOfficeId is { } leadOfficeId)
        {
            // Only a real id: an empty placeholder would never be in the unit of work and always cost a query.
            organizationIds = organizationIds.Append(leadOfficeId);
        }

        var organizations = await OrganizationsAsync(paper.BodyId, organizationIds, cancellationToken);
        var meetings = await LookUpAsync(db.Meetings, consultations.Where(c => c.MeetingId != null).Select(c => c.MeetingId!.Value), m => m.Id, cancellationToken);

        var views = consultations.OrderBy(c => c.Position).Select(c =>
        {
            var meeting = c.MeetingId is { } id ? meetings[id] : null;
            var committee = organizations[c.OrganizationId];
            return new ConsultationView(
                c.Id, c.Position, Ref(committee), c.MeetingId, meeting?.Start,
                meeting is null ? null : BodyClock.ToLocal(meeting.Start, body.Zone).ToString("dd.MM.yyyy", German),
                c.Role.ToString(), c.RoleText, c.Authoritative, c.Status.ToString(), Vocabulary.Label(c.Status),
                c.Outcome?.ToString(), c.ResultText, c.ResolutionText,
                VoteTallyView.Of(c), c.RecordedAt, c.RecordedBy,
                c.UrgentDecisionInsteadOfId is { } insteadOf
                    ? new UrgentDecisionView(insteadOf, organizations.TryGetValue(insteadOf, out var council) ? council.Name : "", c.UrgentDecisionBy ?? "",
                        c.UrgentDecisionAt ?? c.Modified, c.UrgentDecisionReason ?? "")
                    : null,
                c.InformsOfUrgentDecisionId);
        }).ToList();

        var byId = consultations.DistinctBy(c => c.Id).ToDictionary(c => c.Id);
        var timeline = views.Select(v => TimelineLine(v, byId[v.Id], body)).ToList();

        WorkflowSummary? workflow = null;
        if (paper.WorkflowInstanceId is { } instanceId)
        {
            instance ??= await db.WorkflowInstances.AsNoTracking().SingleAsync(i => i.Id == instanceId, cancellationToken);
            workflow = new WorkflowSummary(instance.Id, instance.DefinitionId, instance.DefinitionVersion, instance.Status.ToString(), instance.CurrentActivityId);
        }

        journal = !ShowsJournalTo(caller) ? []
            : journal ?? (paper.WorkflowInstanceId is { } journalOf ? await JournalAsync(db, journalOf, cancellationToken) : []);

        // A public paper's -01 may be non-public (a Stellungnahme on personnel matters), and the other way round.
        var linked = caller.IsAdmin ? db.Papers.AsNoTracking() : await VisiblePapersAsync(caller, cancellationToken);
        var superordinated = paper.SuperordinatedPaperId is { } parentId
            ? await linked.Where(p => p.Id == parentId).Select(p => new PaperRef(p.Id, p.Reference, p.Name)).SingleOrDefaultAsync(cancellationToken)
            : null;
        IReadOnlyList<PaperRef> subordinated = !hasSubordinated ? []
            : caller.IsAdmin ? await SubordinatedQuery.For(db)(db.Context, paper.Id).ToListAsync(cancellationToken)
            : await linked.Where(p => p.SuperordinatedPaperId == paper.Id).OrderBy(p => p.Reference).Select(p => new PaperRef(p.Id, p.Reference, p.Name)).ToListAsync(cancellationToken);

        return new PaperDetails(
            paper.Id, paper.Reference, paper.Name, paper.PaperType, paper.Date, paper.Status.ToString(), Vocabulary.Label(paper.Status), paper.IsPublic,
            paper.LeadOfficeId is { } lead && organizations.TryGetValue(lead, out var leadOffice) ? Ref(leadOffice) : null,
            paper.ParticipatingOfficeIds.Where(organizations.ContainsKey).Select(id => Ref(organizations[id])).ToList(),
            workflow, superordinated, subordinated, views, timeline, journal);
    }

    /// <summary>
    /// One step of the business timeline: "FPA, 29.04.2021: beschlossen (Vorberatung)". An Eilentscheidung names itself in
    /// place of the role, "Verwaltungsausschuss (Eilentscheidung nach § 89 NKomVG anstelle des Rates), 04.05.2021: beschlossen",
    /// and the Rat's Unterrichtung reads "Rat, 18.05.2021: Unterrichtung über die Eilentscheidung – zur Kenntnis genommen".
    /// </summary>
    private static string TimelineLine(ConsultationView view, Consultation consultation, Body body)
    {
        if (consultation.InformsOfUrgentDecisionId is not null)
        {
            return $"{view.Committee.Name}, {view.Date ?? "ohne Termin"}: Unterrichtung über die Eilentscheidung – {view.ResultText ?? view.StatusLabel}";
        }

        var committee = consultation.UrgentDecisionInsteadOfId is null ? view.Committee.Name : $"{view.Committee.Name} ({Consultations.StartUrgentDecision.Marking})";
        if (consultation.DecidedByCirculation && consultation.RecordedAt is not null)
        {
            return CirculationLine(committee, view, consultation, body);
        }

        var role = consultation.UrgentDecisionInsteadOfId is null ? $" ({view.RoleText})" : "";
        return $"{committee}, {view.Date ?? "ohne Termin"}: {view.ResultText ?? view.StatusLabel}{role}";
    }

    /// <summary>
    /// A step the committee decided by Umlaufverfahren has no meeting: the line says so, when it closed and how the members
    /// answered, "Verwaltungsausschuss, Umlaufverfahren (abgeschlossen 12.05.2021): beschlossen (7 Ja, 0 Nein, 1 Enthaltung)".
    /// </summary>
    private static string CirculationLine(string committee, ConsultationView view, Consultation consultation, Body body)
    {
        var closed = BodyClock.ToLocal(consultation.RecordedAt!.Value, body.Zone).ToString("dd.MM.yyyy", German);
        var abstentions = consultation.Abstentions ?? 0;
        var tally = consultation.VotesFor is { } yes
            ? $"{yes} Ja, {consultation.VotesAgainst ?? 0} Nein, {Tally.Abstentions(abstentions)}"
            : view.RoleText;
        return $"{committee}, Umlaufverfahren (abgeschlossen {closed}): {view.ResultText} ({tally})";
    }

    /// <summary>Whether the answer lists the technical journal, which names the recipients of every notice.</summary>
    public static bool ShowsJournalTo(Caller caller) => caller.MayRegisterPapers;

    /// <summary>An instance's whole journal, in sequence.</summary>
    public static async Task<IReadOnlyList<JournalView>> JournalAsync(ICouncilDb db, Guid instanceId, CancellationToken cancellationToken) =>
        await JournalQuery.For(db)(db.Context, instanceId).ToListAsync(cancellationToken);

    // Compiled, as every answer of a step asks them (the whole journal grows with the paper's story).
    private static readonly CompiledQuery<Func<DbContext, Guid, IAsyncEnumerable<JournalView>>> JournalQuery = new(() => EF.CompileAsyncQuery(
        (DbContext db, Guid instanceId) => db.Set<JournalEntry>().AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.Sequence)
            .Select(j => new JournalView(j.Sequence, j.Timestamp, j.Kind.ToString(), j.ActivityId, j.Outcome, j.Actor, j.Message))));

    private static readonly CompiledQuery<Func<DbContext, Guid, IAsyncEnumerable<PaperRef>>> SubordinatedQuery = new(() => EF.CompileAsyncQuery(
        (DbContext db, Guid paperId) => db.Set<Paper>().AsNoTracking().Where(p => p.SuperordinatedPaperId == paperId)
            .OrderBy(p => p.Reference).Select(p => new PaperRef(p.Id, p.Reference, p.Name))));

    /// <summary>
    /// The organizations with these ids: those the unit of work holds (perhaps just changed), the rest from the body's
    /// organizations this node holds. Deleted ones are left out.
    /// </summary>
    private async Task<Dictionary<Guid, Organization>> OrganizationsAsync(Guid bodyId, IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<Guid, Organization>();
        BodyOrganizations? known = null;
        foreach (var id in ids)
        {
            if (found.ContainsKey(id))
            {
                continue;
            }

            if ((db.Organizations.FindTracked(id) ?? (known ??= await directory.OfAsync(db, bodyId, cancellationToken)).Find(id)) is { Deleted: false } organization)
            {
                found[id] = organization;
            }
        }

        return found;
    }

    /// <summary>The entities with these ids: those the unit of work holds, the rest in one query.</summary>
    private static async Task<Dictionary<Guid, T>> LookUpAsync<T>(DbSet<T> set, IEnumerable<Guid> ids, Func<T, Guid> idOf, CancellationToken cancellationToken)
        where T : class
    {
        var found = new Dictionary<Guid, T>();
        var missing = new List<Guid>();
        foreach (var id in ids)
        {
            if (found.ContainsKey(id) || missing.Contains(id))
            {
                continue;
            }

            if (set.FindTracked(id) is { } tracked)
            {
                found[id] = tracked;
            }
            else
            {
                missing.Add(id);
            }
        }

        if (missing.Count > 0)
        {
            foreach (var entity in await set.AsNoTracking().Where(e => missing.Contains(EF.Property<Guid>(e, "Id"))).ToListAsync(cancellationToken))
            {
                found[idOf(entity)] = entity;
            }
        }

        return found;
    }

    private static OrganizationRef Ref(Organization organization) => new(organization.Id, organization.Key, organization.Name);
}
