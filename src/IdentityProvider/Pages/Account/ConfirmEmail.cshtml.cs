using System.ComponentModel.DataAnnotations;
using IdentityProvider.Audit;
using IdentityProvider.Security;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Account;

/// <summary>
/// The mailed link opens a page with a button; the confirmation itself is a POST, so mail scanners
/// that prefetch links cannot confirm an address on the user's behalf. It also asks for the account's
/// password: the link proves the mailbox, the password that the person confirming is the one who registered.
/// Someone who registered another person's address cannot confirm it, and its owner, who cannot type the
/// stranger's password, takes the account over with "Forgot your password?" (a reset confirms the address).
/// </summary>
public sealed class ConfirmEmailModel(UserManager<ApplicationUser> users, AuditLog audit) : PageModel
{
    /// <summary>The account's password; accounts made without one (an admin's invitation) are not asked.</summary>
    [BindProperty]
    [DataType(DataType.Password), StringLength(256)]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    public IActionResult OnGet() =>
        string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(Code) ? NoticeModel.Show(NoticeKind.InvalidLink) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var token = LinkTokenEncoding.Decode(Code);
        var user = UserId is { Length: <= 64 } ? await users.FindByIdAsync(UserId) : null;
        if (user is null || token is null ||
            !await users.VerifyUserTokenAsync(user, users.Options.Tokens.EmailConfirmationTokenProvider, UserManager<ApplicationUser>.ConfirmEmailTokenPurpose, token))
        {
            return NoticeModel.Show(NoticeKind.InvalidLink);
        }

        if (await users.HasPasswordAsync(user) && await users.IsLockedOutAsync(user))
        {
            ModelState.AddModelError(nameof(Password), "Too many failed attempts: this account is locked for a while. Try again later.");
            return Page();
        }

        if (await users.HasPasswordAsync(user) && !await PasswordIsRightAsync(user))
        {
            ModelState.AddModelError(nameof(Password),
                "That is not this account's password. If you did not register this account yourself, choose your own password with \"Forgot your password?\" on the sign-in page: that confirms the address too.");
            return Page();
        }

        if (!(await users.ConfirmEmailAsync(user, token)).Succeeded)
        {
            return NoticeModel.Show(NoticeKind.InvalidLink);
        }

        await audit.WriteAsync(AuditTypes.EmailConfirmed, user);
        return NoticeModel.Show(NoticeKind.EmailConfirmed);
    }

    /// <summary>Checked like a sign-in: a wrong password counts towards the lockout.</summary>
    private async Task<bool> PasswordIsRightAsync(ApplicationUser user)
    {
        if (await users.CheckPasswordAsync(user, Password ?? ""))
        {
            await users.ResetAccessFailedCountAsync(user);
            return true;
        }

        await users.AccessFailedAsync(user);
        CredentialFailures.Mark(HttpContext);
        return false;
    }
}
