using IdentityProvider.Audit;
using System.ComponentModel.DataAnnotations;
using IdentityProvider.Email;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Account.Manage;

/// <summary>Turning the second factor off asks for the password, so a borrowed session alone cannot do it.</summary>
[Authorize]
public sealed class Disable2faModel(
    UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, AccountSecurityChange securityChange, AccountMails mails) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        [Required, StringLength(256), DataType(DataType.Password)]
        public string Password { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync() =>
        await users.GetUserAsync(User) is not { } user ? Challenge()
        : await users.GetTwoFactorEnabledAsync(user) ? Page()
        : RedirectToPage("TwoFactorAuthentication");

    public async Task<IActionResult> OnPostAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (!await users.GetTwoFactorEnabledAsync(user))
        {
            return RedirectToPage("TwoFactorAuthentication");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var check = await signIn.CheckPasswordSignInAsync(user, Input.Password, lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            ModelState.AddModelError("Input.Password", check.IsLockedOut
                ? "Too many failed attempts: this account is locked for a while."
                : "The password is not correct.");
            return Page();
        }

        // A later set-up starts from a new key and new recovery codes; the old ones die here.
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        await signIn.ForgetTwoFactorClientAsync();
        await securityChange.CompleteAsync(user, AuditTypes.TwoFactorDisabled, () => mails.SendTwoFactorChangedAsync(user, enabled: false));
        return RedirectToPage("TwoFactorAuthentication");
    }
}
