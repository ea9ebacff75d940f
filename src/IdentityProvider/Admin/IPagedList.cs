namespace IdentityProvider.Admin;

/// <summary>A list page that the console's pager (<c>Pages/Admin/_Pager.cshtml</c>) links through.</summary>
public interface IPagedList
{
    int PageNumber { get; }

    int PageCount { get; }

    string PageUrl(int page);
}
