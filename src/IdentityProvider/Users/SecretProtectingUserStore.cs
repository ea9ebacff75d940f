using System.Security.Cryptography;
using System.Text;
using IdentityProvider.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace IdentityProvider.Users;

/// <summary>
/// Identity's EF store, except that the second factor's secrets are not kept in plain text: the
/// authenticator key is encrypted with Data Protection (it must be read back to check codes), and recovery
/// codes are stored as salted SHA-256 hashes (they are only ever compared). A copy of the user tokens table
/// alone then gives away neither. An authenticator key written before this store existed (no prefix) is still
/// read; recovery codes from then no longer match and are made anew on the Two-factor page.
/// </summary>
public sealed class SecretProtectingUserStore(ApplicationDbContext context, IDataProtectionProvider protection, IdentityErrorDescriber? describer = null)
    : UserStore<ApplicationUser, IdentityRole, ApplicationDbContext>(context, describer)
{
    private const string ProtectedKeyPrefix = "dp1:";
    private const string HashedCodePrefix = "h1:";

    private readonly IDataProtector _keys = protection.CreateProtector("IdentityProvider.Users.AuthenticatorKey");

    public override Task SetAuthenticatorKeyAsync(ApplicationUser user, string key, CancellationToken cancellationToken) =>
        base.SetAuthenticatorKeyAsync(user, ProtectedKeyPrefix + _keys.Protect(key), cancellationToken);

    public override async Task<string?> GetAuthenticatorKeyAsync(ApplicationUser user, CancellationToken cancellationToken)
    {
        var stored = await base.GetAuthenticatorKeyAsync(user, cancellationToken);
        if (stored is null || !stored.StartsWith(ProtectedKeyPrefix, StringComparison.Ordinal))
        {
            return stored;
        }

        try
        {
            return _keys.Unprotect(stored[ProtectedKeyPrefix.Length..]);
        }
        catch (CryptographicException)
        {
            // The data-protection key ring that encrypted it is gone: the user sets the authenticator up again
            // (signing in with a recovery code meanwhile).
            return null;
        }
    }

    public override Task ReplaceCodesAsync(ApplicationUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken) =>
        base.ReplaceCodesAsync(user, recoveryCodes.Select(code => Hash(user, code)), cancellationToken);

    /// <summary>Only the hash is compared: a stored hash typed in as a code matches nothing.</summary>
    public override Task<bool> RedeemCodeAsync(ApplicationUser user, string code, CancellationToken cancellationToken) =>
        base.RedeemCodeAsync(user, Hash(user, code), cancellationToken);

    /// <summary>Salted with the user id, so equal codes of two users differ and one table of hashes serves no other user.</summary>
    private static string Hash(ApplicationUser user, string code) =>
        HashedCodePrefix + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(user.Id + ":" + code)));
}
