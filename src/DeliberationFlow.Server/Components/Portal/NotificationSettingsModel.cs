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

    // A member who has not chosen follows the body's default, also when an admin changes it later: the form sends the
    // delivery only when it was chosen before or is switched now, so saving the language alone does not fix it.
    private readonly bool _savedDigest;

    public NotificationSettingsModel(PreferencesView saved)
    {
        Language = saved.Language;
        Digest = _savedDigest = saved.Digest;
        DigestFromBody = saved.DigestFromBody;
        OptionalKinds = saved.OptionalKinds;
        MandatoryKinds = saved.MandatoryKinds;
        _received = [.. saved.OptionalKinds.Where(kind => !saved.OptOut.Contains(kind))];
    }

    public string Language { get; set; }
    public bool Digest { get; set; }

    /// <summary>The delivery shown is the body's default: the member has not chosen.</summary>
    public bool DigestFromBody { get; }
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

    public SavePreferencesRequest ToRequest() => new(
        Language, DigestFromBody && Digest == _savedDigest ? null : Digest, [.. OptionalKinds.Where(kind => !_received.Contains(kind))]);

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
