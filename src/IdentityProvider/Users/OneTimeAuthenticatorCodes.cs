using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Users;

/// <summary>
/// Checks authenticator-app codes. Replaces Identity's provider, which accepts a code for 90 seconds
/// either side and any number of times (dotnet/aspnetcore#14423): here a code is accepted for one
/// step either side of now (clock drift), and only once, as RFC 6238 §5.2 requires. The last used
/// step is stored with the user; saving it is guarded by the user's concurrency stamp, so two
/// requests racing with the same code cannot both succeed.
/// </summary>
public sealed class OneTimeAuthenticatorCodes(TimeProvider clock) : IUserTwoFactorTokenProvider<ApplicationUser>
{
    public const string ProviderName = "OneTimeAuthenticator";
    private const string LoginProvider = "[IdentityProvider]";
    private const string LastUsedStepName = "AuthenticatorLastUsedStep";

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<ApplicationUser> manager, ApplicationUser user) =>
        !string.IsNullOrEmpty(await manager.GetAuthenticatorKeyAsync(user));

    /// <summary>The authenticator app makes the codes; the provider never sends one.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<ApplicationUser> manager, ApplicationUser user) =>
        Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        var code = token.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (code.Length != 6 || !code.All(char.IsAsciiDigit) ||
            await manager.GetAuthenticatorKeyAsync(user) is not { } encodedKey || Totp.DecodeBase32(encodedKey) is not { } key)
        {
            return false;
        }

        var now = Totp.StepAt(clock.GetUtcNow());
        long? matched = null;
        for (var step = now - 1; step <= now + 1; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Totp.Compute(key, step)), Encoding.ASCII.GetBytes(code)))
            {
                matched = step;
            }
        }

        var lastUsed = long.TryParse(await manager.GetAuthenticationTokenAsync(user, LoginProvider, LastUsedStepName), out var stored) ? stored : long.MinValue;
        if (matched is not { } used || used <= lastUsed)
        {
            return false;
        }

        try
        {
            var saved = await manager.SetAuthenticationTokenAsync(user, LoginProvider, LastUsedStepName, used.ToString(CultureInfo.InvariantCulture));
            return saved.Succeeded;
        }
        catch (DbUpdateException)
        {
            // Two first-ever uses racing to insert the row: the loser's code counts as used.
            return false;
        }
    }
}
