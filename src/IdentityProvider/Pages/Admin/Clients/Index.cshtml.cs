using IdentityProvider.Admin;
using IdentityProvider.Clients;
using IdentityProvider.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Pages.Admin.Clients;

/// <summary>The clients by client id, paged by the database.</summary>
public sealed class IndexModel(ApplicationDbContext db, IOpenIddictApplicationManager applications, IOptions<AdminOptions> options)
    : PagedListModel(options)
{
    public sealed record ClientRow(string ClientId, string? DisplayName, string Type, string Consent, IReadOnlyList<string> Grants);

    public IReadOnlyList<ClientRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var page = await ReadPageAsync(
            db.Set<OpenIddictEntityFrameworkCoreApplication>().AsNoTracking().OrderBy(application => application.ClientId), cancellationToken);
        var rows = new List<ClientRow>();
        foreach (var application in page)
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

    public override string PageUrl(int page) => Url.Page("/Admin/Clients/Index", new { p = page })!;
}
