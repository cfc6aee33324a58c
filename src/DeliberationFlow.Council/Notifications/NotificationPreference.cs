namespace DeliberationFlow.Council.Notifications;

/// <summary>How a user wants to be written to. Users without a row get the defaults (German, the body's default delivery, everything).</summary>
public sealed class NotificationPreference
{
    public Guid UserId { get; init; }

    /// <summary><c>de</c> or <c>en</c>.</summary>
    public string Language { get; set; } = MailLanguages.German;

    /// <summary>
    /// One message per meeting listing its items (true: an invitation states the meeting's agenda, § 59 Abs. 1 NKomVG,
    /// and twenty items are one invitation, not twenty) or one message per item (false, for a member who wants each
    /// paper's invitation on its own), as the user chose; it counts only once <see cref="DigestChosen"/>.
    /// </summary>
    public bool Digest { get; set; } = true;

    /// <summary>
    /// Whether the user chose <see cref="Digest"/>. Until then the body's <see cref="Model.Body.DigestDefault"/> applies,
    /// and follows it when an admin changes it. Rows saved before the default existed count as chosen (the migration
    /// BodyDigestDefault), as nothing tells a choice from the old default. A column of its own rather than a nullable
    /// Digest: SQLite cannot make a column nullable without rebuilding its table.
    /// </summary>
    public bool DigestChosen { get; set; }

    /// <summary>The delivery that applies: the user's choice, else the body's default.</summary>
    public bool DigestIn(Model.Body body) => DigestChosen ? Digest : body.DigestDefault;

    /// <summary>Kinds of message the user does not want; only kinds that are not mandatory may be listed.</summary>
    public List<string> OptOut { get; set; } = [];

    /// <summary>Part of the signed calendar-feed token; a new stamp revokes every URL handed out before.</summary>
    public string CalendarStamp { get; set; } = NewStamp();

    public DateTimeOffset Modified { get; set; }

    public static string NewStamp() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
}

/// <summary>A user who wants to hear how a paper fares (outcome, deferral and referral notices).</summary>
public sealed class PaperFollower
{
    public Guid UserId { get; init; }
    public Guid PaperId { get; init; }
    public DateTimeOffset Created { get; init; }
}

/// <summary>
/// A user who follows a committee: when a meeting of it is invited, the user hears of its public agenda (and of items
/// added to it later), without being a member.
/// </summary>
public sealed class CommitteeFollower
{
    public Guid UserId { get; init; }
    public Guid OrganizationId { get; init; }
    public DateTimeOffset Created { get; init; }
}

public static class MailLanguages
{
    public const string German = "de";
    public const string English = "en";

    public static readonly IReadOnlyList<string> All = [German, English];
}
