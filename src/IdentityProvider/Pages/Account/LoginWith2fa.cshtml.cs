using System.ComponentModel.DataAnnotations;
using IdentityProvider.Audit;
using IdentityProvider.Observability;
using IdentityProvider.Security;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Account;

/// <summary>The second step of signing in; Identity's short-lived two-factor cookie says whose password was right.</summary>
public sealed class LoginWith2faModel(SignInManager<ApplicationUser> signIn, AuditLog audit, ProviderMetrics metrics) : PageModel, IFormContinuesToClient
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    string? IFormContinuesToClient.Continuation => ReturnUrl;

    public sealed class InputModel
    {
        [Required, StringLength(9, MinimumLength = 6, ErrorMessage = "Enter the six-digit code your authenticator app shows.")]
        [Display(Name = "Authenticator code")]
        public string TwoFactorCode { get; set; } = "";

        [Display(Name = "Remember this browser")]
        public bool RememberMachine { get; set; }
    }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("Login", new { ReturnUrl }) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } user)
        {
            return RedirectToPage("Login", new { ReturnUrl });
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await signIn.TwoFactorAuthenticatorSignInAsync(Input.TwoFactorCode, isPersistent: false, Input.RememberMachine);
        return await SignInSteps.CompleteSecondFactorAsync(this, audit, metrics, user, result, ReturnUrl, "authenticator code", "The code is not valid. Use the newest code your authenticator app shows; each code works once.");
    }
}
