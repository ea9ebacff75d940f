using IdentityProvider.Users;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Connect;

/// <summary>
/// The token endpoint's own logic. OpenIddict has already validated the request, the client and,
/// for refresh tokens, the token itself (including replay detection) before this runs.
/// </summary>
internal static class TokenEndpoint
{
    // The same words for every failed sign-in, so the answer never tells which accounts exist.
    private const string InvalidCredentials = "The email address or password is invalid.";
    private const string SessionEnded = "The grant is no longer valid; sign in again.";

    public static void MapTokenEndpoint(this WebApplication app) =>
        app.MapPost(ConnectPaths.Token, HandleAsync).ExcludeFromDescription();

    private static async Task<IResult> HandleAsync(
        HttpContext context,
        UserManager<ApplicationUser> users,
        SignInManager<ApplicationUser> signIn,
        PasswordSignIn passwordSignIn,
        TokenPrincipalFactory principals,
        IOpenIddictApplicationManager applications,
        IOptions<IdpOptions> idp,
        TimeProvider time)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        if (request.IsPasswordGrantType())
        {
            // Null as well for a two-factor account, which cannot complete a second factor through this grant.
            var user = await passwordSignIn.CheckAsync(request.Username ?? "", request.Password ?? "");
            if (user is null)
            {
                return ConnectResults.Error(Errors.InvalidGrant, InvalidCredentials);
            }

            var now = time.GetUtcNow();
            return ConnectResults.SignIn(await principals.CreateForUserAsync(user, request.GetScopes(), now, new UserSession(now, null)));
        }

        // A code or a refresh token: OpenIddict has checked it (single use, lifetime, PKCE, client);
        // the user behind it is checked here.
        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var previous = result.Principal;
            var user = previous?.GetClaim(Claims.Subject) is { } subject ? await users.FindByIdAsync(subject) : null;
            var signInTime = previous is null ? null : TokenPrincipalFactory.GetSignInTime(previous);
            var now = time.GetUtcNow();
            if (user is null || previous is null || signInTime is null
                || !TokenPrincipalFactory.StampMatches(previous, user)
                || !await signIn.CanSignInAsync(user)
                || await users.IsLockedOutAsync(user))
            {
                return ConnectResults.Error(Errors.InvalidGrant, SessionEnded);
            }

            var remaining = signInTime.Value + idp.Value.RefreshTokenAbsoluteLifetime - now;
            if (remaining <= TimeSpan.Zero)
            {
                return ConnectResults.Error(Errors.InvalidGrant, SessionEnded);
            }

            // Rebuilt from the user as they are now, so role or profile changes show in the next token.
            var principal = await principals.CreateForUserAsync(user, previous.GetScopes(), signInTime.Value, TokenPrincipalFactory.GetSession(previous));
            if (remaining < idp.Value.RefreshTokenLifetime)
            {
                principal.SetRefreshTokenLifetime(remaining);
            }

            return ConnectResults.SignIn(principal);
        }

        if (request.IsClientCredentialsGrantType())
        {
            var application = await applications.FindByClientIdAsync(request.ClientId!)
                ?? throw new InvalidOperationException("OpenIddict authenticated a client that does not exist.");
            var displayName = await applications.GetDisplayNameAsync(application);
            return ConnectResults.SignIn(await principals.CreateForClientAsync(request.ClientId!, displayName, request.GetScopes()));
        }

        return ConnectResults.Error(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }
}
