using System.Security.Cryptography;
using System.Text;
using IdentityProvider.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Users;

/// <summary>
/// Identity's EF store, except that the second factor's secrets are not kept in plain text: the
/// authenticator key is encrypted with Data Protection (it must be read back to check codes), and recovery
/// codes are stored as slow salted hashes (they are only ever compared; a code has about 47 bits, so a fast
/// hash of it could be searched): PBKDF2-SHA256 with the user id as salt and the password hasher's iterations.
/// A copy of the user tokens table alone then gives away neither. An authenticator key written before this
/// store existed (no prefix) is still read; codes stored earlier as one SHA-256 ("h1:") still work until used
/// or replaced; codes from before this store no longer match and are made anew on the Two-factor page.
/// </summary>
public sealed class SecretProtectingUserStore(
    ApplicationDbContext context, IDataProtectionProvider protection, IOptions<PasswordHasherOptions> hashing, IdentityErrorDescriber? describer = null)
    : UserStore<ApplicationUser, IdentityRole, ApplicationDbContext>(context, describer)
{
    private const string ProtectedKeyPrefix = "dp1:";
    private const string FastHashPrefix = "h1:";
    private const string SlowHashPrefix = "h2:";

    // Where Identity keeps recovery codes (UserStoreBase's private constants).
    private const string RecoveryCodeProvider = "[AspNetUserStore]";
    private const string RecoveryCodesName = "RecoveryCodes";

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
        base.ReplaceCodesAsync(user, recoveryCodes.Select(code => SlowHash(user, code)), cancellationToken);

    /// <summary>
    /// Only the hash is compared: a stored hash typed in as a code matches nothing. Written out rather than left to
    /// Identity, whose version stores the remaining codes through <see cref="ReplaceCodesAsync"/>, which would hash
    /// the stored hashes again.
    /// </summary>
    public override async Task<bool> RedeemCodeAsync(ApplicationUser user, string code, CancellationToken cancellationToken)
    {
        var stored = (await GetTokenAsync(user, RecoveryCodeProvider, RecoveryCodesName, cancellationToken) ?? "").Split(';');
        var match = new[] { SlowHash(user, code), FastHash(user, code) }.FirstOrDefault(stored.Contains);
        if (match is null)
        {
            return false;
        }

        await base.ReplaceCodesAsync(user, stored.Where(hash => hash != match), cancellationToken);
        return true;
    }

    /// <summary>
    /// Salted with the user id, so equal codes of two users differ and one table of hashes serves no other user;
    /// the salt is fixed per user so that redeeming costs one hash, not one per stored code.
    /// </summary>
    private string SlowHash(ApplicationUser user, string code) =>
        SlowHashPrefix + Convert.ToHexString(Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(code), Encoding.UTF8.GetBytes("IdentityProvider.RecoveryCode:" + user.Id),
            hashing.Value.IterationCount, HashAlgorithmName.SHA256, 32));

    private static string FastHash(ApplicationUser user, string code) =>
        FastHashPrefix + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(user.Id + ":" + code)));
}
