using IdentityProvider.Admin;
using IdentityProvider.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityProvider.Pages.Admin.Scopes;

/// <summary>The API scopes by name, paged by the database.</summary>
public sealed class IndexModel(ApplicationDbContext db, IOpenIddictScopeManager scopes, IOptions<AdminOptions> options)
    : PageModel, IPagedList
{
    public sealed record ScopeRow(string Name, string? DisplayName, string? Description, IReadOnlyList<string> Resources);

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<ScopeRow> Rows { get; private set; } = [];

    public int Total { get; private set; }

    public int PageCount { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var page = await db.Set<OpenIddictEntityFrameworkCoreScope>().AsNoTracking()
            .OrderBy(scope => scope.Name)
            .PageAsync(PageNumber, options.Value.PageSize, cancellationToken);
        (Total, PageNumber, PageCount) = (page.Total, page.Number, page.Count);

        var rows = new List<ScopeRow>();
        foreach (var scope in page.Items)
        {
            rows.Add(new ScopeRow(scope.Name ?? "", scope.DisplayName, scope.Description, [.. await scopes.GetResourcesAsync(scope, cancellationToken)]));
        }

        Rows = rows;
    }

    public string PageUrl(int page) => Url.Page("/Admin/Scopes/Index", new { p = page })!;
}
