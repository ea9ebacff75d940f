using System.ComponentModel.DataAnnotations;
using IdentityProvider.Clients;
using IdentityProvider.Developers;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Developer;

/// <summary>One of the developer's apps: its credentials (the secret once), review, users; rotating the secret and deleting.</summary>
public sealed class AppModel(ThirdPartyApps apps, ClientSecretManager secrets, SecretRotation rotation, UserManager<ApplicationUser> users) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ClientId { get; set; }

    /// <summary>Set by the page that made a secret; shown once, then gone.</summary>
    [TempData]
    public string? NewSecret { get; set; }

    [BindProperty]
    public string? ConfirmClientId { get; set; }

    /// <summary>How long the current secret keeps working after a rotation, so the app can switch without downtime.</summary>
    [BindProperty]
    [Range(0, SecretRotation.MaxGraceHours, ErrorMessage = SecretRotation.GraceHoursProblem)]
    public int GraceHours { get; set; }

    /// <summary>When the secret before the last rotation stops working; null when it already has.</summary>
    public DateTimeOffset? PreviousSecretEnd { get; private set; }

    public ThirdPartyAppView App { get; private set; } = null!;

    public int Users { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await OwnAppAsync() is not { } app)
        {
            return NotFound();
        }

        await LoadAsync(app);
        return Page();
    }

    public async Task<IActionResult> OnPostRotateSecretAsync()
    {
        if (await OwnAppAsync() is not { } app)
        {
            return NotFound();
        }

        if (app.Spec.IsPublic)
        {
            return RedirectToPage(new { ClientId });
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(app);
            return Page();
        }

        NewSecret = await rotation.RotateAsync(app.Application, GraceHours, HttpContext.RequestAborted);
        return RedirectToPage(new { ClientId });
    }

    public async Task<IActionResult> OnPostEndGracePeriodAsync()
    {
        if (await OwnAppAsync() is not { } app)
        {
            return NotFound();
        }

        await rotation.EndGracePeriodAsync(app.Application, HttpContext.RequestAborted);
        return RedirectToPage(new { ClientId });
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        if (await OwnAppAsync() is not { } app)
        {
            return NotFound();
        }

        if (ConfirmClientId?.Trim() != app.ClientId)
        {
            ModelState.AddModelError(nameof(ConfirmClientId), "Type the client id to confirm.");
            await LoadAsync(app);
            return Page();
        }

        await apps.DeleteAsync(app, HttpContext.RequestAborted);
        return RedirectToPage("Index");
    }

    private async Task LoadAsync(ThirdPartyAppView app)
    {
        App = app;
        Users = await apps.UsersAsync(app, HttpContext.RequestAborted);
        PreviousSecretEnd = await secrets.GetPreviousSecretEndAsync(app.Application, HttpContext.RequestAborted);
    }

    private Task<ThirdPartyAppView?> OwnAppAsync() => apps.FindOwnedAsync(ClientId, users.GetUserId(User), HttpContext.RequestAborted);
}
