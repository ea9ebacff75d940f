using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Connect;

/// <summary>How and when the user authenticated: OpenID Connect's <c>auth_time</c>, and <c>sid</c> for a browser sign-in.</summary>
internal sealed record UserSession(DateTimeOffset AuthTime, string? SessionId);

/// <summary>
/// The one place that decides which claims a token carries and where each claim may go.
/// </summary>
internal sealed class TokenPrincipalFactory(
    UserManager<ApplicationUser> users, IOpenIddictScopeManager scopeManager)
{
    /// <summary>When the user originally signed in: bounds the refresh token chain's absolute lifetime.</summary>
    public const string SignInTimeClaim = "idp_sign_in_time";

    /// <summary>OpenID Connect's session id (Front-/Back-Channel Logout 1.0).</summary>
    public const string SessionIdClaim = "sid";

    /// <summary>A hash of the security stamp, kept only inside refresh tokens to detect password changes.</summary>
    public const string StampClaim = "idp_stamp";

    /// <summary>
    /// Every claim <see cref="GetDestinations"/> may send to a client (id_token, userinfo, access token):
    /// discovery's <c>claims_supported</c>. A test compares it with real tokens, so it cannot drift.
    /// </summary>
    public static IReadOnlyList<string> ClientClaims { get; } =
    [
        Claims.Subject, Claims.Name, Claims.PreferredUsername, Claims.Email, Claims.EmailVerified, Claims.Role,
        Claims.AuthenticationTime, SessionIdClaim,
    ];

    /// <summary>
    /// <paramref name="signInTime"/> starts the refresh-token chain; <paramref name="session"/> says how the
    /// user authenticated (<c>auth_time</c>, and <c>sid</c> for a browser sign-in) and goes into the id_token.
    /// </summary>
    public async Task<ClaimsPrincipal> CreateForUserAsync(
        ApplicationUser user, IEnumerable<string> scopes, DateTimeOffset signInTime, UserSession? session = null)
    {
        var identity = new ClaimsIdentity(
            OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);

        identity.SetClaim(Claims.Subject, user.Id)
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.EmailVerified, user.EmailConfirmed)
            .SetClaim(Claims.Name, user.DisplayName ?? user.Email)
            .SetClaim(Claims.PreferredUsername, user.UserName)
            .SetClaims(Claims.Role, [.. await users.GetRolesAsync(user)])
            .SetClaim(SignInTimeClaim, signInTime.ToUnixTimeSeconds())
            .SetClaim(StampClaim, HashStamp(user.SecurityStamp));
        if (session is not null)
        {
            identity.SetClaim(Claims.AuthenticationTime, session.AuthTime.ToUnixTimeSeconds())
                .SetClaim(SessionIdClaim, session.SessionId);
        }

        return await CompleteAsync(identity, scopes);
    }

    public async Task<ClaimsPrincipal> CreateForClientAsync(string clientId, string? displayName, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(
            OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, clientId).SetClaim(Claims.Name, displayName ?? clientId);
        return await CompleteAsync(identity, scopes);
    }

    public static bool StampMatches(ClaimsPrincipal principal, ApplicationUser user) =>
        principal.GetClaim(StampClaim) is { } stamp &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stamp), Encoding.ASCII.GetBytes(HashStamp(user.SecurityStamp)));

    /// <summary>The session a token was issued under, to carry it into the tokens that replace it.</summary>
    public static UserSession? GetSession(ClaimsPrincipal principal) =>
        long.TryParse(principal.GetClaim(Claims.AuthenticationTime), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? new UserSession(DateTimeOffset.FromUnixTimeSeconds(seconds), principal.GetClaim(SessionIdClaim))
            : null;

    public static DateTimeOffset? GetSignInTime(ClaimsPrincipal principal) =>
        long.TryParse(principal.GetClaim(SignInTimeClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private async Task<ClaimsPrincipal> CompleteAsync(ClaimsIdentity identity, IEnumerable<string> scopes)
    {
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(scopes);
        principal.SetResources(await scopeManager.ListResourcesAsync(principal.GetScopes()).ToListAsync());
        principal.SetDestinations(claim => GetDestinations(claim, principal));
        return principal;
    }

    private static IEnumerable<string> GetDestinations(Claim claim, ClaimsPrincipal principal)
    {
        switch (claim.Type)
        {
            case Claims.Subject:
                yield return Destinations.AccessToken;
                yield return Destinations.IdentityToken;
                yield break;

            case Claims.Name or Claims.PreferredUsername when principal.HasScope(Scopes.Profile):
                yield return Destinations.AccessToken;
                yield return Destinations.IdentityToken;
                yield break;

            case Claims.Email or Claims.EmailVerified when principal.HasScope(Scopes.Email):
                yield return Destinations.AccessToken;
                yield return Destinations.IdentityToken;
                yield break;

            // OpenID Connect session facts for the client: when the user authenticated, and which
            // provider session this is (back-channel logout names it).
            case Claims.AuthenticationTime or SessionIdClaim:
                yield return Destinations.IdentityToken;
                yield break;

            // Roles say who the user is inside the company, so an app sees them only when it asked and was granted.
            case Claims.Role when principal.HasScope(Scopes.Roles):
                yield return Destinations.AccessToken;
                yield return Destinations.IdentityToken;
                yield break;

            // Everything else (the stamp hash, the sign-in time) stays inside the server's own
            // encrypted refresh tokens and never reaches a client-readable token.
            default:
                yield break;
        }
    }

    private static string HashStamp(string? stamp) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(stamp ?? "")));
}
