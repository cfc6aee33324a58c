namespace DeliberationFlow.Council.Common;

/// <summary>A request that cannot be carried out as asked. The API turns each kind into a problem details response.</summary>
public abstract class CouncilException : Exception
{
    protected CouncilException(string message) : base(message)
    {
    }

    protected CouncilException(string message, Exception inner) : base(message, inner)
    {
    }
}

/// <summary>The request is malformed; <see cref="Errors"/> names each field and what is wrong with it.</summary>
public sealed class RequestValidationException(IDictionary<string, string[]> errors)
    : CouncilException("The request is invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    public static RequestValidationException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

public sealed class NotFoundException(string message) : CouncilException(message);

/// <summary>What was sent is larger than allowed (a document over the size limit); <see cref="Field"/> names it.</summary>
public sealed class PayloadTooLargeException(string field, string message) : CouncilException(message)
{
    public string Field { get; } = field;
}

public sealed class ForbiddenException(string message) : CouncilException(message);

/// <summary>The request clashes with the current state (a finished step, a concurrent change, a duplicate).</summary>
public sealed class ConflictException(string message) : CouncilException(message);

/// <summary>
/// The work was undone by the database (a deadlock with other work on the same records) as often as it may be run again;
/// nothing of it was changed, and the same request can be sent again in a moment.
/// </summary>
public sealed class RetryLaterException(string message, Exception inner) : CouncilException(message, inner);

/// <summary>Collects validation errors so a request reports all of them at once.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public void Required(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"'{field}' is required.");
        }
    }

    /// <summary>
    /// An optional text of at most <paramref name="max"/> characters as sent (so it fits its column whether or not the use
    /// case trims it); <paramref name="what"/> names it for the message, e.g. "The location".
    /// </summary>
    public void MaxLength(string field, string? value, int max, string what)
    {
        if (value?.Length > max)
        {
            Add(field, $"{what} has at most {max} characters; shorten it.");
        }
    }

    /// <summary>
    /// A date whose year lies outside <see cref="InputLimits.FirstYear"/> to <see cref="InputLimits.LastYear"/> is
    /// refused with a message that shows the <paramref name="example"/>; answers whether the year was plausible.
    /// </summary>
    public bool PlausibleYear(string field, int year, string example)
    {
        if (InputLimits.IsPlausibleYear(year))
        {
            return true;
        }

        Add(field, $"'{field}' must lie in the years {InputLimits.FirstYear} to {InputLimits.LastYear}, like \"{example}\".");
        return false;
    }

    /// <summary>
    /// An optional e-mail address: when given, one plain address (no display name, at most 320 characters), else a
    /// message with an <paramref name="example"/> and what the address is for.
    /// </summary>
    public void MailAddress(string field, string? address, string example, string? purpose = null)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return;
        }

        var trimmed = address.Trim();
        if (trimmed.Length > 320 || !System.Net.Mail.MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed)
        {
            Add(field, $"'{trimmed}' is not an e-mail address like \"{example}\"{(purpose is null ? "" : $"; {purpose}")}.");
        }
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new RequestValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
    }
}
