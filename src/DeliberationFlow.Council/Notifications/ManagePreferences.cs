using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Notifications.Templates;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Notifications;

/// <summary>
/// The user's choices. <see cref="Digest"/> is the delivery that applies; <see cref="DigestFromBody"/> says it is the
/// body's default because the user has not chosen (it then follows the default when an admin changes it).
/// </summary>
public sealed record PreferencesView(
    string Language, bool Digest, bool DigestFromBody, IReadOnlyList<string> OptOut, IReadOnlyList<string> OptionalKinds, IReadOnlyList<string> MandatoryKinds);

public sealed record SavePreferencesRequest(string? Language, bool? Digest, IReadOnlyList<string>? OptOut);

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

        errors.ThrowIfAny();
        var preference = await PreferenceOfAsync(db, caller.UserId, cancellationToken);
        preference.Language = request.Language ?? preference.Language;
        if (request.Digest is { } digest)
        {
            (preference.Digest, preference.DigestChosen) = (digest, true);
        }

        preference.OptOut = request.OptOut is null ? preference.OptOut : [.. request.OptOut.Distinct()];
        preference.Modified = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return View(preference, await db.Bodies.GetAsync(caller.BodyId, cancellationToken));
    }

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
        MailKinds.All.Where(k => k.Mandatory).Select(k => k.Name).ToList());
}
