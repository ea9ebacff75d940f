using IdentityProvider.Developers;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Admin.ThirdPartyApps;

/// <summary>The apps developers registered, with their owners and review: approve, suspend (revoking its tokens), verify.</summary>
public sealed class IndexModel(Developers.ThirdPartyApps apps) : PageModel
{
    public IReadOnlyList<ThirdPartyAppSummary> Apps { get; private set; } = [];

    public async Task OnGetAsync() => Apps = await apps.ListAsync(ownerId: null, HttpContext.RequestAborted);

    public Task<IActionResult> OnPostApproveAsync(string clientId) =>
        ActAsync(clientId, app => apps.SetReviewAsync(app, ReviewState.Approved, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostSuspendAsync(string clientId) =>
        ActAsync(clientId, app => apps.SetReviewAsync(app, ReviewState.Suspended, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostVerifyAsync(string clientId, bool verified) =>
        ActAsync(clientId, app => apps.SetVerifiedAsync(app, verified, HttpContext.RequestAborted));

    private async Task<IActionResult> ActAsync(string clientId, Func<ThirdPartyAppView, Task> action)
    {
        if (await apps.FindAsync(clientId, HttpContext.RequestAborted) is not { } app)
        {
            return NotFound();
        }

        await action(app);
        return RedirectToPage();
    }
}
