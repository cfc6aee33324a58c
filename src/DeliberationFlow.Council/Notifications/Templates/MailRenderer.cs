using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Fluid;
using Fluid.Values;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

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
public sealed class MailRenderer(ICouncilDb db, MailTemplateCache cache, ILogger<MailRenderer> logger)
{
    /// <summary>
    /// Statements (loop rounds included) one part may run: a digest of 200 items takes a few thousand, while an admin's
    /// <c>{% for i in (1..100000000) %}</c> would hold the step that sends the mail (and its transaction) for minutes.
    /// </summary>
    public const int MaxSteps = 100_000;

    /// <summary>Characters one rendered part may have (about 1 MB): far beyond any agenda, far below what fills the outbox or memory.</summary>
    public const int MaxRenderedLength = 1_000_000;

    /// <summary>The most elements a filter may return in a list (<c>concat</c> of a list with itself doubles it each round).</summary>
    public const int MaxListLength = 10_000;

    // Each source parsed once, with the first hazard found in it (TemplateChecker.Hazards), or null.
    private static readonly ConcurrentDictionary<string, (IFluidTemplate Template, string? Hazard)> Parsed = new();
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    // One set of options per language, shared by every rendering: options are read-only while templates render, and
    // building them registers all of Fluid's filters anew (a share of every outcome step's CPU when made per mail).
    private static readonly TemplateOptions German = Bounded(new() { CultureInfo = CultureInfo.GetCultureInfo("de-DE"), MaxSteps = MaxSteps });
    private static readonly TemplateOptions English = Bounded(new() { CultureInfo = CultureInfo.GetCultureInfo("en-GB"), MaxSteps = MaxSteps });

    /// <summary>
    /// Every filter refuses a text longer than <see cref="MaxRenderedLength"/> or a list longer than <see cref="MaxListLength"/>.
    /// The step and output limits do not see what <c>assign</c> keeps: <c>{% assign s = s | append: s %}</c> in a loop of
    /// forty rounds would grow a text to a trillion characters in forty steps, without writing a character.
    /// </summary>
    private static TemplateOptions Bounded(TemplateOptions options)
    {
        foreach (var (name, filter) in options.Filters.ToList())
        {
            options.Filters.AddFilter(name, async (input, arguments, context) =>
            {
                var result = await filter(input, arguments, context);
                if (result.Type == FluidValues.String && result.ToStringValue().Length > MaxRenderedLength)
                {
                    throw new InvalidOperationException($"The filter '{name}' would make a text longer than {MaxRenderedLength:N0} characters.");
                }

                if (result is ArrayValue list && list.Values.Count > MaxListLength)
                {
                    throw new InvalidOperationException($"The filter '{name}' would make a list longer than {MaxListLength:N0} elements.");
                }

                return result;
            });
        }

        return options;
    }

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

    /// <summary>
    /// Renders the template in force. A body's own template that fails on these values (a division by zero, a loop
    /// beyond <see cref="MaxSteps"/>, an output beyond <see cref="MaxRenderedLength"/>) is replaced by the shipped
    /// wording for this message: the step that sends it (an outcome, an invitation) must not fail for the wording.
    /// </summary>
    public async Task<RenderedMail> RenderAsync(Body body, string kind, string language, Dictionary<string, object?> model, CancellationToken cancellationToken)
    {
        var template = await TemplateAsync(body, kind, language, cancellationToken);
        try
        {
            return await RenderAsync(template, language, model);
        }
        catch (MailTemplateRenderException ex) when (template != DefaultMailTemplates.Get(kind, language))
        {
            logger.LogWarning(ex, "The mail template {Kind} ({Language}) of body {Body} failed to render; the shipped wording is sent instead.", kind, language, body.Id);
            return await RenderAsync(DefaultMailTemplates.Get(kind, language), language, model);
        }
    }

    /// <exception cref="MailTemplateRenderException">A part fails on these values or grows beyond the limits.</exception>
    public static async Task<RenderedMail> RenderAsync(MailTemplateText template, string language, Dictionary<string, object?> model)
    {
        var context = new TemplateContext(model, language == MailLanguages.English ? English : German, allowModelMembers: false);
        var subject = await RenderPartAsync("subject", template.Subject, context, NullEncoder.Default);
        var text = await RenderPartAsync("text", template.Text, context, NullEncoder.Default);
        var html = await RenderPartAsync("html", template.Html, context, Html);
        var line = string.Join(' ', subject.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return new RenderedMail(DeliberationFlow.Engine.Runtime.Texts.Cut(line, 480), text, html);
    }

    private static async Task<string> RenderPartAsync(string part, string source, TemplateContext context, TextEncoder encoder)
    {
        var (parsed, hazard) = Parse(source);
        if (hazard is not null)
        {
            // A template stored before the check existed; saving it now would be refused with the same words.
            throw new MailTemplateRenderException(part, hazard);
        }

        await using var writer = new BoundedWriter(MaxRenderedLength);
        try
        {
            await parsed.RenderAsync(writer, encoder, context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // Fluid throws what the filter threw (DivideByZeroException for "divided_by: 0"), or InvalidOperationException
            // at the step limit; all of them are the template's, not the service's.
            throw new MailTemplateRenderException(part, ex.Message, ex);
        }

        return writer.ToString();
    }

    private static (IFluidTemplate Template, string? Hazard) Parse(string source) => Parsed.GetOrAdd(source, s =>
        TemplateChecker.Parser.TryParse(s, out var template, out var error)
            ? (template, TemplateChecker.Hazards(template) is [var first, ..] ? first : null)
            : throw new InvalidOperationException($"A stored mail template does not parse: {error}"));
}

/// <summary>A part of a template that parses but fails when rendered: a filter's error, too many steps, too long an output.</summary>
public sealed class MailTemplateRenderException(string part, string message, Exception? inner = null)
    : Exception($"The {part} part cannot be rendered: {message}", inner)
{
    public string Part { get; } = part;
}

/// <summary>A string writer that refuses to grow beyond a number of characters (a template's output is bounded).</summary>
internal sealed class BoundedWriter(int limit) : StringWriter(CultureInfo.InvariantCulture)
{
    private void Grow(int count)
    {
        if (GetStringBuilder().Length + count > limit)
        {
            throw new InvalidOperationException($"The output would exceed {limit:N0} characters.");
        }
    }

    public override void Write(char value)
    {
        Grow(1);
        base.Write(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        Grow(count);
        base.Write(buffer, index, count);
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        Grow(buffer.Length);
        base.Write(buffer);
    }

    public override void Write(string? value)
    {
        Grow(value?.Length ?? 0);
        base.Write(value);
    }

    public override Task WriteAsync(char value)
    {
        Grow(1);
        return base.WriteAsync(value);
    }

    public override Task WriteAsync(string? value)
    {
        Grow(value?.Length ?? 0);
        return base.WriteAsync(value);
    }

    public override Task WriteAsync(char[] buffer, int index, int count)
    {
        Grow(count);
        return base.WriteAsync(buffer, index, count);
    }

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        Grow(buffer.Length);
        return base.WriteAsync(buffer, cancellationToken);
    }
}
