using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Users;

/// <summary>
/// Identity's user manager, except for how a password stored with an older hash or cost is upgraded at sign-in.
/// Identity's own upgrade renews the security stamp, which would end the user's other sessions and revoke their
/// refresh tokens merely because they signed in; here only the hash changes.
/// </summary>
public sealed class ApplicationUserManager(
    IUserStore<ApplicationUser> store, IOptions<IdentityOptions> options, IPasswordHasher<ApplicationUser> hasher,
    IEnumerable<IUserValidator<ApplicationUser>> userValidators, IEnumerable<IPasswordValidator<ApplicationUser>> passwordValidators,
    ILookupNormalizer normalizer, IdentityErrorDescriber errors, IServiceProvider services, ILogger<UserManager<ApplicationUser>> logger)
    : UserManager<ApplicationUser>(store, options, hasher, userValidators, passwordValidators, normalizer, errors, services, logger)
{
    public override async Task<bool> CheckPasswordAsync(ApplicationUser user, string password)
    {
        ThrowIfDisposed();
        var passwords = (SecretProtectingUserStore)Store;
        var result = await VerifyPasswordAsync(passwords, user, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await passwords.SetPasswordHashAsync(user, PasswordHasher.HashPassword(user, password), CancellationToken);
            if (!(await UpdateUserAsync(user)).Succeeded)
            {
                // Most often a concurrent sign-in that stored its upgrade first. Its row stands; without the reload, the
                // next save of this request would try the refused change again.
                await passwords.Context.Entry(user).ReloadAsync(CancellationToken);
            }
        }

        return result != PasswordVerificationResult.Failed;
    }
}
