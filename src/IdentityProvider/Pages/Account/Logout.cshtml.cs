using IdentityProvider.Connect;
using IdentityProvider.Security;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Account;

/// <summary>
/// Signing out is a POST with an antiforgery token, so no third-party page can sign a user out. An
/// app's logout request that could not prove it speaks for the user lands here with its parameters
/// (<see cref="EndSessionRequest"/>) and goes back to the end-session endpoint once the user agrees.
/// Switching account (from the "no access" page) passes a <see cref="ReturnUrl"/> on to the sign-in page.
/// </summary>
public sealed class LogoutModel(ProviderSignOut signOut) : PageModel, IFormContinuesToClient
{
    [BindProperty]
    public string? EndSessionRequest { get; set; }

    string? IFormContinuesToClient.Continuation => ConnectPaths.EndSession + "?" + EndSessionRequest;

    [BindProperty]
    public string? ReturnUrl { get; set; }

    public void OnGet() => EndSessionRequest = HttpContext.Request.QueryString.Value?.TrimStart('?') ?? "";

    public async Task<IActionResult> OnPostAsync()
    {
        await signOut.SignOutAsync();
        if (EndSessionRequest is { Length: > 0 })
        {
            return Redirect(ConnectPaths.EndSession + "?" + EndSessionRequest);
        }

        return RedirectToPage("Login", new { ReturnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null });
    }
}
