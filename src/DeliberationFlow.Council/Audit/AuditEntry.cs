using DeliberationFlow.Council.Access;

namespace DeliberationFlow.Council.Audit;

/// <summary>
/// One change an admin made to the body's settings — an account, a committee's deadlines or reminders, a mail template,
/// a workflow definition's versions (drafts, publication, retraction, running instances moved to another version), a person
/// and their committee seats, an OParl import; of a user's own changes, their password and how they are invited (one
/// message per meeting or per item, or the body's default); and, though it changes nothing, a meeting exported for the
/// archive, since it takes the non-public items' documents out of the service —
/// with who, when and what, written in the same save as the change. The papers' own story is in their journals; this is
/// the story of the rules they ran under. Entries are never changed or deleted.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>Given by the database in the order the entries were written: the record's order, even within one instant.</summary>
    public long Sequence { get; init; }

    public Guid BodyId { get; init; }
    public DateTimeOffset Timestamp { get; init; }
    public required string Actor { get; init; }

    /// <summary>What was changed: <see cref="AuditAreas"/>.</summary>
    public required string Area { get; init; }

    /// <summary>Which one: the user name, the committee key, the template's kind and language, the workflow definition's id.</summary>
    public required string Subject { get; init; }

    public required string Message { get; init; }

    public static AuditEntry Of(Caller caller, string area, string subject, string message, DateTimeOffset now) =>
        By(caller.BodyId, caller.UserName, area, subject, message, now);

    /// <summary>An entry of a change made outside a signed-in request, e.g. an import from the command line.</summary>
    public static AuditEntry By(Guid bodyId, string actor, string area, string subject, string message, DateTimeOffset now) => new()
    {
        BodyId = bodyId, Timestamp = now, Actor = actor, Area = area, Subject = subject, Message = message,
    };
}

public static class AuditAreas
{
    public const string Account = "account";
    public const string Committee = "committee";
    public const string MailTemplate = "mail-template";
    public const string Workflow = "workflow";
    public const string Person = "person";
    public const string Import = "import";
    public const string Body = "body";

    /// <summary>A meeting exported for the archive (Sitzungsarchiv): who took its minutes and documents out, and when.</summary>
    public const string Archive = "archive";

    /// <summary>An Eilentscheidung (§ 89 NKomVG): who had the Verwaltungsausschuss decide in the Rat's place, and why.</summary>
    public const string UrgentDecision = "urgent-decision";

    public static readonly IReadOnlyList<string> All = [Account, Committee, MailTemplate, Workflow, Person, Import, Body, Archive, UrgentDecision];
}
