using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Notifications;

/// <summary>Signs and checks the calendar-feed token (the host implements it with ASP.NET Core Data Protection).</summary>
public interface ICalendarTokenProtector
{
    string Protect(string payload);

    /// <summary>The payload, or null when the token was not issued by this service or was tampered with.</summary>
    string? Unprotect(string token);
}

public sealed record CalendarFeedLink(string Path);

/// <summary>
/// A personal iCalendar feed of the meetings a user sits in (councillors through their memberships, secretaries through
/// their committees). The URL carries a signed token of the user and their calendar stamp; a new stamp revokes it.
/// </summary>
public sealed class CalendarFeed(ICouncilDb db, ICalendarTokenProtector protector, TimeProvider clock)
{
    public async Task<CalendarFeedLink> LinkAsync(Caller caller, CancellationToken cancellationToken)
    {
        var preference = await ManagePreferences.PreferenceOfAsync(db, caller.UserId, cancellationToken);
        if (db.ChangeTracker.HasChanges())
        {
            preference.Modified = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        return Link(caller.UserId, preference.CalendarStamp);
    }

    /// <summary>Every URL handed out before stops working; the answer is the new one.</summary>
    public async Task<CalendarFeedLink> RevokeAsync(Caller caller, CancellationToken cancellationToken)
    {
        var preference = await ManagePreferences.PreferenceOfAsync(db, caller.UserId, cancellationToken);
        preference.CalendarStamp = NotificationPreference.NewStamp();
        preference.Modified = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return Link(caller.UserId, preference.CalendarStamp);
    }

    /// <summary>The feed of the token's user, or <see cref="NotFoundException"/> for a token that is forged or revoked.</summary>
    public async Task<string> RenderAsync(string token, CancellationToken cancellationToken)
    {
        var payload = protector.Unprotect(token)?.Split(':');
        if (payload is not [var userText, var stamp] || !Guid.TryParse(userText, out var userId))
        {
            throw new NotFoundException("No such calendar.");
        }

        var preference = await db.NotificationPreferences.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        // A deactivated account's feed ends with the account: its subscription may still be polled from a phone.
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId && u.DeactivatedAt == null, cancellationToken);
        if (preference is null || user is null || preference.CalendarStamp != stamp)
        {
            throw new NotFoundException("No such calendar.");
        }

        var body = await db.Bodies.GetAsync(user.BodyId, cancellationToken);
        var now = clock.GetUtcNow();
        var from = now.AddDays(-90);
        var until = now.AddDays(400);
        var memberships = user.PersonId is { } personId
            ? await db.Memberships.AsNoTracking().Where(m => m.PersonId == personId).ToListAsync(cancellationToken)
            : [];
        var committeeIds = memberships.Select(m => m.OrganizationId).Concat(user.CommitteeIds).Distinct().ToList();
        var meetings = await db.Meetings.AsNoTracking()
            .Where(m => committeeIds.Contains(m.OrganizationId) && m.BodyId == body.Id && m.Start >= from && m.Start <= until)
            .ToListAsync(cancellationToken);
        var committees = await db.Organizations.AsNoTracking().Where(o => committeeIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
        var mine = meetings.Where(m =>
            {
                var day = BodyClock.LocalDay(m.Start, body.Zone);
                return user.CommitteeIds.Contains(m.OrganizationId) || memberships.Any(s => s.OrganizationId == m.OrganizationId && s.IsActiveOn(day));
            })
            .OrderBy(m => m.Start)
            .Select(m => (m, committees[m.OrganizationId]));
        return MeetingCalendar.Feed($"Sitzungen – {user.DisplayName}", body, mine);
    }

    private CalendarFeedLink Link(Guid userId, string stamp) => new($"/api/calendar/{protector.Protect($"{userId:N}:{stamp}")}.ics");
}
