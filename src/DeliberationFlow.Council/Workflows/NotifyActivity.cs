using System.Security.Cryptography;
using System.Text;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;
using Fluid;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Workflows;

/// <summary>
/// Sends an e-mail from a Liquid template (subject and text) to the lead office, the participating offices or
/// the members of a committee. The template sees <c>paper</c> (as conditions do) and <c>recipient</c>.
/// </summary>
public sealed class NotifyActivity(ICouncilDb db, ConsultationPlanner planner, PaperModel papers) : IActivity
{
    public const string TypeName = "Notify";
    public const string DoneOutcome = "Done";

    private static readonly FluidParser Parser = new();

    public ActivityDescriptor Descriptor { get; } = new(
        TypeName,
        "Benachrichtigung",
        [DoneOutcome],
        [
            new("recipients", PropertyKind.TextList, true, "who gets it: \"leadOffice\", \"participatingOffices\" and/or \"committee:<key>\" (its members)."),
            new("subject", PropertyKind.Text, true, "the subject, a Liquid template, e.g. \"Stellungnahme erbeten: {{ paper.reference }}\"."),
            new("text", PropertyKind.Text, true, "the text, a Liquid template over paper and recipient."),
        ]);

    public IEnumerable<ActivityProblem> Validate(ActivityDefinition activity, DefinitionValidationContext context)
    {
        foreach (var name in new[] { "subject", "text" })
        {
            if (activity.GetString(name) is { } template && !Parser.TryParse(template, out _, out var error))
            {
                yield return ActivityProblem.AtProperty(name, $"'{name}' is not a valid Liquid template: {error}");
            }
        }

        var recipients = activity.GetTextList("recipients") ?? [];
        for (var k = 0; k < recipients.Count; k++)
        {
            var recipient = recipients[k];
            if (recipient is "leadOffice" or "participatingOffices")
            {
                continue;
            }

            if (!recipient.StartsWith("committee:", StringComparison.Ordinal))
            {
                yield return ActivityProblem.AtProperty("recipients", k, $"Unknown recipient '{recipient}'; use \"leadOffice\", \"participatingOffices\" or \"committee:<key>\".");
            }
            else if (context.Known(CouncilReferences.Committees) is { } committees && !committees.Contains(recipient["committee:".Length..]))
            {
                yield return ActivityProblem.AtProperty("recipients", k, $"The body has no committee '{recipient["committee:".Length..]}'.");
            }
        }
    }

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityExecutionContext context, CancellationToken cancellationToken)
    {
        var paper = await planner.PaperOfAsync(context.Instance, cancellationToken);
        var model = await papers.DescribeAsync(paper, cancellationToken);
        var (recipients, withheld) = await RecipientsAsync(paper, context.Activity.GetTextList("recipients")!, context.Now, cancellationToken);
        var subjectTemplate = Parse(context.Activity.GetString("subject")!);
        var textTemplate = Parse(context.Activity.GetString("text")!);
        var queued = 0;
        foreach (var (address, name) in recipients)
        {
            var key = Key($"notify:{context.Instance.Id}:{context.Activity.Id}:{context.Instance.Revision}:{address}");
            if (db.OutboxMessages.Tracked().Any(m => m.DeduplicationKey == key) || await db.OutboxMessages.AnyAsync(m => m.DeduplicationKey == key, cancellationToken))
            {
                continue;
            }

            var values = new TemplateContext(new Dictionary<string, object?> { ["paper"] = model, ["recipient"] = new Dictionary<string, object?> { ["name"] = name, ["address"] = address } });
            db.OutboxMessages.Add(new OutboxMessage
            {
                Id = Guid.CreateVersion7(context.Now),
                BodyId = paper.BodyId,
                Kind = "notification",
                DeduplicationKey = key,
                RecipientAddress = address,
                RecipientName = name,
                Subject = (await subjectTemplate.RenderAsync(values)).Trim(),
                TextBody = await textTemplate.RenderAsync(values),
                PaperId = paper.Id,
                CreatedAt = context.Now,
                NextAttemptAt = context.Now,
            });
            queued++;
        }

        context.Journal(JournalEventKind.NotificationQueued, $"Benachrichtigung an {queued} Empfänger: {string.Join(", ", recipients.Select(r => r.Address))}." +
            (withheld.Count == 0 ? "" : $" Nicht an {string.Join(", ", withheld)}: die Vorlage ist nichtöffentlich und wird dort nicht beraten."));
        return ActivityResult.Done(DoneOutcome);
    }

    /// <summary>
    /// The key as it is, or, when an activity's id and a long address make it longer than the column holds, a digest of
    /// it: the same step and address give the same key either way, so a repeated step still queues no second message.
    /// </summary>
    private static string Key(string key) =>
        key.Length <= OutboxMessage.MaxDeduplicationKeyLength
            ? key
            : $"notify:sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))}";

    private static IFluidTemplate Parse(string template) =>
        Parser.TryParse(template, out var parsed, out var error)
            ? parsed
            : throw new WorkflowStateException($"Invalid Liquid template: {error}");

    /// <summary>
    /// The addresses to write to, and the committees left out: a non-public paper reaches only the members of committees
    /// it is consulted in, who may open it (PaperReader's rule), whatever the workflow's designer asked for.
    /// </summary>
    private async Task<(List<(string Address, string? Name)> Recipients, List<string> Withheld)> RecipientsAsync(
        Paper paper, IReadOnlyList<string> kinds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recipients = new List<(string, string?)>();
        var withheld = new List<string>();
        // The body's day, read once and only when a committee's members are written to.
        DateOnly? today = null;
        foreach (var kind in kinds)
        {
            if (kind == "leadOffice" && paper.LeadOfficeId is { } lead)
            {
                recipients.AddRange((await db.Organizations.Where(o => o.Id == lead && o.Email != null).Select(o => new { o.Email, o.Name }).ToListAsync(cancellationToken))
                    .Select(o => (o.Email!, (string?)o.Name)));
            }
            else if (kind == "participatingOffices")
            {
                recipients.AddRange((await db.Organizations.Where(o => paper.ParticipatingOfficeIds.Contains(o.Id) && o.Email != null)
                    .Select(o => new { o.Email, o.Name }).ToListAsync(cancellationToken))
                    .Select(o => (o.Email!, (string?)o.Name)));
            }
            else if (kind.StartsWith("committee:", StringComparison.Ordinal))
            {
                var committee = await planner.CommitteeAsync(paper, kind["committee:".Length..], "notify", cancellationToken);
                if (!paper.IsPublic && (await planner.AllConsultationsAsync(paper.Id, cancellationToken)).All(c => c.OrganizationId != committee.Id))
                {
                    withheld.Add(committee.Name);
                    continue;
                }

                today ??= BodyClock.LocalDay(now, (await db.Bodies.GetAsync(paper.BodyId, cancellationToken)).Zone);
                var members = await db.ReachableOnAsync(committee.Id, today.Value, cancellationToken);
                recipients.AddRange(members.Select(p => (p.Email!, (string?)p.Name)));
            }
        }

        return (recipients.DistinctBy(r => r.Item1).ToList(), withheld);
    }
}
