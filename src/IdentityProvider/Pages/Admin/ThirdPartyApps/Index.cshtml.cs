using IdentityProvider.Admin;
using IdentityProvider.Developers;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Pages.Admin.ThirdPartyApps;

/// <summary>
/// The apps developers registered, newest first, paged by the database and filtered by review state, with their owners:
/// approve, suspend (revoking its tokens), verify.
/// </summary>
public sealed class IndexModel(Developers.ThirdPartyApps apps, IOptions<AdminOptions> options) : PagedListModel(options)
{
    /// <summary>Only apps in this state; all when null.</summary>
    [BindProperty(SupportsGet = true)]
    public ReviewState? Review { get; set; }

    public IReadOnlyList<ThirdPartyAppSummary> Apps { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Apps = await apps.SummarizeAsync(await ReadPageAsync(apps.Listed(Review), cancellationToken), cancellationToken);

    public override string PageUrl(int page) => Url.Page("/Admin/ThirdPartyApps/Index", new { p = page, review = Review })!;

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
        return RedirectToPage(new { p = PageNumber, review = Review });
    }
}
