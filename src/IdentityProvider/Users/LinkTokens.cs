using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Users;

/// <summary>
/// The tokens in account links (password reset, email confirmation and change): single-use through the
/// security stamp, bound to the user and the purpose, expiring after <see cref="DataProtectionTokenProviderOptions.TokenLifespan"/>.
/// Identity's <see cref="DataProtectorTokenProvider{TUser}"/> reads the system clock; this is its format
/// (links already sent stay valid) read against the provider's <see cref="TimeProvider"/>, the clock
/// every other lifetime follows.
/// </summary>
public class LinkTokens(IDataProtectionProvider protection, DataProtectionTokenProviderOptions options, TimeProvider clock)
    : IUserTwoFactorTokenProvider<ApplicationUser>
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly IDataProtector _protector = protection.CreateProtector(options.Name);

    public LinkTokens(IDataProtectionProvider protection, IOptions<DataProtectionTokenProviderOptions> options, TimeProvider clock)
        : this(protection, options.Value, clock)
    {
    }

    public async Task<string> GenerateAsync(string purpose, UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Utf8, leaveOpen: true))
        {
            writer.Write(clock.GetUtcNow().UtcTicks);
            writer.Write(await manager.GetUserIdAsync(user));
            writer.Write(purpose);
            writer.Write(manager.SupportsUserSecurityStamp ? await manager.GetSecurityStampAsync(user) : "");
        }

        return Convert.ToBase64String(_protector.Protect(payload.ToArray()));
    }

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(_protector.Unprotect(Convert.FromBase64String(token))), Utf8);
            var created = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            var userId = reader.ReadString();
            var tokenPurpose = reader.ReadString();
            var stamp = reader.ReadString();
            return reader.PeekChar() == -1 &&
                created + options.TokenLifespan >= clock.GetUtcNow() &&
                userId == await manager.GetUserIdAsync(user) &&
                tokenPurpose == purpose &&
                (!manager.SupportsUserSecurityStamp || stamp == await manager.GetSecurityStampAsync(user));
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException or EndOfStreamException or ArgumentException)
        {
            return false;
        }
    }

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<ApplicationUser> manager, ApplicationUser user) => Task.FromResult(false);
}
