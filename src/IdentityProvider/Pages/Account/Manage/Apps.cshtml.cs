using IdentityProvider.Audit;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Account.Manage;

[Authorize]
public sealed class AppsModel(UserManager<ApplicationUser> users, ConnectedApps connectedApps, SessionRevocation sessions, AuditLog audit) : PageModel
{
    public IReadOnlyList<ConnectedApps.ConnectedApp> Apps { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        Apps = await connectedApps.ListAsync(user, HttpContext.RequestAborted);
        return Page();
    }

    /// <summary>Revokes only what the signed-in user holds, so any id posted here is harmless.</summary>
    public async Task<IActionResult> OnPostRevokeAsync(string? applicationId)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (applicationId is { Length: > 0 and <= 100 })
        {
            await sessions.RevokeAppAsync(user, applicationId, HttpContext.RequestAborted);
            await audit.WriteAsync(AuditTypes.ConsentRevoked, user, details: "by the user, application " + applicationId);
        }

        return RedirectToPage();
    }
}
