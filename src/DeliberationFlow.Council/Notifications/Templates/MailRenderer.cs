using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Fluid;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Notifications.Templates;

/// <summary>The three parts of a message's wording.</summary>
public sealed record MailTemplateText(string Subject, string Text, string Html);

public sealed record RenderedMail(string Subject, string Text, string Html);

/// <summary>The wording shipped with the service: one file per kind and language, with a subject, a text and an HTML part.</summary>
public static class DefaultMailTemplates
{
    private static readonly ConcurrentDictionary<(string, string), MailTemplateText> Cache = new();

    /// <summary>The template in force: the body's own (<paramref name="own"/>, if it has one), else the shipped default.</summary>
    public static MailTemplateText InForce(MailTemplate? own, string kind, string language) =>
        own is null ? Get(kind, language) : new MailTemplateText(own.Subject, own.Text, own.Html);

    public static MailTemplateText Get(string kind, string language) => Cache.GetOrAdd((kind, language), key =>
    {
        var name = $"DeliberationFlow.Council.Notifications.Templates.Defaults.{key.Item1}.{key.Item2}.liquid";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"No default template {key.Item1}.{key.Item2}.liquid is shipped.");
        using var reader = new StreamReader(stream);
        return Split(reader.ReadToEnd(), $"{key.Item1}.{key.Item2}.liquid");
    });

    /// <summary>A template file has three parts, each after a line <c>--- subject</c>, <c>--- text</c>, <c>--- html</c>.</summary>
    internal static MailTemplateText Split(string content, string file)
    {
        var parts = new Dictionary<string, string>();
        string? current = null;
        var lines = new List<string>();
        foreach (var line in content.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.StartsWith("--- ", StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    parts[current] = string.Join('\n', lines).Trim('\n') + "\n";
                }

                current = line[4..].Trim();
                lines.Clear();
            }
            else
            {
                lines.Add(line);
            }
        }

        if (current is not null)
        {
            parts[current] = string.Join('\n', lines).Trim('\n') + "\n";
        }

        return parts.TryGetValue("subject", out var subject) && parts.TryGetValue("text", out var text) && parts.TryGetValue("html", out var html)
            ? new MailTemplateText(subject.Trim(), text, html)
            : throw new InvalidOperationException($"The template file {file} needs the parts '--- subject', '--- text' and '--- html'.");
    }
}

/// <summary>
/// The body's own templates as this node last read them, each with the body's <see cref="Body.MailTemplatesRevision"/>
/// of that moment (one per service host: bodies of other hosts in the same process never meet).
/// </summary>
public sealed class MailTemplateCache
{
    private readonly ConcurrentDictionary<(Guid Body, string Kind, string Language), (long Revision, MailTemplateText Text)> _templates = new();

    internal bool TryGet(Body body, string kind, string language, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MailTemplateText? text)
    {
        text = _templates.TryGetValue((body.Id, kind, language), out var known) && known.Revision == body.MailTemplatesRevision ? known.Text : null;
        return text is not null;
    }

    // Stored with the revision of the body as the caller loaded it, before it read the template: a change committed in
    // between raised the revision, so the next caller reads again rather than keeping an older text.
    internal void Keep(Body body, string kind, string language, MailTemplateText text) =>
        _templates[(body.Id, kind, language)] = (body.MailTemplatesRevision, text);
}

/// <summary>
/// Renders a kind of message in a language: the body's own template if it has one, else the shipped default.
/// Values are escaped in the HTML part; the subject is kept to one line.
/// </summary>
public sealed class MailRenderer(ICouncilDb db, MailTemplateCache cache)
{
    private static readonly ConcurrentDictionary<string, IFluidTemplate> Parsed = new();
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    // One set of options per language, shared by every rendering: options are read-only while templates render, and
    // building them registers all of Fluid's filters anew (a share of every outcome step's CPU when made per mail).
    private static readonly TemplateOptions German = new() { CultureInfo = CultureInfo.GetCultureInfo("de-DE") };
    private static readonly TemplateOptions English = new() { CultureInfo = CultureInfo.GetCultureInfo("en-GB") };

    /// <summary>The template in force for the body; <paramref name="body"/> as loaded by the caller's unit of work.</summary>
    public async Task<MailTemplateText> TemplateAsync(Body body, string kind, string language, CancellationToken cancellationToken)
    {
        if (cache.TryGet(body, kind, language, out var known))
        {
            return known;
        }

        var own = await db.MailTemplates.AsNoTracking()
            .SingleOrDefaultAsync(t => t.BodyId == body.Id && t.Kind == kind && t.Language == language, cancellationToken);
        var text = DefaultMailTemplates.InForce(own, kind, language);
        cache.Keep(body, kind, language, text);
        return text;
    }

    public async Task<RenderedMail> RenderAsync(Body body, string kind, string language, Dictionary<string, object?> model, CancellationToken cancellationToken) =>
        await RenderAsync(await TemplateAsync(body, kind, language, cancellationToken), language, model);

    public static async Task<RenderedMail> RenderAsync(MailTemplateText template, string language, Dictionary<string, object?> model)
    {
        var context = new TemplateContext(model, language == MailLanguages.English ? English : German, allowModelMembers: false);
        var subject = await Parse(template.Subject).RenderAsync(context, NullEncoder.Default);
        var text = await Parse(template.Text).RenderAsync(context, NullEncoder.Default);
        var html = await Parse(template.Html).RenderAsync(context, Html);
        var line = string.Join(' ', subject.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return new RenderedMail(line.Length > 480 ? line[..477] + "…" : line, text, html);
    }

    private static IFluidTemplate Parse(string source) => Parsed.GetOrAdd(source, s =>
        TemplateChecker.Parser.TryParse(s, out var template, out var error)
            ? template
            : throw new InvalidOperationException($"A stored mail template does not parse: {error}"));
}
