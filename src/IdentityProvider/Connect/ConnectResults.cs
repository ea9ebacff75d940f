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

    /// <summary>
    /// An OAuth error written by middleware that runs before OpenIddict (or without it): the same JSON
    /// body (RFC 6749 §5.2) OpenIddict sends.
    /// </summary>
    public static Task WriteErrorAsync(HttpResponse response, int status, string error, string description, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = "application/json;charset=UTF-8";
        return response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
        {
            [OpenIddict.Abstractions.OpenIddictConstants.Parameters.Error] = error,
            [OpenIddict.Abstractions.OpenIddictConstants.Parameters.ErrorDescription] = description,
        }), cancellationToken);
    }

    public static IResult SignIn(System.Security.Claims.ClaimsPrincipal principal) =>
        Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
}
