using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Clients;

/// <summary>Answers "why can't this client do X?" from its registration, in the words an admin needs.</summary>
public sealed class ClientDiagnosis(IOpenIddictApplicationManager applications)
{
    public async Task<IReadOnlyList<string>> ExplainAsync(object application, string? grant, string? scope, string? redirectUri)
    {
        var findings = new List<string>();
        var clientId = await applications.GetClientIdAsync(application);
        var isPublic = await applications.HasClientTypeAsync(application, ClientTypes.Public);

        if (!string.IsNullOrWhiteSpace(grant))
        {
            if (!ClientRegistration.SupportedGrants.Contains(grant))
            {
                findings.Add($"The provider does not offer the grant '{grant}'; it offers {string.Join(", ", ClientRegistration.SupportedGrants.Order())}.");
            }
            else if (!await applications.HasPermissionAsync(application, Permissions.Prefixes.GrantType + grant))
            {
                findings.Add($"'{clientId}' is not allowed the '{grant}' grant: tick it under Grants.");
            }
            else if (grant == GrantTypes.ClientCredentials && isPublic)
            {
                findings.Add($"'{clientId}' is a public client, and client_credentials needs a confidential one.");
            }
            else
            {
                findings.Add($"The '{grant}' grant is allowed.");
            }
        }

        if (!string.IsNullOrWhiteSpace(scope))
        {
            findings.Add(await ExplainScopeAsync(application, clientId, scope));
        }

        if (!string.IsNullOrWhiteSpace(redirectUri))
        {
            findings.Add(await applications.ValidateRedirectUriAsync(application, redirectUri.Trim())
                ? "The redirect URI is registered."
                : "The redirect URI is not registered. It must match one of the registered ones exactly (scheme, host, port, path, query; no trailing-slash tolerance).");
        }

        return findings.Count > 0 ? findings : ["Give a grant, a scope or a redirect URI to check."];
    }

    private async Task<string> ExplainScopeAsync(object application, string? clientId, string scope)
    {
        if (scope == Scopes.OfflineAccess && !await applications.HasPermissionAsync(application, Permissions.GrantTypes.RefreshToken))
        {
            return "offline_access needs the refresh_token grant.";
        }

        if (scope is Scopes.OpenId or Scopes.OfflineAccess)
        {
            return $"'{scope}' needs no permission.";
        }

        return await applications.HasPermissionAsync(application, Permissions.Prefixes.Scope + scope)
            ? $"The scope '{scope}' is allowed."
            : $"'{clientId}' may not request the scope '{scope}': add it under Scopes.";
    }
}
