using DeliberationFlow.Council.Meetings;

namespace DeliberationFlow.Server.Components.Workspace;

/// <summary>
/// The choice of a paper to add to the draft agenda: a paper whose earlier step comes later cannot be chosen, and one
/// that missed the Vorlagenfrist only once the secretary ticks it as a Nachtrag (the use case refuses it otherwise).
/// </summary>
public sealed class AgendaPicker(IReadOnlyList<AgendaCandidate> candidates)
{
    private Guid? _selected;

    public IReadOnlyList<AgendaCandidate> Candidates => candidates;

    public Guid? Selected => _selected;

    public AgendaCandidate? Candidate => candidates.FirstOrDefault(c => c.ConsultationId == _selected);

    /// <summary>Ticked by the secretary for a paper past the Vorlagenfrist.</summary>
    public bool LateAddition { get; set; }

    public bool NeedsLateAddition => Candidate is { DeadlineMissed: true };

    public bool CanAdd => Candidate is { EarlierStepAfter: null } candidate && (!candidate.DeadlineMissed || LateAddition);

    public void Select(Guid? consultationId)
    {
        _selected = candidates.Any(c => c.ConsultationId == consultationId) ? consultationId : null;
        LateAddition = false;
    }

    /// <summary>The request for the chosen paper, or null while nothing may be added.</summary>
    public AddAgendaItemRequest? ToRequest() =>
        CanAdd && Candidate is { } candidate ? new AddAgendaItemRequest(candidate.ConsultationId, candidate.DeadlineMissed && LateAddition) : null;
}
