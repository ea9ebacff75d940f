using IdentityProvider.Clients;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Pages.Admin.Clients;

public sealed class IndexModel(IOpenIddictApplicationManager applications) : PageModel
{
    public sealed record ClientRow(string ClientId, string? DisplayName, string Type, string Consent, IReadOnlyList<string> Grants);

    public IReadOnlyList<ClientRow> Rows { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var rows = new List<ClientRow>();
        await foreach (var application in applications.ListAsync(count: null, offset: null, HttpContext.RequestAborted))
        {
            var permissions = await applications.GetPermissionsAsync(application);
            rows.Add(new ClientRow(
                await applications.GetClientIdAsync(application) ?? "",
                await applications.GetDisplayNameAsync(application),
                await applications.GetClientTypeAsync(application) ?? "",
                await applications.HasConsentTypeAsync(application, ConsentTypes.Implicit) ? "first-party" : "third-party",
                [.. ClientRegistration.SupportedGrants.Where(grant => permissions.Contains(Permissions.Prefixes.GrantType + grant)).Order()]));
        }

        Rows = [.. rows.OrderBy(row => row.ClientId, StringComparer.Ordinal)];
    }
}
