using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Papers;

namespace DeliberationFlow.Server.Components.Workspace;

/// <summary>Where a paper went after an outcome: its next planned step, or that it is finished.</summary>
public static class PaperMove
{
    public static string Describe(string reference, PaperDetails paper)
    {
        var next = paper.Consultations.FirstOrDefault(c => c.Status == nameof(ConsultationStatus.Planned));
        return next is not null
            ? $"{reference}: weiter in „{next.Committee.Name}“ ({next.RoleText}), {(next.Date is null ? "noch ohne Sitzung" : $"Sitzung am {next.Date}")}."
            : $"{reference}: {paper.StatusLabel}.";
    }
}
