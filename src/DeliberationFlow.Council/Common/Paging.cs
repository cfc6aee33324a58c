namespace DeliberationFlow.Council.Common;

/// <summary>Where a page of a list begins.</summary>
public static class Paging
{
    /// <summary>
    /// The rows before page <paramref name="page"/> (from 1). A page far past the end is empty: (page − 1) × size is
    /// computed wide and capped, since in 32 bits a page such as 2147483647 wraps round to a negative offset, which
    /// LINQ reads as no offset at all and so answered with the first page.
    /// </summary>
    public static int Offset(int page, int pageSize) => (int)Math.Min((long)(page - 1) * pageSize, int.MaxValue);
}
