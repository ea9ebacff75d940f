using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace IdentityProvider.Connect;

/// <summary>
/// <c>prompt=login</c> asks for a fresh sign-in. The login page sends the browser back to the same request,
/// prompt included, with this marker: when the provider asked and which session was current then (protected,
/// so it cannot be forged or moved). The request is then served only by another session that started at or
/// after that moment (auth_time counts whole seconds; the session id tells a sign-in in the same second from
/// the old session), so the address the login page returns to cannot be replayed to skip the sign-in.
/// </summary>
internal sealed class LoginPrompt(IDataProtectionProvider protection, TimeProvider time)
{
    public const string Parameter = "idp_login_after";

    /// <summary>Long enough to type a password and pass two-factor; a later return asks again.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("IdentityProvider.Connect.LoginPrompt").ToTimeLimitedDataProtector();

    public string MarkNow(string? currentSessionId) =>
        _protector.Protect(time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + " " + currentSessionId, Lifetime);

    /// <summary>Whether the session (<paramref name="sessionId"/>, signed in at <paramref name="authTime"/>) began after the marker; false for a missing, forged or expired one.</summary>
    public bool SignedInAfter(string? marker, DateTimeOffset authTime, string? sessionId)
    {
        if (string.IsNullOrEmpty(marker))
        {
            return false;
        }

        try
        {
            var (askedAt, sessionThen) = _protector.Unprotect(marker).Split(' ', 2) is [var seconds, var session] ? (seconds, session) : ("", "");
            return long.TryParse(askedAt, NumberStyles.None, CultureInfo.InvariantCulture, out var askedAtSeconds) &&
                authTime.ToUnixTimeSeconds() >= askedAtSeconds && sessionId != sessionThen;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
