using System.Text.Json;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Definitions;

/// <summary>
/// The workflows shipped in <c>workflows/</c> are templates: each body gets its own stored copy of every
/// version it does not have yet, which its admins then develop as drafts and new versions. A version already
/// stored is never overwritten — the database is the source of truth.
/// </summary>
public sealed class DefinitionTemplates(ICouncilDb db, IWorkflowDefinitionProvider templates, TimeProvider clock)
{
    public async Task<int> ImportAsync(Guid bodyId, CancellationToken cancellationToken)
    {
        var stored = await db.WorkflowDefinitions.Where(d => d.TenantId == bodyId).Select(d => new { d.DefinitionId, d.Version }).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var added = 0;
        foreach (var template in templates.All.OrderBy(t => t.DefinitionId, StringComparer.Ordinal).ThenBy(t => t.Version))
        {
            if (stored.Any(s => s.DefinitionId == template.DefinitionId && s.Version == template.Version))
            {
                continue;
            }

            db.WorkflowDefinitions.Add(new StoredWorkflowDefinition
            {
                TenantId = bodyId,
                DefinitionId = template.DefinitionId,
                Version = template.Version,
                Name = template.Name,
                State = template.State,
                Document = DefinitionDocument.Write(template),
                CreatedAt = now,
                CreatedBy = "workflows/",
                PublishedAt = template.State == DefinitionState.Published ? now : null,
            });
            added++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return added;
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
