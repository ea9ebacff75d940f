using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace IdentityProvider.Connect;

/// <summary>
/// <c>prompt=login</c> asks for a fresh sign-in. The login page sends the browser back to the same request,
/// prompt included, with this marker: when the provider asked (protected, so it cannot be forged or moved
/// later). The request is then served only by a session that started after that moment, so the address
/// the login page returns to cannot be replayed to skip the sign-in.
/// </summary>
internal sealed class LoginPrompt(IDataProtectionProvider protection, TimeProvider time)
{
    public const string Parameter = "idp_login_after";

    /// <summary>Long enough to type a password and pass two-factor; a later return asks again.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("IdentityProvider.Connect.LoginPrompt").ToTimeLimitedDataProtector();

    public string MarkNow() =>
        _protector.Protect(time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), Lifetime);

    /// <summary>Whether a sign-in at <paramref name="authTime"/> came after the marker; false for a missing, forged or expired one.</summary>
    public bool SignedInAfter(string? marker, DateTimeOffset authTime)
    {
        if (string.IsNullOrEmpty(marker))
        {
            return false;
        }

        try
        {
            return long.TryParse(_protector.Unprotect(marker), NumberStyles.None, CultureInfo.InvariantCulture, out var askedAt) &&
                authTime.ToUnixTimeSeconds() >= askedAt;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
