using Microsoft.AspNetCore.Identity;

namespace IdentityProvider.Users;

/// <summary>
/// Checks a user's password through Identity (so failures count towards lockout) while making
/// every failure cost the same time: an unknown, locked-out or not-yet-allowed account still pays
/// for one password hash, so response times do not reveal which accounts exist.
/// </summary>
public sealed class PasswordCheck(
    UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, IPasswordHasher<ApplicationUser> hasher)
{
    private static readonly ApplicationUser DummyUser = new() { UserName = "dummy@invalid" };
    private static string? s_dummyHash;

    public async Task<ApplicationUser?> SignInAsync(string email, string password)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            SpendOneHash(password);
            return null;
        }

        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return user;
        }

        // Identity returns these before hashing the password.
        if (result.IsLockedOut || result.IsNotAllowed)
        {
            SpendOneHash(password);
        }

        return null;
    }

    private void SpendOneHash(string password)
    {
        s_dummyHash ??= hasher.HashPassword(DummyUser, Guid.NewGuid().ToString());
        hasher.VerifyHashedPassword(DummyUser, s_dummyHash, password);
    }
}
