using DeliberationFlow.Council.Common;

namespace DeliberationFlow.Server.Web;

/// <summary>
/// What a form shows around one call of a use case: busy while it runs, each message of a refused request at its field
/// (keys like <c>committees[0]</c> count for <c>committees</c>), any other refusal as a problem, and what was typed kept.
/// </summary>
public sealed class FormCall
{
    private readonly Dictionary<string, string[]> _errors = [];
    private UiProblem? _invalid;

    public bool Busy { get; private set; }

    public UiProblem? Problem { get; private set; }

    /// <summary>Whether the last call was refused for its input.</summary>
    public bool Invalid => _errors.Count > 0;

    /// <summary>
    /// Any refusal as one problem, the input's messages in its detail: for a form too small to show each message at a field.
    /// </summary>
    public UiProblem? Refusal => Problem ?? (Invalid ? _invalid : null);

    public async Task RunAsync(Func<Task> call)
    {
        Busy = true;
        Problem = null;
        _errors.Clear();
        try
        {
            await call();
        }
        catch (RequestValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                _errors[field] = messages;
            }

            _invalid = UiProblem.From(e);
        }
        catch (Exception e) when (UiProblem.From(e) is { } problem)
        {
            Problem = problem;
        }
        finally
        {
            Busy = false;
        }
    }

    public bool Has(string field) => Fields(field).Any();

    public string? ErrorOf(string field) => string.Join(" ", Fields(field).SelectMany(key => _errors[key]));

    /// <summary>A field changed since the refusal: its mark goes, the others stay until the next call.</summary>
    public void Clear(string? field)
    {
        foreach (var key in Fields(field).ToList())
        {
            _errors.Remove(key);
        }
    }

    /// <summary>Starts a form afresh (another record opened).</summary>
    public void Reset()
    {
        _errors.Clear();
        Problem = null;
    }

    private IEnumerable<string> Fields(string? field) =>
        _errors.Keys.Where(key => key == field || key.StartsWith(field + "[", StringComparison.Ordinal));
}
