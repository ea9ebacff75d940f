using IdentityProvider.Admin;
using IdentityProvider.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityProvider.Pages.Admin.Scopes;

/// <summary>The API scopes by name, paged by the database.</summary>
public sealed class IndexModel(ApplicationDbContext db, IOpenIddictScopeManager scopes, IOptions<AdminOptions> options)
    : PagedListModel(options)
{
    public sealed record ScopeRow(string Name, string? DisplayName, string? Description, IReadOnlyList<string> Resources);

    public IReadOnlyList<ScopeRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var page = await ReadPageAsync(db.Set<OpenIddictEntityFrameworkCoreScope>().AsNoTracking().OrderBy(scope => scope.Name), cancellationToken);
        var rows = new List<ScopeRow>();
        foreach (var scope in page)
        {
            rows.Add(new ScopeRow(scope.Name ?? "", scope.DisplayName, scope.Description, [.. await scopes.GetResourcesAsync(scope, cancellationToken)]));
        }

        Rows = rows;
    }

    public override string PageUrl(int page) => Url.Page("/Admin/Scopes/Index", new { p = page })!;
}
