using System.Collections;
using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Common;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Notifications.Templates;

public sealed record MailTemplateSummary(string Kind, string Language, string Description, bool Mandatory, bool Customized, DateTimeOffset? Modified);

public sealed record MailTemplateView(
    string Kind, string Language, string Description, bool Mandatory, bool Customized, string Subject, string Text, string Html, IReadOnlyList<string> Fields);

public sealed record SaveMailTemplateRequest(string? Subject, string? Text, string? Html);

/// <summary>
/// The admins' view of the body's message templates: every kind in every language, the shipped default or the body's own
/// version, and the fields a template may name. Saving checks all three parts and refuses a template that does not parse
/// or names an unknown field, saying where; deleting returns to the default.
/// </summary>
public sealed class ManageMailTemplates(ICouncilDb db, TimeProvider clock)
{
    /// <summary>A subject template, placeholders included (the rendered subject line is cut at 480 characters).</summary>
    public const int MaxSubjectLength = 1000;

    /// <summary>A message's text or HTML template: a page or two of text, with the HTML's markup and inline styles.</summary>
    public const int MaxBodyLength = 100_000;

    public async Task<IReadOnlyList<MailTemplateSummary>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        var own = await db.MailTemplates.AsNoTracking().Where(t => t.BodyId == caller.BodyId).ToListAsync(cancellationToken);
        return MailKinds.All.SelectMany(kind => MailLanguages.All.Select(language =>
        {
            var stored = own.FirstOrDefault(t => t.Kind == kind.Name && t.Language == language);
            return new MailTemplateSummary(kind.Name, language, kind.DescriptionIn(language), kind.Mandatory, stored is not null, stored?.Modified);
        })).ToList();
    }

    public async Task<MailTemplateView> GetAsync(Caller caller, string kind, string language, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        var mailKind = Find(kind, language);
        var stored = await StoredAsync(caller, kind, language, cancellationToken);
        var text = DefaultMailTemplates.InForce(stored, kind, language);
        return new MailTemplateView(kind, language, mailKind.DescriptionIn(language), mailKind.Mandatory, stored is not null, text.Subject, text.Text, text.Html,
            Fields(mailKind.Sample()));
    }

    private Task<MailTemplate?> StoredAsync(Caller caller, string kind, string language, CancellationToken cancellationToken) =>
        db.MailTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.BodyId == caller.BodyId && t.Kind == kind && t.Language == language, cancellationToken);

    private async Task<MailTemplateText> InForceAsync(Caller caller, string kind, string language, CancellationToken cancellationToken) =>
        DefaultMailTemplates.InForce(await StoredAsync(caller, kind, language, cancellationToken), kind, language);

    public async Task<MailTemplateView> SaveAsync(Caller caller, string kind, string language, SaveMailTemplateRequest request, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        var mailKind = Find(kind, language);
        var (template, _) = await CheckAsync(mailKind, language, request);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await CountChangeAsync(caller, cancellationToken);
        var stored = await db.MailTemplates.SingleOrDefaultAsync(t => t.BodyId == caller.BodyId && t.Kind == kind && t.Language == language, cancellationToken);
        if (stored is null)
        {
            stored = new MailTemplate
            {
                Id = Guid.CreateVersion7(clock.GetUtcNow()), BodyId = caller.BodyId, Kind = kind, Language = language,
                Subject = template.Subject, Text = template.Text, Html = template.Html,
            };
            db.MailTemplates.Add(stored);
        }

        stored.Subject = template.Subject;
        stored.Text = template.Text;
        stored.Html = template.Html;
        stored.Modified = clock.GetUtcNow();
        stored.ModifiedBy = caller.UserName;
        db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.MailTemplate, $"{kind} ({language})", $"Eigener Wortlaut gespeichert; Betreff „{template.Subject}“.", stored.Modified));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(caller, kind, language, cancellationToken);
    }

    /// <summary>Back to the shipped wording.</summary>
    public async Task<MailTemplateView> ResetAsync(Caller caller, string kind, string language, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        Find(kind, language);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await CountChangeAsync(caller, cancellationToken);
        if (await db.MailTemplates.Where(t => t.BodyId == caller.BodyId && t.Kind == kind && t.Language == language).ExecuteDeleteAsync(cancellationToken) > 0)
        {
            db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.MailTemplate, $"{kind} ({language})", "Auf den Standardwortlaut zurückgesetzt.", clock.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(caller, kind, language, cancellationToken);
    }

    // In the change's transaction, first: the increment locks the body's row, so two admins' changes of the same body
    // follow one another and each leaves its own revision, which tells every node that its copies are out of date.
    private Task<int> CountChangeAsync(Caller caller, CancellationToken cancellationToken) =>
        db.Bodies.Where(b => b.Id == caller.BodyId)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.MailTemplatesRevision, b => b.MailTemplatesRevision + 1), cancellationToken);

    /// <summary>
    /// Renders with the kind's sample data: the template in the request if it has one (checked first, as when saving),
    /// else the one in force.
    /// </summary>
    public async Task<RenderedMail> PreviewAsync(Caller caller, string kind, string language, SaveMailTemplateRequest? request, CancellationToken cancellationToken)
    {
        RequireAdmin(caller);
        var mailKind = Find(kind, language);
        return request is { Subject: not null } or { Text: not null } or { Html: not null }
            ? (await CheckAsync(mailKind, language, request)).Rendered
            // One saved before rendering was checked: the admin learns which part fails, not a 500.
            : await RenderSampleAsync(await InForceAsync(caller, kind, language, cancellationToken), language, mailKind.Sample());
    }

    /// <summary>
    /// Parses every part, checks the fields it names and renders it once with the kind's sample data, so a template that
    /// fails only when rendered ({{ 1 | divided_by: 0 }}, an endless loop, megabytes of output) is refused when saved
    /// rather than failing every message of its kind.
    /// </summary>
    private static async Task<(MailTemplateText Template, RenderedMail Rendered)> CheckAsync(MailKind kind, string language, SaveMailTemplateRequest request)
    {
        var errors = new ValidationErrors();
        errors.Required("subject", request.Subject);
        errors.Required("text", request.Text);
        errors.Required("html", request.Html);
        errors.MaxLength("subject", request.Subject, MaxSubjectLength, "A subject template");
        errors.MaxLength("text", request.Text, MaxBodyLength, "The plain-text template");
        errors.MaxLength("html", request.Html, MaxBodyLength, "The HTML template");
        errors.ThrowIfAny();
        var model = kind.Sample();
        var problems = TemplateChecker.Check("subject", request.Subject!, model)
            .Concat(TemplateChecker.Check("text", request.Text!, model))
            .Concat(TemplateChecker.Check("html", request.Html!, model))
            .ToList();
        if (problems.Count > 0)
        {
            throw new RequestValidationException(problems.GroupBy(p => p.Part).ToDictionary(
                g => g.Key,
                g => g.Select(p => p.Line is null ? p.Message : $"line {p.Line}, column {p.Column}: {p.Message}").ToArray()));
        }

        var template = new MailTemplateText(request.Subject!.Trim(), request.Text!, request.Html!);
        return (template, await RenderSampleAsync(template, language, model));
    }

    /// <summary>Renders with sample data; a part that fails is the request's problem, named at the part.</summary>
    private static async Task<RenderedMail> RenderSampleAsync(MailTemplateText template, string language, Dictionary<string, object?> model)
    {
        try
        {
            return await MailRenderer.RenderAsync(template, language, model);
        }
        catch (MailTemplateRenderException ex)
        {
            throw RequestValidationException.For(ex.Part, ex.Message);
        }
    }

    private static MailKind Find(string kind, string language)
    {
        if (!MailLanguages.All.Contains(language))
        {
            throw new NotFoundException($"No language '{language}'; templates exist in {string.Join(", ", MailLanguages.All)}.");
        }

        return MailKinds.Find(kind) ?? throw new NotFoundException($"No kind of message '{kind}'; known are {string.Join(", ", MailKinds.All.Select(k => k.Name))}.");
    }

    private static void RequireAdmin(Caller caller)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Message templates are managed by admins.");
        }
    }

    /// <summary>The paths a template may name, e.g. <c>meeting.date</c> or <c>items[].reference</c>.</summary>
    internal static IReadOnlyList<string> Fields(IDictionary<string, object?> model, string prefix = "")
    {
        var fields = new List<string>();
        foreach (var (name, value) in model)
        {
            var path = prefix + name;
            switch (value)
            {
                case IDictionary<string, object?> nested:
                    fields.AddRange(Fields(nested, path + "."));
                    break;
                case IList { Count: > 0 } list when list[0] is IDictionary<string, object?> element:
                    fields.AddRange(Fields(element, path + "[]."));
                    break;
                default:
                    fields.Add(path);
                    break;
            }
        }

        return fields;
    }
}
