using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Common;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Notifications;

public sealed record CommitteeNotificationSettingsView(string Committee, int ReminderDaysBefore, int EscalationDays);

public sealed record SaveCommitteeNotificationSettingsRequest(int? ReminderDaysBefore, int? EscalationDays);

/// <summary>
/// Per committee: how many days before a meeting members are reminded, and after how many days past its meeting a step
/// without an outcome is escalated. Admins change them; reminders planned from then on use the new value.
/// </summary>
public sealed class CommitteeNotificationSettings(ICouncilDb db, TimeProvider clock)
{
    public async Task<CommitteeNotificationSettingsView> GetAsync(Caller caller, string key, CancellationToken cancellationToken)
    {
        var committee = await FindAsync(caller, key, cancellationToken);
        return new CommitteeNotificationSettingsView(committee.Key, committee.ReminderDaysBefore, committee.EscalationDays);
    }

    public async Task<CommitteeNotificationSettingsView> SaveAsync(Caller caller, string key, SaveCommitteeNotificationSettingsRequest request, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Committee settings are changed by admins.");
        }

        var errors = new ValidationErrors();
        if (request.ReminderDaysBefore is < 1 or > 30)
        {
            errors.Add("reminderDaysBefore", "Between 1 and 30 days before the meeting.");
        }

        if (request.EscalationDays is < 1 or > 365)
        {
            errors.Add("escalationDays", "Between 1 and 365 days after the meeting.");
        }

        errors.ThrowIfAny();
        var committee = await FindAsync(caller, key, cancellationToken);
        var before = (committee.ReminderDaysBefore, committee.EscalationDays);
        committee.ReminderDaysBefore = request.ReminderDaysBefore ?? committee.ReminderDaysBefore;
        committee.EscalationDays = request.EscalationDays ?? committee.EscalationDays;
        committee.Modified = clock.GetUtcNow();
        if ((committee.ReminderDaysBefore, committee.EscalationDays) != before)
        {
            db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Committee, committee.Key,
                $"Erinnerung {before.ReminderDaysBefore} → {committee.ReminderDaysBefore} Tage vorher, Mahnung {before.EscalationDays} → {committee.EscalationDays} Tage danach.", committee.Modified));
        }

        await db.SaveChangesAsync(cancellationToken);
        return new CommitteeNotificationSettingsView(committee.Key, committee.ReminderDaysBefore, committee.EscalationDays);
    }

    private async Task<Model.Organization> FindAsync(Caller caller, string key, CancellationToken cancellationToken) =>
        await db.Organizations.SingleOrDefaultAsync(o => o.BodyId == caller.BodyId && o.Key == key && o.Kind == Model.OrganizationKind.Committee, cancellationToken)
        ?? throw new NotFoundException($"No committee '{key}'.");
}
