using System.Globalization;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Papers;

/// <summary>
/// The paper's particulars as they stand after the edit (all of them, as a PUT replaces them). <see cref="Reason"/> goes
/// into the paper's journal with the change. Reference, paper type and urgency are not edited: the reference is the
/// paper's identity, and the workflow and the deadlines it was planned under follow from type and urgency.
/// </summary>
public sealed record EditPaperRequest(
    string? Name, string? LeadOffice, IReadOnlyList<string>? ParticipatingOffices, DateOnly? Date, bool? IsPublic, string? Reason = null);

/// <summary>
/// Corrects a registered paper: its title, lead and participating offices, date and publicity (Vorlage bearbeiten).
/// Who may register papers may edit those they may see. Every change is written to the paper's journal with who,
/// when, before and after. A paper made non-public leaves the public OParl interface as deleted, so that portals which
/// mirrored it drop it (<see cref="Paper.WithdrawnFromPublic"/>); its meetings count as changed, so their agendas are
/// fetched again without it.
/// </summary>
public sealed class EditPaper(ICouncilDb db, PaperReader reader, TimeProvider clock)
{
    public const int MaxNameLength = 1000;
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public async Task<PaperDetails> HandleAsync(Caller caller, Guid paperId, EditPaperRequest request, CancellationToken cancellationToken)
    {
        if (!caller.MayRegisterPapers)
        {
            throw new ForbiddenException("Only admins and committee secretaries edit papers.");
        }

        var paper = await db.Papers.SingleOrDefaultAsync(p => p.Id == paperId && p.BodyId == caller.BodyId, cancellationToken)
                    ?? throw new NotFoundException($"No paper with id {paperId}.");
        await reader.EnsureMayKeepAsync(caller, paper, "editing it", cancellationToken);

        var offices = await db.Organizations.AsNoTracking()
            .Where(o => o.BodyId == caller.BodyId && o.Kind == OrganizationKind.AdministrativeOffice)
            .ToListAsync(cancellationToken);
        var (name, lead, participating, date, isPublic, reason) = Validate(request, offices, paper.Date);

        var changes = new List<string>();
        var officeName = offices.ToDictionary(o => o.Id, o => o.Name);
        string Offices(IEnumerable<Guid> ids) => ids.Any() ? string.Join(", ", ids.Select(id => officeName.GetValueOrDefault(id, id.ToString()))) : "keine";
        if (paper.Name != name)
        {
            changes.Add($"Titel „{paper.Name}“ → „{name}“");
        }

        if (paper.LeadOfficeId != lead.Id)
        {
            changes.Add($"Federführung {(paper.LeadOfficeId is { } before ? Offices([before]) : "keine")} → {lead.Name}");
        }

        if (!paper.ParticipatingOfficeIds.Order().SequenceEqual(participating.Order()))
        {
            changes.Add($"Beteiligt {Offices(paper.ParticipatingOfficeIds)} → {Offices(participating)}");
        }

        if (paper.Date != date)
        {
            changes.Add($"Datum {paper.Date.ToString("dd.MM.yyyy", German)} → {date.ToString("dd.MM.yyyy", German)}");
        }

        if (paper.IsPublic != isPublic)
        {
            changes.Add(isPublic ? "jetzt öffentlich (vorher nicht öffentlich)" : "jetzt nicht öffentlich (vorher öffentlich)");
        }

        if (changes.Count == 0)
        {
            return await reader.DescribeAsync(caller, paper, cancellationToken);
        }

        var now = clock.GetUtcNow();
        if (paper.IsPublic != isPublic)
        {
            await MarkMeetingsChangedAsync(paper, now, cancellationToken);
            await MarkLinkedPapersChangedAsync(paper, now, cancellationToken);

            // OParl serves the paper's documents as deleted while it is non-public, and again when it is public.
            foreach (var file in await db.PaperFiles.Where(f => f.PaperId == paper.Id).ToListAsync(cancellationToken))
            {
                file.Modified = now;
            }
            paper.WithdrawnFromPublic = isPublic ? null : now;
        }

        paper.Name = name;
        paper.LeadOfficeId = lead.Id;
        paper.ParticipatingOfficeIds = participating;
        paper.Date = date;
        paper.IsPublic = isPublic;
        paper.Modified = now;
        if (paper.WorkflowInstanceId is { } instanceId)
        {
            var instance = await db.WorkflowInstances.GetAsync(instanceId, cancellationToken);
            db.Journal.Add(WorkflowJournal.Entry(instance, JournalEventKind.PaperEdited, now, caller.UserName,
                $"Vorlage geändert: {string.Join("; ", changes)}.{(reason is null ? "" : $" Grund: {reason}")}"));
        }

        await db.SaveChangesAsync(cancellationToken);

        // The paper as saved, from the unit of work: it is not looked up and checked again.
        return await reader.DescribeAsync(caller, paper, cancellationToken);
    }

    /// <summary>
    /// The paper's consultations and the meetings they sit in count as changed when its publicity changes: an OParl
    /// client that asks what changed since its last visit then fetches them again, with or without the paper's item.
    /// </summary>
    private async Task MarkMeetingsChangedAsync(Paper paper, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var consultations = await db.Consultations.Where(c => c.PaperId == paper.Id).ToListAsync(cancellationToken);
        var meetingIds = consultations.Where(c => c.MeetingId != null).Select(c => c.MeetingId!.Value).Distinct().ToList();
        foreach (var meeting in await db.Meetings.Where(m => meetingIds.Contains(m.Id)).ToListAsync(cancellationToken))
        {
            meeting.Modified = now;
        }

        foreach (var consultation in consultations)
        {
            consultation.Modified = now;
        }
    }

    /// <summary>
    /// The papers linked to this one count as changed too when its publicity changes: OParl names only public papers in a
    /// paper's <c>relatedPaper</c>, <c>superordinatedPaper</c> and <c>subordinatedPaper</c> (both ways for related ones),
    /// so each linked paper as served gains or loses the link, and a client that synchronises on <c>modified</c> must
    /// fetch it again.
    /// </summary>
    private async Task MarkLinkedPapersChangedAsync(Paper paper, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var related = paper.RelatedPaperIds;
        var parent = paper.SuperordinatedPaperId;
        var linked = await db.Papers
            .Where(p => p.BodyId == paper.BodyId && p.Id != paper.Id
                        && (p.SuperordinatedPaperId == paper.Id || p.Id == parent || related.Contains(p.Id) || p.RelatedPaperIds.Contains(paper.Id)))
            .ToListAsync(cancellationToken);
        foreach (var other in linked)
        {
            other.Modified = now;
        }
    }

    private static (string Name, Organization Lead, List<Guid> Participating, DateOnly Date, bool IsPublic, string? Reason) Validate(
        EditPaperRequest request, List<Organization> offices, DateOnly recorded)
    {
        var errors = new ValidationErrors();
        errors.Required("name", request.Name);
        errors.Required("leadOffice", request.LeadOffice);
        if (request.Name is { Length: > MaxNameLength })
        {
            errors.Add("name", $"A title has at most {MaxNameLength} characters.");
        }

        var (lead, participating) = PaperOffices.Check(errors, offices, request.LeadOffice, request.ParticipatingOffices);

        if (request.Date is null)
        {
            errors.Add("date", "Give the paper's date (yyyy-MM-dd).");
        }
        else if (request.Date != recorded)
        {
            // Only a new date is checked: a paper an OParl import brought may be older than the years a date is entered
            // in, and correcting its title must not make its date wrong.
            errors.PlausibleYear("date", request.Date.Value.Year, "2021-04-01");
        }

        if (request.IsPublic is null)
        {
            errors.Add("isPublic", "Say whether the paper is public (true or false).");
        }

        if (request.Reason is { Length: > 500 })
        {
            errors.Add("reason", "A reason has at most 500 characters.");
        }

        errors.ThrowIfAny();
        return (request.Name!.Trim(), lead!, participating, request.Date!.Value, request.IsPublic!.Value,
            string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim());
    }
}
