namespace DeliberationFlow.Council.Model;

/// <summary>A municipality (Körperschaft). Every council record belongs to one, so one installation serves several.</summary>
public sealed class Body
{
    public Guid Id { get; init; }
    public required string Key { get; init; }
    public required string Name { get; set; }
    public string? ShortName { get; set; }

    /// <summary>Amtlicher Gemeindeschlüssel.</summary>
    public string? Ags { get; set; }

    /// <summary>The German state whose public holidays are not working days (ISO 3166-2 suffix, e.g. "NI").</summary>
    public string State { get; set; } = "NI";

    /// <summary>IANA zone in which meetings and deadlines are local times.</summary>
    public string TimeZone { get; set; } = "Europe/Berlin";

    /// <summary>
    /// How a member who never chose is written to: one message per meeting listing its items (true, as for every member
    /// before there was this default) or one per item. A member's own choice (<see cref="Notifications.NotificationPreference.Digest"/>)
    /// always wins. Admins set it (<see cref="Notifications.BodyNotificationSettings"/>).
    /// </summary>
    public bool DigestDefault { get; set; } = true;

    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Modified { get; set; }

    /// <summary>
    /// Counts the changes to the body's own mail templates, in the transaction of each change. Each node keeps the
    /// templates it has read together with this number and reads them again once the body it loads shows another: a
    /// step, which loads its body anyway, so renders its notices without a query for the template, and an admin's
    /// change holds on every node from the next message on.
    /// </summary>
    public long MailTemplatesRevision { get; set; }

    /// <summary>
    /// Counts the changes to the body's organizations (committees, offices, factions, parties). A database trigger counts
    /// it up in the transaction of every insert, change or deletion of an organization row, whoever writes it; each node
    /// keeps the organizations it has read with this number (<see cref="Committees.OrganizationDirectory"/>). Never set by
    /// the service.
    /// </summary>
    public long OrganizationsRevision { get; private set; }

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}
