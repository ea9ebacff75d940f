using IdentityProvider.Developers;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Pages.Developer;

/// <summary>Registers a new app, or changes one of the developer's own; a new app's secret is shown once on its page.</summary>
public sealed class EditModel(ThirdPartyApps apps, UserManager<ApplicationUser> users) : PageModel
{
    /// <summary>Absent for a new app.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ClientId { get; set; }

    [BindProperty]
    public AppForm Input { get; set; } = new();

    /// <summary>The scopes the form offers: those open to third parties and those the app holds already.</summary>
    public IReadOnlySet<string> OfferedScopes { get; private set; } = new HashSet<string>();

    public bool IsNew => string.IsNullOrEmpty(ClientId);

    /// <summary>Set by this page for the app's page, which shows it once.</summary>
    [TempData]
    public string? NewSecret { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var existing = IsNew ? null : await OwnAppAsync();
        if (!IsNew && existing is null)
        {
            return NotFound();
        }

        OfferedScopes = await apps.AllowedScopesAsync(existing, HttpContext.RequestAborted);
        Input = existing is null ? new AppForm { Scopes = [Scopes.Profile] } : AppForm.From(existing.Spec);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var existing = IsNew ? null : await OwnAppAsync();
        if (!IsNew && existing is null)
        {
            return NotFound();
        }

        OfferedScopes = await apps.AllowedScopesAsync(existing, HttpContext.RequestAborted);

        if (existing is not null)
        {
            Input.Kind = existing.Spec.Kind;
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var (spec, unreadable) = Input.ToSpec();
        IReadOnlyList<SpecProblem> problems = unreadable;
        if (spec is not null && existing is not null)
        {
            problems = await apps.UpdateAsync(existing, spec, HttpContext.RequestAborted);
        }
        else if (spec is not null)
        {
            var (registered, refused) = await apps.RegisterAsync(spec, users.GetUserId(User), cancellationToken: HttpContext.RequestAborted);
            problems = refused;
            if (registered is not null)
            {
                NewSecret = registered.Secret;
                ClientId = registered.ClientId;
            }
        }

        foreach (var problem in problems)
        {
            ModelState.AddModelError(problem.Field.Length == 0 ? "" : $"{nameof(Input)}.{problem.Field}", problem.Message);
        }

        return problems.Count > 0 ? Page() : RedirectToPage("App", new { ClientId });
    }

    private Task<ThirdPartyAppView?> OwnAppAsync() => apps.FindOwnedAsync(ClientId, users.GetUserId(User), HttpContext.RequestAborted);
}
