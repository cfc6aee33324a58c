using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Server.Web;

namespace DeliberationFlow.Server.Components.Workspace;

/// <summary>Where a paper went after an outcome: its next planned step, or that it is finished.</summary>
public static class PaperMove
{
    public static UiText Describe(string reference, PaperDetails paper)
    {
        var next = paper.Consultations.FirstOrDefault(c => c.Status == nameof(ConsultationStatus.Planned));
        return next switch
        {
            null => new UiText("{0}: {1}.", new Verbatim(reference), paper.StatusLabel),
            { Date: null } => new UiText("{0}: weiter in „{1}“ ({2}), noch ohne Sitzung.", new Verbatim(reference), new Verbatim(next.Committee.Name), next.RoleText),
            _ => new UiText("{0}: weiter in „{1}“ ({2}), Sitzung am {3}.", new Verbatim(reference), new Verbatim(next.Committee.Name), next.RoleText, new Verbatim(next.Date)),
        };
    }
}
