using Microsoft.AspNetCore.Identity;

namespace IdentityProvider.Users;

/// <summary>Rejects a password that is the account's own email address (or its part before the @).</summary>
public sealed class NotTheEmailPasswordValidator : IPasswordValidator<ApplicationUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password)
    {
        var email = user.Email ?? user.UserName ?? "";
        var localPart = email.Split('@')[0];
        var sameAsEmail = !string.IsNullOrEmpty(password) && email.Length > 0 &&
            (string.Equals(password.Trim(), email, StringComparison.OrdinalIgnoreCase) ||
             string.Equals(password.Trim(), localPart, StringComparison.OrdinalIgnoreCase));
        return Task.FromResult(sameAsEmail
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordIsEmail", Description = "The password must not be your email address." })
            : IdentityResult.Success);
    }
}
