using IdentityProvider.Audit;
using IdentityProvider.Observability;
using SignInResult = Microsoft.AspNetCore.Identity.SignInResult;
using IdentityProvider.Security;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Account;

/// <summary>What the sign-in pages do once Identity has answered.</summary>
internal static class SignInSteps
{
    /// <summary>Only local addresses: an absolute ReturnUrl would make the sign-in pages an open redirector.</summary>
    public static IActionResult ReturnTo(PageModel page, string? returnUrl) =>
        page.Url.IsLocalUrl(returnUrl) ? new LocalRedirectResult(returnUrl) : new RedirectResult("~/");

    public static async Task<IActionResult> CompleteSecondFactorAsync(
        PageModel page, AuditLog audit, ProviderMetrics metrics, ApplicationUser user, SignInResult result, string? returnUrl, string method,
        string invalidCodeMessage)
    {
        metrics.SignIn(result);
        await audit.WriteAsync(
            result.Succeeded ? AuditTypes.SignInSucceeded : result.IsLockedOut ? AuditTypes.LockedOut : AuditTypes.SignInFailed,
            user,
            details: method);
        if (result.Succeeded)
        {
            metrics.TwoFactorUsed(method.Replace(' ', '_'));
            return ReturnTo(page, returnUrl);
        }

        CredentialFailures.Mark(page.HttpContext);
        // Wrong codes count towards the same lockout as wrong passwords.
        page.ModelState.AddModelError(string.Empty, result.IsLockedOut
            ? "Too many failed attempts: this account is locked for a while. Try again later."
            : invalidCodeMessage);
        return page.Page();
    }
}
