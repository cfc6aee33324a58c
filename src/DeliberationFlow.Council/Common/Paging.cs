namespace DeliberationFlow.Council.Common;

/// <summary>Where a page of a list begins, and the page a list's request asks for.</summary>
public static class Paging
{
    /// <summary>The rows of a page when the request names none.</summary>
    public const int DefaultPageSize = 25;

    /// <summary>The most rows a page may hold, so one request cannot read a whole table.</summary>
    public const int MaxPageSize = 100;

    /// <summary>
    /// Checks a list's <paramref name="page"/> (from 1) and <paramref name="pageSize"/> (1 to <paramref name="maxPageSize"/>
    /// <paramref name="rows"/>, e.g. "papers", for the message) into <paramref name="errors"/> at "page" and "pageSize", and
    /// gives the page asked for: the first and <paramref name="defaultPageSize"/> rows where the request leaves them out. The
    /// answer is meant for after <see cref="ValidationErrors.ThrowIfAny"/>.
    /// </summary>
    public static (int Page, int PageSize) Check(ValidationErrors errors, int? page, int? pageSize, string rows,
        int defaultPageSize = DefaultPageSize, int maxPageSize = MaxPageSize)
    {
        if (page is < 1)
        {
            errors.Add("page", "Pages count from 1.");
        }

        if (pageSize is < 1 || pageSize > maxPageSize)
        {
            errors.Add("pageSize", $"A page holds 1 to {maxPageSize} {rows}.");
        }

        return (page ?? 1, pageSize ?? defaultPageSize);
    }

    /// <summary>
    /// The rows before page <paramref name="page"/> (from 1). A page far past the end is empty: (page − 1) × size is
    /// computed wide and capped, since in 32 bits a page such as 2147483647 wraps round to a negative offset, which
    /// LINQ reads as no offset at all and so answered with the first page.
    /// </summary>
    public static int Offset(int page, int pageSize) => (int)Math.Min((long)(page - 1) * pageSize, int.MaxValue);
}
