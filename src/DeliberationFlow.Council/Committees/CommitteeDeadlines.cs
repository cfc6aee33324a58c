using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Audit;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Committees;

/// <summary>
/// A committee's deadlines as its Geschäftsordnung sets them: the Vorlagenfrist (days before the meeting a paper must be
/// final; working days or calendar days), the Ladungsfrist (calendar days before the meeting the invitation goes out) and
/// the shorter ones for urgent papers. Omitted fields stay as they are.
/// </summary>
public sealed record SaveCommitteeDeadlinesRequest(
    int? SubmissionDeadlineDays, bool? SubmissionDeadlineInWorkingDays, int? NoticePeriodDays, int? UrgentSubmissionDeadlineDays, int? UrgentNoticePeriodDays);

/// <summary>
/// Admins set a committee's deadlines. Steps planned from then on use them: a paper already planned into a meeting keeps
/// it, and its invitation keeps its time (the Ladung for that meeting has its date already).
/// </summary>
public sealed class CommitteeDeadlines(ICouncilDb db, TimeProvider clock, ILogger<CommitteeDeadlines> logger)
{
    private const int MaxDays = 90;

    public async Task<CommitteeView> SaveAsync(Caller caller, string key, SaveCommitteeDeadlinesRequest request, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Committee deadlines are set by admins.");
        }

        var committee = await db.Organizations.SingleOrDefaultAsync(o => o.BodyId == caller.BodyId && o.Key == key && o.Kind == OrganizationKind.Committee, cancellationToken)
            ?? throw new NotFoundException($"No committee '{key}'.");

        // Checked as they would stand after the change, so an urgent deadline is never longer than the normal one.
        var submission = request.SubmissionDeadlineDays ?? committee.SubmissionDeadlineDays;
        var notice = request.NoticePeriodDays ?? committee.NoticePeriodDays;
        var urgentSubmission = request.UrgentSubmissionDeadlineDays ?? committee.UrgentSubmissionDeadlineDays;
        var urgentNotice = request.UrgentNoticePeriodDays ?? committee.UrgentNoticePeriodDays;
        var errors = new ValidationErrors();
        if (submission is < 0 or > MaxDays)
        {
            errors.Add("submissionDeadlineDays", $"Between 0 and {MaxDays} days before the meeting.");
        }

        if (notice is < 1 or > MaxDays)
        {
            errors.Add("noticePeriodDays", $"Between 1 and {MaxDays} days before the meeting.");
        }

        if (urgentSubmission < 0 || urgentSubmission > submission)
        {
            errors.Add("urgentSubmissionDeadlineDays", $"Between 0 and the normal Vorlagenfrist ({submission} days).");
        }

        if (urgentNotice < 1 || urgentNotice > notice)
        {
            errors.Add("urgentNoticePeriodDays", $"Between 1 day and the normal Ladungsfrist ({notice} days).");
        }

        errors.ThrowIfAny();
        var before = Describe(committee);
        committee.SubmissionDeadlineDays = submission;
        committee.SubmissionDeadlineInWorkingDays = request.SubmissionDeadlineInWorkingDays ?? committee.SubmissionDeadlineInWorkingDays;
        committee.NoticePeriodDays = notice;
        committee.UrgentSubmissionDeadlineDays = urgentSubmission;
        committee.UrgentNoticePeriodDays = urgentNotice;
        committee.Modified = clock.GetUtcNow();
        if (Describe(committee) != before)
        {
            db.AuditEntries.Add(AuditEntry.Of(caller, AuditAreas.Committee, committee.Key, $"Fristen geändert. Vorher: {before}. Jetzt: {Describe(committee)}.", committee.Modified));
        }

        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Deadlines of committee {Committee} changed by {User}: {Before} -> {After}", committee.Key, caller.UserName, before, Describe(committee));

        var today = BodyClock.LocalDay(clock.GetUtcNow(), (await db.Bodies.GetAsync(caller.BodyId, cancellationToken)).Zone);
        var members = await db.Memberships.AsNoTracking().Where(m => m.OrganizationId == committee.Id).ToListAsync(cancellationToken);
        return CommitteeView.Of(committee, members.Count(m => m.IsActiveOn(today)));
    }

    private static string Describe(Organization c) =>
        $"Vorlagenfrist {c.SubmissionDeadlineDays} {(c.SubmissionDeadlineInWorkingDays ? "Arbeitstage" : "Tage")}, Ladungsfrist {c.NoticePeriodDays} Tage, " +
        $"dringlich {c.UrgentSubmissionDeadlineDays}/{c.UrgentNoticePeriodDays}";
}
