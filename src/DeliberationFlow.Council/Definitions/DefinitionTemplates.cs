using System.Text.Json;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Definitions;

/// <summary>
/// The workflows shipped in <c>workflows/</c> are templates: each body gets its own stored copy of every
/// version it does not have yet, which its admins then develop as drafts and new versions. A version already
/// stored is never overwritten — the database is the source of truth.
/// </summary>
/// <remarks>
/// A template names committees by the keys of the body it was written for (Braunschweig's fpa, va, rat …). It is
/// checked for each body as a save or publish would check it: published in a body without those committees, every
/// paper registered on it would fault at its first step. Such a template comes as a draft of its newest version, for the
/// body's admins to adapt and publish; its older versions are left out, as a workflow has one draft at a time. Once the
/// body has the committees (a later import), a version not yet stored comes as the template has it.
/// </remarks>
public sealed class DefinitionTemplates(
    ICouncilDb db, IWorkflowDefinitionProvider templates, DefinitionValidation validation, TimeProvider clock, ILogger<DefinitionTemplates> logger)
{
    public async Task<int> ImportAsync(Guid bodyId, CancellationToken cancellationToken)
    {
        var stored = await db.WorkflowDefinitions.Where(d => d.TenantId == bodyId).Select(d => new { d.DefinitionId, d.Version, d.State }).ToListAsync(cancellationToken);
        var drafts = stored.Where(s => s.State == DefinitionState.Draft).Select(s => s.DefinitionId).ToHashSet(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        var added = 0;
        foreach (var template in templates.All.OrderBy(t => t.DefinitionId, StringComparer.Ordinal).ThenBy(t => t.Version))
        {
            if (stored.Any(s => s.DefinitionId == template.DefinitionId && s.Version == template.Version))
            {
                continue;
            }

            var document = DefinitionDocument.Write(template);
            var state = template.State;
            if (state == DefinitionState.Published && await ProblemsAsync(bodyId, document, cancellationToken) is { } problems)
            {
                var newest = template.Version == templates.All.Where(t => t.DefinitionId == template.DefinitionId).Max(t => t.Version);
                if (!newest || !drafts.Add(template.DefinitionId))
                {
                    continue;
                }

                state = DefinitionState.Draft;
                logger.LogWarning("The shipped workflow {DefinitionId} v{Version} does not fit body {BodyId} ({Problems}); it is stored as a draft for the body's admins to adapt.",
                    template.DefinitionId, template.Version, bodyId, problems);
            }

            db.WorkflowDefinitions.Add(new StoredWorkflowDefinition
            {
                TenantId = bodyId,
                DefinitionId = template.DefinitionId,
                Version = template.Version,
                Name = template.Name,
                State = state,
                Document = document,
                CreatedAt = now,
                CreatedBy = "workflows/",
                PublishedAt = state == DefinitionState.Published ? now : null,
            });
            added++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return added;
    }

    /// <summary>What a save in this body would refuse the template for, or null when it fits.</summary>
    private async Task<string?> ProblemsAsync(Guid bodyId, string document, CancellationToken cancellationToken)
    {
        try
        {
            await validation.ValidateAsync(bodyId, document, cancellationToken);
            return null;
        }
        catch (RequestValidationException refused)
        {
            return string.Join("; ", refused.Errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")));
        }
    }
}

/// <summary>Writes a definition in the document format of <c>workflows/*.json</c>.</summary>
public static class DefinitionDocument
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(WorkflowDefinition definition) => JsonSerializer.Serialize(new
    {
        definition.DefinitionId,
        definition.Version,
        definition.Name,
        definition.Description,
        definition.State,
        definition.Properties,
        Activities = definition.Activities.Select(a => new { a.Id, a.Type, a.DisplayName, a.Properties, a.Designer }),
        Connections = definition.Connections.Select(c => new { c.Source, c.Outcome, c.Target }),
    }, Options);
}
