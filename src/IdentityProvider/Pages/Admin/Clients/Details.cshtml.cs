using System.ComponentModel.DataAnnotations;
using IdentityProvider.Clients;
using IdentityProvider.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityProvider.Pages.Admin.Clients;

/// <summary>A client's registration, its one-time secret display, secret rotation, deletion and the permission check.</summary>
public sealed class DetailsModel(
    ClientSecretManager applications, IOpenIddictAuthorizationManager authorizations, IOpenIddictTokenManager tokens,
    ClientDiagnosis diagnosis, SecretRotation rotation, AuditLog audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ClientId { get; set; }

    /// <summary>Set by the page that made a secret; shown once, then gone.</summary>
    [TempData]
    public string? NewSecret { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? CheckGrant { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? CheckScope { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? CheckRedirectUri { get; set; }

    [BindProperty]
    public string? ConfirmClientId { get; set; }

    /// <summary>How long the current secret keeps working after a rotation, so apps can switch without downtime.</summary>
    [BindProperty]
    [Range(0, SecretRotation.MaxGraceHours, ErrorMessage = SecretRotation.GraceHoursProblem)]
    public int GraceHours { get; set; }

    /// <summary>When the secret before the last rotation stops working; null when it already has.</summary>
    public DateTimeOffset? PreviousSecretEnd { get; private set; }

    public ClientForm Client { get; private set; } = null!;

    public IReadOnlyList<string> Findings { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (await FindAsync() is not { } application)
        {
            return NotFound();
        }

        if (CheckGrant is { Length: <= 100 } || CheckScope is { Length: <= 200 } || CheckRedirectUri is { Length: <= 2000 })
        {
            Findings = await diagnosis.ExplainAsync(application, CheckGrant, CheckScope, CheckRedirectUri);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostRotateSecretAsync()
    {
        if (await FindAsync() is not { } application)
        {
            return NotFound();
        }

        if (Client.Type != ClientKind.Confidential)
        {
            return RedirectToPage(new { ClientId });
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        NewSecret = await rotation.RotateAsync(application, GraceHours, HttpContext.RequestAborted);
        return RedirectToPage(new { ClientId });
    }

    public async Task<IActionResult> OnPostEndGracePeriodAsync()
    {
        if (await FindAsync() is not { } application)
        {
            return NotFound();
        }

        await rotation.EndGracePeriodAsync(application, HttpContext.RequestAborted);
        return RedirectToPage(new { ClientId });
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        if (await FindAsync() is not { } application)
        {
            return NotFound();
        }

        if (ConfirmClientId?.Trim() != ClientId)
        {
            ModelState.AddModelError(nameof(ConfirmClientId), "Type the client id to confirm.");
            return Page();
        }

        var applicationId = await applications.GetIdAsync(application);
        var revoked = await tokens.RevokeByApplicationIdAsync(applicationId!) + await authorizations.RevokeByApplicationIdAsync(applicationId!);
        await applications.DeleteAsync(application);
        await audit.WriteAsync(AuditTypes.ClientDeleted, clientId: ClientId, details: $"{revoked} grant(s) revoked");
        return RedirectToPage("Index");
    }

    private async Task<OpenIddictEntityFrameworkCoreApplication?> FindAsync()
    {
        if (ClientId is not { Length: > 0 and <= ClientIdAttribute.MaximumLength } || await applications.FindByClientIdAsync(ClientId) is not { } application)
        {
            return null;
        }

        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application);
        Client = ClientForm.From(descriptor);
        PreviousSecretEnd = await applications.GetPreviousSecretEndAsync(application);
        return application;
    }
}
