using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityProvider.Users;

/// <summary>
/// Facts about the provider's own sign-in (the single sign-on session), kept in the sign-in cookie's
/// properties: when the user last entered their password (OpenID Connect's <c>auth_time</c>) and a
/// random session id (<c>sid</c>, for logout). Set on every fresh sign-in; Identity's refreshes (after
/// a password change, a security-stamp check, a sliding renewal) carry the properties over unchanged,
/// so neither value moves until the user signs in again.
/// </summary>
public static class ProviderSession
{
    private const string AuthTimeItem = "idp.auth_time";
    private const string SessionIdItem = "idp.sid";
    private const string AuthenticationMethodClaim = "amr";

    public static DateTimeOffset? GetAuthTime(AuthenticationProperties? properties) =>
        properties?.Items.TryGetValue(AuthTimeItem, out var value) == true &&
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    public static string? GetSessionId(AuthenticationProperties? properties) =>
        properties?.Items.TryGetValue(SessionIdItem, out var value) == true ? value : null;

    /// <summary>
    /// Identity rebuilds the principal from the user each time it re-checks the security stamp, and how the
    /// session signed in (the <c>amr</c> claims: <c>pwd</c>, <c>mfa</c>) is not part of the user: without this
    /// a two-factor admin would lose <c>amr=mfa</c> a minute into the session and be sent back to sign in.
    /// The cookie's properties (auth_time, sid) are carried over by Identity itself.
    /// </summary>
    public static Task KeepSignInMethods(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.NewPrincipal?.Identity is ClaimsIdentity refreshed && context.CurrentPrincipal is { } current)
        {
            refreshed.AddClaims(current.FindAll(AuthenticationMethodClaim)
                .Where(method => !refreshed.HasClaim(AuthenticationMethodClaim, method.Value))
                .Select(method => new Claim(AuthenticationMethodClaim, method.Value)));
        }

        return Task.CompletedTask;
    }

    /// <summary>Stamps a fresh sign-in and ends sessions older than the absolute lifetime.</summary>
    public static void Attach(CookieAuthenticationOptions cookie, TimeSpan absoluteLifetime)
    {
        var signingIn = cookie.Events.OnSigningIn;
        cookie.Events.OnSigningIn = context =>
        {
            if (GetAuthTime(context.Properties) is null)
            {
                var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                context.Properties.Items[AuthTimeItem] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                context.Properties.Items[SessionIdItem] = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));
            }

            return signingIn(context);
        };

        var validating = cookie.Events.OnValidatePrincipal;
        cookie.Events.OnValidatePrincipal = async context =>
        {
            var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            if (GetAuthTime(context.Properties) is not { } authTime || now - authTime > absoluteLifetime)
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(context.Scheme.Name);
                return;
            }

            await validating(context);
        };
    }
}
