using DeliberationFlow.Council.Papers;

namespace DeliberationFlow.Server.Components.Papers;

/// <summary>One row of the Beratungsfolge as a Ratsinformationssystem shows it: Status | Datum | Gremium | Beschluss.</summary>
/// <remarks>Words (status, role, "open", "expected") are left to the page to translate; <see cref="Reason"/> and the dates come from the projection.</remarks>
public sealed record BeratungsfolgeRow(
    string Status, string? Date, string Committee, string CommitteeKey, string Role, string Decision, bool Projected, string? Reason,
    string? SubmissionDeadline, string? InvitationDate, Guid? MeetingId = null, string? Marking = null)
{
    /// <summary>Recorded and planned steps as they stand; the steps ahead with their projected dates, marked as such.</summary>
    public static IReadOnlyList<BeratungsfolgeRow> From(Projection projection) =>
        projection.Steps.Select(step =>
        {
            var projected = step.State is "Prognose" or "Störung";
            return new BeratungsfolgeRow(
                step.State,
                step.Date,
                step.CommitteeName,
                step.Committee,
                step.RoleText,
                step.Outcome ?? "",
                projected,
                projected ? step.Reason : null,
                projected ? step.SubmissionDeadline : null,
                projected ? step.InvitationDate : null,
                projected ? null : step.MeetingId,
                step.Marking);
        }).ToList();
}
