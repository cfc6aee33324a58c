using DeliberationFlow.Council.Papers;

namespace DeliberationFlow.Server.Components.Papers;

/// <summary>One row of the Beratungsfolge as a Ratsinformationssystem shows it: Status | Datum | Gremium | Beschluss.</summary>
public sealed record BeratungsfolgeRow(string Status, string Date, string Committee, string CommitteeKey, string Role, string Decision, bool Projected, string? Hint)
{
    /// <summary>Recorded and planned steps as they stand; the steps ahead with their projected dates, marked as such.</summary>
    public static IReadOnlyList<BeratungsfolgeRow> From(Projection projection) =>
        projection.Steps.Select(step =>
        {
            var projected = step.State is "Prognose" or "Störung";
            var hint = projected
                ? step.Reason + (step.SubmissionDeadline is { } deadline ? $" Vorlagenfrist {deadline}, Einladung bis {step.InvitationDate}." : "")
                : null;
            return new BeratungsfolgeRow(
                step.State,
                step.Date is null ? "offen" : projected ? $"voraussichtlich {step.Date}" : step.Date,
                step.CommitteeName,
                step.Committee,
                step.RoleText,
                step.Outcome ?? "",
                projected,
                hint);
        }).ToList();
}
