using System.ComponentModel.DataAnnotations;
using IdentityProvider.Security;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Pages.Account;

public sealed class LoginModel(PasswordSignIn passwordSignIn) : PageModel, IFormContinuesToClient
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    string? IFormContinuesToClient.Continuation => ReturnUrl;

    public sealed class InputModel
    {
        [Required, EmailAddress, StringLength(254)]
        public string Email { get; set; } = "";

        [Required, StringLength(256), DataType(DataType.Password)]
        public string Password { get; set; } = "";
    }

    public void OnGet()
    {
        // An app's login_hint, in the authorization request this page returns to, fills in the address.
        if (Url.IsLocalUrl(ReturnUrl) && ReturnUrl.Split('?', 2) is [_, var query] &&
            QueryHelpers.ParseQuery(query).GetValueOrDefault(Parameters.LoginHint).ToString() is { Length: > 0 and <= 254 } hint)
        {
            Input.Email = hint;
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        // Unknown, wrong, locked-out and unconfirmed all read the same (no account enumeration).
        var result = await passwordSignIn.SignInAsync(Input.Email, Input.Password);
        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("LoginWith2fa", new { ReturnUrl });
        }

        if (!result.Succeeded)
        {
            ModelState.AddModelError(string.Empty, "The email address or password is invalid.");
            return Page();
        }

        return SignInSteps.ReturnTo(this, ReturnUrl);
    }
}
