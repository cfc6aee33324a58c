using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Common;

namespace DeliberationFlow.Council.Notifications;

/// <summary>The body's defaults for its members' messages: one per meeting (digest) or one per item.</summary>
public sealed record BodyNotificationSettingsView(bool DigestDefault);

public sealed record SaveBodyNotificationSettingsRequest(bool? DigestDefault);

/// <summary>
/// Body-wide: what a member who never chose gets, one message per meeting listing its items or one per item. A member's
/// own choice always wins; members who have not chosen follow the default from the next message on. Admins only.
/// </summary>
public sealed class BodyNotificationSettings(ICouncilDb db, TimeProvider clock)
{
    public async Task<BodyNotificationSettingsView> GetAsync(Caller caller, CancellationToken cancellationToken)
    {
        Check(caller);
        return new BodyNotificationSettingsView((await db.Bodies.GetAsync(caller.BodyId, cancellationToken)).DigestDefault);
    }

    public async Task<BodyNotificationSettingsView> SaveAsync(Caller caller, SaveBodyNotificationSettingsRequest request, CancellationToken cancellationToken)
    {
        Check(caller);
        if (request.DigestDefault is not { } digest)
        {
            throw RequestValidationException.For("digestDefault",
                "Give true (one message per meeting listing its items) or false (one message per item) for members who have not chosen.");
        }

        var body = await db.Bodies.GetAsync(caller.BodyId, cancellationToken);
        if (body.DigestDefault != digest)
        {
            body.DigestDefault = digest;
            body.Modified = clock.GetUtcNow();
            db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Body, body.Key,
                $"Voreinstellung der Zustellung für Mitglieder ohne eigene Wahl: {ManagePreferences.DeliveryText(digest)}.", body.Modified));
            await db.SaveChangesAsync(cancellationToken);
        }

        return new BodyNotificationSettingsView(body.DigestDefault);
    }

    private static void Check(Caller caller)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("The body's notification settings are changed by admins.");
        }
    }
}
