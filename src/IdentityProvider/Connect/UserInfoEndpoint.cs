using System.Security.Claims;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Connect;

internal static class UserInfoEndpoint
{
    public static void MapUserInfoEndpoint(this WebApplication app) =>
        app.MapMethods(ConnectPaths.UserInfo, [HttpMethods.Get, HttpMethods.Post], HandleAsync).ExcludeFromDescription();

    private static async Task<IResult> HandleAsync(
        HttpContext context, UserManager<ApplicationUser> users, TokenPrincipalFactory principals, TimeProvider time)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (result.Principal is { } principal && !principal.HasScope(Scopes.OpenId))
        {
            // OpenID Connect Core §5.3: UserInfo serves OpenID Connect access tokens only; any other
            // access token lacks the scope for it (RFC 6750 §3.1), which OpenIddict answers with 403.
            return ConnectResults.Error(Errors.InsufficientScope, "The access token was not issued for the 'openid' scope.");
        }

        var user = result.Principal?.GetClaim(Claims.Subject) is { } subject ? await users.FindByIdAsync(subject) : null;
        if (result.Principal is null || user is null)
        {
            return Results.Challenge(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The access token is no longer valid.",
                }),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        // The same claims an id_token would carry for these scopes, read from the user as they are now.
        var current = await principals.CreateForUserAsync(user, result.Principal.GetScopes(), time.GetUtcNow());
        var claims = current.Claims
            .Where(claim => claim.HasDestination(Destinations.IdentityToken))
            .GroupBy(claim => claim.Type)
            .ToDictionary(group => group.Key, group => group.Key == Claims.Role
                ? group.Select(claim => claim.Value).ToArray()
                : ToJsonValue(group.First()));
        return Results.Ok(claims);
    }

    private static object ToJsonValue(Claim claim) =>
        claim.ValueType == ClaimValueTypes.Boolean ? bool.Parse(claim.Value) : claim.Value;
}
