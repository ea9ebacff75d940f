using System.ComponentModel.DataAnnotations;
using IdentityProvider.Audit;
using IdentityProvider.Observability;
using IdentityProvider.Security;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SignInResult = Microsoft.AspNetCore.Identity.SignInResult;

namespace IdentityProvider.Pages.Account;

public sealed class LoginWithRecoveryCodeModel(SignInManager<ApplicationUser> signIn, UserManager<ApplicationUser> users, AuditLog audit, ProviderMetrics metrics)
    : PageModel, IFormContinuesToClient
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    string? IFormContinuesToClient.Continuation => ReturnUrl;

    public sealed class InputModel
    {
        [Required, StringLength(32)]
        [Display(Name = "Recovery code")]
        public string RecoveryCode { get; set; } = "";
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

        var code = Input.RecoveryCode.Replace(" ", "", StringComparison.Ordinal);
        var result = await RedeemAsync(user, code);
        return await SignInSteps.CompleteSecondFactorAsync(this, audit, metrics, user, result, ReturnUrl, "recovery code", "The recovery code is not valid. Each code works once.");
    }

    /// <summary>
    /// Identity neither checks the lockout nor counts a failure for a recovery code (the codes are random); here
    /// they meet the same lockout as passwords and authenticator codes, so ten codes cannot be guessed at leisure.
    /// </summary>
    private async Task<SignInResult> RedeemAsync(ApplicationUser user, string code)
    {
        if (await users.IsLockedOutAsync(user))
        {
            return SignInResult.LockedOut;
        }

        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        if (result.Succeeded)
        {
            await users.ResetAccessFailedCountAsync(user);
            return result;
        }

        await users.AccessFailedAsync(user);
        return await users.IsLockedOutAsync(user) ? SignInResult.LockedOut : result;
    }
}
