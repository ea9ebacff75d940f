using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Abstractions;

namespace IdentityProvider.Pages.Admin.Scopes;

public sealed class IndexModel(IOpenIddictScopeManager scopes) : PageModel
{
    public sealed record ScopeRow(string Name, string? DisplayName, string? Description, IReadOnlyList<string> Resources);

    public IReadOnlyList<ScopeRow> Rows { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var rows = new List<ScopeRow>();
        await foreach (var scope in scopes.ListAsync(count: null, offset: null, HttpContext.RequestAborted))
        {
            rows.Add(new ScopeRow(
                await scopes.GetNameAsync(scope) ?? "",
                await scopes.GetDisplayNameAsync(scope),
                await scopes.GetDescriptionAsync(scope),
                [.. await scopes.GetResourcesAsync(scope)]));
        }

        Rows = [.. rows.OrderBy(row => row.Name, StringComparer.Ordinal)];
    }
}
