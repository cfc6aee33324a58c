using DeliberationFlow.Council.Access;

namespace DeliberationFlow.Council.Papers;

/// <summary>Reads one paper with its Beratungsfolge and journal, by id or by reference.</summary>
public sealed class GetPaper(PaperReader reader)
{
    public Task<PaperDetails> ByIdAsync(Caller caller, Guid paperId, CancellationToken cancellationToken) =>
        reader.ReadAsync(caller, paperId, cancellationToken);

    public Task<PaperDetails> ByReferenceAsync(Caller caller, string reference, CancellationToken cancellationToken) =>
        reader.ReadByReferenceAsync(caller, reference, cancellationToken);
}
