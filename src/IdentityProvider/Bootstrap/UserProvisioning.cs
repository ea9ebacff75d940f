using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;

namespace IdentityProvider.Bootstrap;

/// <summary>Creates or updates a user, their password and roles (bootstrap and CLI alike).</summary>
public sealed class UserProvisioning(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles)
{
    public async Task<IdentityResult> UpsertAsync(UserDefinition definition)
    {
        var user = await users.FindByEmailAsync(definition.Email);
        var created = user is null;
        user ??= new ApplicationUser { UserName = definition.Email, Email = definition.Email };
        var displayName = definition.DisplayName ?? user.DisplayName;
        // Every start applies the bootstrap again: an unchanged user is neither validated nor written.
        var changed = created || user.DisplayName != displayName || user.EmailConfirmed != definition.EmailConfirmed;
        user.DisplayName = displayName;
        user.EmailConfirmed = definition.EmailConfirmed;

        var result = created
            ? string.IsNullOrEmpty(definition.Password) ? await users.CreateAsync(user) : await users.CreateAsync(user, definition.Password)
            : changed ? await users.UpdateAsync(user) : IdentityResult.Success;
        if (!result.Succeeded)
        {
            return result;
        }

        if (!created && !string.IsNullOrEmpty(definition.Password) && !await users.CheckPasswordAsync(user, definition.Password))
        {
            result = await SetPasswordAsync(user, definition.Password);
            if (!result.Succeeded)
            {
                return result;
            }
        }

        return await AddRolesAsync(user, definition.Roles);
    }

    /// <summary>
    /// Replaces the password through Identity's reset: the policy is checked before anything
    /// changes, and the security stamp is renewed, which ends existing refresh tokens.
    /// </summary>
    public async Task<IdentityResult> SetPasswordAsync(ApplicationUser user, string password) =>
        await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password);

    public async Task<IdentityResult> AddRolesAsync(ApplicationUser user, IEnumerable<string> roleNames)
    {
        foreach (var role in roleNames)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                var created = await roles.CreateAsync(new IdentityRole(role));
                if (!created.Succeeded)
                {
                    return created;
                }
            }

            if (!await users.IsInRoleAsync(user, role))
            {
                var added = await users.AddToRoleAsync(user, role);
                if (!added.Succeeded)
                {
                    return added;
                }
            }
        }

        return IdentityResult.Success;
    }
}
