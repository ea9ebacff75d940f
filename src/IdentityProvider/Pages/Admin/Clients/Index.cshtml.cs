using IdentityProvider.Admin;
using IdentityProvider.Clients;
using IdentityProvider.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Pages.Admin.Clients;

/// <summary>The clients by client id, paged by the database.</summary>
public sealed class IndexModel(ApplicationDbContext db, IOpenIddictApplicationManager applications, IOptions<AdminOptions> options)
    : PageModel, IPagedList
{
    public sealed record ClientRow(string ClientId, string? DisplayName, string Type, string Consent, IReadOnlyList<string> Grants);

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<ClientRow> Rows { get; private set; } = [];

    public int Total { get; private set; }

    public int PageCount { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var page = await db.Set<OpenIddictEntityFrameworkCoreApplication>().AsNoTracking()
            .OrderBy(application => application.ClientId)
            .PageAsync(PageNumber, options.Value.PageSize, cancellationToken);
        (Total, PageNumber, PageCount) = (page.Total, page.Number, page.Count);

        var rows = new List<ClientRow>();
        foreach (var application in page.Items)
        {
            var permissions = await applications.GetPermissionsAsync(application, cancellationToken);
            rows.Add(new ClientRow(
                application.ClientId ?? "",
                application.DisplayName,
                application.ClientType ?? "",
                await applications.HasConsentTypeAsync(application, ConsentTypes.Implicit, cancellationToken) ? "first-party" : "third-party",
                [.. ClientRegistration.SupportedGrants.Where(grant => permissions.Contains(Permissions.Prefixes.GrantType + grant)).Order()]));
        }

        Rows = rows;
    }

    public string PageUrl(int page) => Url.Page("/Admin/Clients/Index", new { p = page })!;
}
