using IdentityProvider.Developers;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using IdentityProvider.Users;

namespace IdentityProvider.Pages.Developer;

/// <summary>The developer's own apps, with their review state and how many users have let them in.</summary>
public sealed class IndexModel(ThirdPartyApps apps, UserManager<ApplicationUser> users) : PageModel
{
    public IReadOnlyList<ThirdPartyAppSummary> Apps { get; private set; } = [];

    public async Task OnGetAsync() => Apps = await apps.ListOwnedAsync(users.GetUserId(User)!, HttpContext.RequestAborted);
}
