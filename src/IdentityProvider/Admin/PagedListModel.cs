using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Admin;

/// <summary>
/// A console list paged by the database (<c>Admin:PageSize</c> rows a page): the page asked for (<c>?p=</c>),
/// how many rows and pages there are, and the links <c>Pages/Admin/_Pager.cshtml</c> shows.
/// </summary>
public abstract class PagedListModel(IOptions<AdminOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public int Total { get; private set; }

    public int PageCount { get; private set; }

    /// <summary>More rows match than the count limit given to <see cref="ReadPageAsync"/>; only that many are paged.</summary>
    public bool TotalCapped { get; private set; }

    /// <summary>This list, with its filters, at another page.</summary>
    public abstract string PageUrl(int page);

    /// <summary>Reads the page asked for (clamped to the pages there are) and remembers where it is.</summary>
    protected async Task<IReadOnlyList<T>> ReadPageAsync<T>(IQueryable<T> ordered, CancellationToken cancellationToken, int? countLimit = null)
    {
        var page = await ordered.PageAsync(PageNumber, options.Value.PageSize, cancellationToken, countLimit);
        (Total, PageNumber, PageCount, TotalCapped) = (page.Total, page.Number, page.Count, page.TotalCapped);
        return page.Items;
    }
}
