using Microsoft.AspNetCore.WebUtilities;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Connect;

/// <summary>
/// Where a provider page's form will finally send the browser: the client address named by the
/// authorization or end-session request the form continues to, when that client registered it.
/// Anything else (no such request, unknown client, unregistered address) gives null.
/// </summary>
internal sealed class ClientReturnAddress(IOpenIddictApplicationManager applications)
{
    /// <param name="pathBase">The provider's path base, which local URLs carry.</param>
    /// <param name="continuation">A local URL the form leads to, e.g. <c>/connect/authorize?client_id=…</c>.</param>
    public async Task<Uri?> FindAsync(PathString pathBase, string? continuation)
    {
        if (continuation?.Split('?', 2) is not [var path, var query])
        {
            return null;
        }

        var parameters = QueryHelpers.ParseQuery(query);
        var clientId = parameters.GetValueOrDefault(Parameters.ClientId).ToString();
        // PostgreSQL refuses a NUL in a text parameter: such a request names no client, and must not cost a 500.
        var application = clientId is { Length: > 0 and <= 100 } && !clientId.Contains('\0') ? await applications.FindByClientIdAsync(clientId) : null;
        if (path == pathBase + ConnectPaths.Authorize)
        {
            var redirectUri = parameters.GetValueOrDefault(Parameters.RedirectUri).ToString();
            return application is not null && Absolute(redirectUri) is { } address &&
                await applications.ValidateRedirectUriAsync(application, redirectUri) ? address : null;
        }

        if (path == pathBase + ConnectPaths.EndSession)
        {
            // client_id is optional in a logout request; the address must then be registered by some client.
            var logoutUri = parameters.GetValueOrDefault(Parameters.PostLogoutRedirectUri).ToString();
            if (Absolute(logoutUri) is not { } address)
            {
                return null;
            }

            if (application is not null)
            {
                return await applications.ValidatePostLogoutRedirectUriAsync(application, logoutUri) ? address : null;
            }

            await foreach (var _ in applications.FindByPostLogoutRedirectUriAsync(logoutUri))
            {
                return address;
            }
        }

        return null;
    }

    private static Uri? Absolute(string uri) =>
        uri.Length is > 0 and <= 2000 && !uri.Contains('\0') && Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed : null;
}
