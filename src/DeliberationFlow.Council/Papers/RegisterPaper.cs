using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Timers;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Papers;

/// <summary>Registers a paper and starts its workflow, which plans the first consultation.</summary>
public sealed record RegisterPaperRequest(
    string? Reference,
    string? Name,
    string? PaperType,
    string? LeadOffice,
    IReadOnlyList<string>? ParticipatingOffices,
    bool? IsPublic,
    DateOnly? Date,
    string? Workflow,
    bool Urgent = false);

public sealed partial class RegisterPaper(
    ICouncilDb db,
    WorkflowRunner runner,
    WorkflowSelection workflows,
    PaperReader reader,
    ITimerScheduler timers,
    IOutboxSignal outbox,
    TimeProvider clock,
    ILogger<RegisterPaper> logger)
{
    private static readonly System.Text.RegularExpressions.Regex FollowUp = FollowUpPattern();

    public async Task<PaperDetails> HandleAsync(Caller caller, RegisterPaperRequest request, CancellationToken cancellationToken)
    {
        if (!caller.MayRegisterPapers)
        {
            throw new ForbiddenException("Only admins and committee secretaries register papers.");
        }

        var errors = new ValidationErrors();
        errors.Required("reference", request.Reference);
        errors.Required("name", request.Name);
        errors.Required("paperType", request.PaperType);
        errors.Required("leadOffice", request.LeadOffice);
        if (request.Name is { Length: > EditPaper.MaxNameLength })
        {
            errors.Add("name", $"A title has at most {EditPaper.MaxNameLength} characters.");
        }

        if (request.Reference is { Length: > 40 })
        {
            errors.Add("reference", "A reference has at most 40 characters.");
        }

        if (request.Date is { } date)
        {
            errors.PlausibleYear("date", date.Year, "2021-04-01");
        }

        var offices = await db.Organizations
            .Where(o => o.BodyId == caller.BodyId && o.Kind == OrganizationKind.AdministrativeOffice)
            .ToListAsync(cancellationToken);
        var (lead, participating) = PaperOffices.Check(errors, offices, request.LeadOffice, request.ParticipatingOffices);

        var definition = string.IsNullOrWhiteSpace(request.PaperType) ? null : await workflows.FindAsync(caller.BodyId, request.Workflow, request.PaperType, cancellationToken);
        if (definition is null && !string.IsNullOrWhiteSpace(request.PaperType))
        {
            errors.Add(request.Workflow is null ? "paperType" : "workflow",
                $"No published workflow for {(request.Workflow is null ? $"paper type '{request.PaperType}'" : $"'{request.Workflow}'")}; available: {string.Join("; ", await workflows.DescribeAsync(caller.BodyId, cancellationToken))}.");
        }

        errors.ThrowIfAny();

        // The reference is the body's one number space, so a number taken by a paper the caller may not see is refused as
        // well: registering it would only fail at the unique index. The answer tells no more than that the number is taken
        // (it echoes the caller's own input, never the other paper's id, name or committees); the number itself is public
        // in the sense that the Sitzungsdienst assigns it and it appears in every committee's agenda.
        var reference = request.Reference!.Trim();
        if (await db.Papers.AnyAsync(p => p.BodyId == caller.BodyId && p.Reference == reference, cancellationToken))
        {
            throw new ConflictException($"A paper with reference '{reference}' is already registered.");
        }

        var now = clock.GetUtcNow();
        var body = await db.Bodies.GetAsync(caller.BodyId, cancellationToken);

        // Braunschweig numbering: 21-15513-01 follows up 21-15513 (e.g. the administration's Stellungnahme to an Antrag).
        var baseReference = FollowUp.Match(reference) is { Success: true } match ? match.Groups["base"].Value : null;
        var superordinated = baseReference is null
            ? null
            : await db.Papers.Where(p => p.BodyId == caller.BodyId && p.Reference == baseReference).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(cancellationToken);
        var paper = new Paper
        {
            Id = Guid.CreateVersion7(now),
            BodyId = caller.BodyId,
            Reference = reference,
            SuperordinatedPaperId = superordinated,
            Name = request.Name!.Trim(),
            PaperType = request.PaperType!.Trim(),
            Date = request.Date ?? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, body.Zone).DateTime),
            LeadOfficeId = lead!.Id,
            ParticipatingOfficeIds = participating,
            IsPublic = request.IsPublic ?? true,
            IsUrgent = request.Urgent,
            Created = now,
            Modified = now,
        };

        var run = await db.InTransactionAsync(logger, $"Registering paper {paper.Reference}", async cancellationToken =>
        {
            db.Papers.Add(paper);
            if (superordinated is { } parentId && paper.IsPublic)
            {
                // The paper it follows up now names it among its subordinated papers in OParl: that paper counts as
                // changed, so a client that synchronises on modified fetches it again.
                (await db.Papers.SingleAsync(p => p.Id == parentId, cancellationToken)).Modified = now;
            }

            var run = await runner.StartAsync(definition!, caller.BodyId, paper.Id.ToString(), caller.UserName, cancellationToken);
            paper.WorkflowInstanceId = run.Instance.Id;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
            {
                throw new ConflictException($"A paper with reference '{request.Reference}' is already registered.");
            }

            return run;
        }, cancellationToken);

        await timers.ScheduleAsync(run.Timers, cancellationToken);
        outbox.MessagesQueued();
        return await reader.ReadAsync(caller, paper.Id, cancellationToken);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<base>.+)-\d{2}$")]
    private static partial System.Text.RegularExpressions.Regex FollowUpPattern();
}
