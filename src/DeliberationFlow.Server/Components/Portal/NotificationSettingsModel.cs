using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Notifications.Templates;

namespace DeliberationFlow.Server.Components.Portal;

/// <summary>
/// The settings form's state: the form shows what is received (ticked), the use case stores what is not (opt-outs),
/// so the form turns one into the other here and never sends a mandatory kind as an opt-out.
/// </summary>
public sealed class NotificationSettingsModel
{
    private readonly HashSet<string> _received;

    public NotificationSettingsModel(PreferencesView saved)
    {
        Language = saved.Language;
        Delivery = saved.DigestFromBody ? Deliveries.BodyDefault : saved.Digest ? Deliveries.Digest : Deliveries.PerItem;
        DigestDefault = saved.DigestDefault;
        OptionalKinds = saved.OptionalKinds;
        MandatoryKinds = saved.MandatoryKinds;
        _received = [.. saved.OptionalKinds.Where(kind => !saved.OptOut.Contains(kind))];
    }

    public string Language { get; set; }
    /// <summary>
    /// One of <see cref="Deliveries"/>, always sent: following the body's default is a choice of its own, so a member
    /// who chose can return to it, and one who follows it keeps following when an admin changes it later.
    /// </summary>
    public string Delivery { get; set; }

    /// <summary>The body's default as it is now, shown with the choice to follow it.</summary>
    public bool DigestDefault { get; }
    public IReadOnlyList<string> OptionalKinds { get; }
    public IReadOnlyList<string> MandatoryKinds { get; }

    public bool Receives(string kind) => MandatoryKinds.Contains(kind) || _received.Contains(kind);

    public void SetReceives(string kind, bool receive)
    {
        // Mandatory kinds are not the user's to switch; the use case would refuse them anyway.
        if (!OptionalKinds.Contains(kind))
        {
            return;
        }

        if (receive)
        {
            _received.Add(kind);
        }
        else
        {
            _received.Remove(kind);
        }
    }

    public SavePreferencesRequest ToRequest() => new(Language, null, [.. OptionalKinds.Where(kind => !_received.Contains(kind))], Delivery);

    /// <summary>German label of a delivery (the key of its English resource).</summary>
    public static string DeliveryLabel(bool digest) => digest ? "Eine Sammelnachricht je Sitzung" : "Eine Nachricht je Tagesordnungspunkt";

    /// <summary>German label of following the body's default, saying what it is now (the key of its English resource).</summary>
    public static string BodyDefaultLabel(bool digestDefault) => digestDefault
        ? "Einstellung der Körperschaft folgen (derzeit: eine Sammelnachricht je Sitzung)"
        : "Einstellung der Körperschaft folgen (derzeit: eine Nachricht je Tagesordnungspunkt)";

    /// <summary>German label of a kind (the key of its English resource).</summary>
    public static string Label(string kind) => kind switch
    {
        MailKinds.Invitation => "Einladungen zu Sitzungen (Ladung)",
        MailKinds.Reminder => "Erinnerungen vor Sitzungen",
        MailKinds.OutcomeNotice => "Beratungsergebnisse zu Vorlagen, denen ich folge",
        MailKinds.DeferralNotice => "Vertagungen von Vorlagen, denen ich folge",
        MailKinds.ReferralNotice => "Verweisungen von Vorlagen, denen ich folge",
        MailKinds.OutcomeCorrection => "Berichtigte Beratungsergebnisse von Vorlagen, denen ich folge",
        MailKinds.MeetingChange => "Verlegte oder abgesagte Sitzungen",
        MailKinds.Escalation => "Mahnungen zu überfälligen Beratungsschritten",
        _ => kind,
    };
}
