namespace Mitreden.Web.Infrastructure;

/// <summary>What Pages/Shared/_Pagination.cshtml needs: the page shown, how many there are, and each page's address.</summary>
public sealed record Pager(int Page, int TotalPages, Func<int, string> Url)
{
    public static Pager Of(int page, int pageSize, int total, Func<int, string> url) =>
        new(page, Math.Max(1, (int)Math.Ceiling(total / (double)Math.Max(1, pageSize))), url);
}
