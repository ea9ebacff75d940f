using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
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
        if (user is null)
        {
            return false;
        }

        var passwords = (SecretProtectingUserStore)Store;
        var stamp = user.SecurityStamp;
        var result = await VerifyPasswordAsync(passwords, user, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await passwords.SetPasswordHashAsync(user, PasswordHasher.HashPassword(user, password), CancellationToken);
            if (!(await UpdateUserAsync(user)).Succeeded)
            {
                // The account changed meanwhile, and its row stands. A concurrent sign-in storing the same upgrade leaves
                // the stamp as it was; a new password, a reset or "sign out everywhere" renews it, and a check made against
                // the hash from before must not outlive that. (The reload also spares this request's next save from
                // trying the refused change again.)
                var entry = passwords.Context.Entry(user);
                await entry.ReloadAsync(CancellationToken);
                if (entry.State == EntityState.Detached || user.SecurityStamp != stamp)
                {
                    return false;
                }
            }
        }

        return result != PasswordVerificationResult.Failed;
    }
}
