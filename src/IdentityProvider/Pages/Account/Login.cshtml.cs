using System.ComponentModel.DataAnnotations;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Account;

public sealed class LoginModel(PasswordCheck passwordCheck, SignInManager<ApplicationUser> signIn) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public sealed class InputModel
    {
        [Required, EmailAddress, StringLength(254)]
        public string Email { get; set; } = "";

        [Required, StringLength(256), DataType(DataType.Password)]
        public string Password { get; set; } = "";
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        // Unknown, wrong, locked-out and unconfirmed all read the same (no account enumeration).
        // Two-factor sign-in has no second step on this page yet, so such accounts are refused too.
        var user = await passwordCheck.SignInAsync(Input.Email, Input.Password);
        if (user is null || user.TwoFactorEnabled)
        {
            ModelState.AddModelError(string.Empty, "The email address or password is invalid.");
            return Page();
        }

        await signIn.SignInAsync(user, isPersistent: false);
        // Only local addresses: an absolute ReturnUrl would make this page an open redirector.
        return Url.IsLocalUrl(ReturnUrl) ? LocalRedirect(ReturnUrl) : Redirect("~/");
    }
}
