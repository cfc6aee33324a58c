using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Notifications.Templates;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Notifications;

/// <summary>
/// The user's choices. <see cref="Digest"/> is the delivery that applies; <see cref="DigestFromBody"/> says it is the
/// body's default because the user has not chosen (it then follows the default when an admin changes it);
/// <see cref="DigestDefault"/> is the body's default as it is now, so a user who chose sees what following it would mean.
/// </summary>
public sealed record PreferencesView(
    string Language, bool Digest, bool DigestFromBody, IReadOnlyList<string> OptOut, IReadOnlyList<string> OptionalKinds, IReadOnlyList<string> MandatoryKinds,
    bool DigestDefault);

/// <summary>
/// What to change; null leaves a setting as it is. The delivery is chosen with <see cref="Digest"/> (true: one message
/// per meeting, false: one per item) or with <see cref="Delivery"/>, which alone can also return to the body's default
/// (<see cref="Deliveries.BodyDefault"/>): a null digest means "unchanged", so it cannot.
/// </summary>
public sealed record SavePreferencesRequest(string? Language, bool? Digest, IReadOnlyList<string>? OptOut, string? Delivery = null);

/// <summary>The values of <see cref="SavePreferencesRequest.Delivery"/>.</summary>
public static class Deliveries
{
    /// <summary>Follow the body's default, also when an admin changes it later.</summary>
    public const string BodyDefault = "bodyDefault";

    /// <summary>One message per meeting listing its items (as <c>digest: true</c>).</summary>
    public const string Digest = "digest";

    /// <summary>One message per item (as <c>digest: false</c>).</summary>
    public const string PerItem = "perItem";

    public static readonly IReadOnlyList<string> All = [BodyDefault, Digest, PerItem];
}

/// <summary>The signed-in user's own choices: language, one message per meeting or per item, kinds they do not want.</summary>
public sealed class ManagePreferences(ICouncilDb db, TimeProvider clock)
{
    public async Task<PreferencesView> GetAsync(Caller caller, CancellationToken cancellationToken) =>
        View(await db.NotificationPreferences.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == caller.UserId, cancellationToken) ?? new NotificationPreference(),
            await db.Bodies.GetAsync(caller.BodyId, cancellationToken));

    public async Task<PreferencesView> SaveAsync(Caller caller, SavePreferencesRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Language is { } language && !MailLanguages.All.Contains(language))
        {
            errors.Add("language", $"Choose one of {string.Join(", ", MailLanguages.All)}.");
        }

        foreach (var kind in request.OptOut ?? [])
        {
            if (MailKinds.Find(kind) is not { } known)
            {
                errors.Add("optOut", $"'{kind}' is no kind of message; optional are {string.Join(", ", MailKinds.All.Where(k => !k.Mandatory).Select(k => k.Name))}.");
            }
            else if (known.Mandatory)
            {
                errors.Add("optOut", $"'{kind}' cannot be turned off: it is mandatory (Ladung, Terminänderung, Mahnung).");
            }
        }

        if (request.Delivery is { } delivery)
        {
            if (!Deliveries.All.Contains(delivery))
            {
                errors.Add("delivery", $"'{delivery}' is no delivery; choose one of {string.Join(", ", Deliveries.All)}.");
            }
            else if (request.Digest is not null)
            {
                errors.Add("delivery", "Give the delivery either as delivery or as digest, not both.");
            }
        }

        errors.ThrowIfAny();
        var preference = await PreferenceOfAsync(db, caller.UserId, cancellationToken);
        var body = await db.Bodies.GetAsync(caller.BodyId, cancellationToken);
        var now = clock.GetUtcNow();
        preference.Language = request.Language ?? preference.Language;
        (bool Chosen, bool Digest) chosen = request.Delivery switch
        {
            Deliveries.BodyDefault => (false, preference.Digest),
            Deliveries.Digest => (true, true),
            Deliveries.PerItem => (true, false),
            _ when request.Digest is { } digest => (true, digest),
            _ => (preference.DigestChosen, preference.Digest),
        };
        if (chosen.Chosen != preference.DigestChosen || (chosen.Chosen && chosen.Digest != preference.Digest))
        {
            // Whether a member gets the invitation as one message per meeting or per item is part of how they are
            // invited (§ 59 NKomVG), so a change of it is on record, as the body's default is.
            db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Account, caller.UserName, chosen.Chosen
                ? $"Zustellung selbst gewählt: {DeliveryText(chosen.Digest)}."
                : $"Zustellung folgt wieder der Voreinstellung der Körperschaft (derzeit {DeliveryText(body.DigestDefault)}).", now));
        }

        (preference.DigestChosen, preference.Digest) = chosen;
        preference.OptOut = request.OptOut is null ? preference.OptOut : [.. request.OptOut.Distinct()];
        preference.Modified = now;
        await db.SaveChangesAsync(cancellationToken);
        return View(preference, body);
    }

    /// <summary>A delivery in the words of the audit log, the same as the body's default is logged with.</summary>
    internal static string DeliveryText(bool digest) => digest ? "eine Sammelnachricht je Sitzung" : "eine Nachricht je Tagesordnungspunkt";

    /// <summary>The user's row, tracked, created with the defaults when they have none yet.</summary>
    internal static async Task<NotificationPreference> PreferenceOfAsync(ICouncilDb db, Guid userId, CancellationToken cancellationToken)
    {
        var preference = await db.NotificationPreferences.SingleOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        if (preference is null)
        {
            preference = new NotificationPreference { UserId = userId };
            db.NotificationPreferences.Add(preference);
        }

        return preference;
    }

    private static PreferencesView View(NotificationPreference preference, Model.Body body) => new(
        preference.Language, preference.DigestIn(body), !preference.DigestChosen, preference.OptOut,
        MailKinds.All.Where(k => !k.Mandatory).Select(k => k.Name).ToList(),
        MailKinds.All.Where(k => k.Mandatory).Select(k => k.Name).ToList(),
        body.DigestDefault);
}
