using Microsoft.AspNetCore.Authentication;
using OpenIddict.Server.AspNetCore;

namespace IdentityProvider.Connect;

internal static class ConnectResults
{
    /// <summary>An OAuth error answered by OpenIddict in the protocol's own format.</summary>
    public static IResult Error(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    public static IResult SignIn(System.Security.Claims.ClaimsPrincipal principal) =>
        Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
}
