using IdentityProvider.Audit;
using IdentityProvider.Clients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Abstractions;

namespace IdentityProvider.Pages.Admin.Clients;

/// <summary>
/// Registers a client, or changes one. A confidential client's secret is made here, never typed, and
/// shown once on the next page; OpenIddict keeps only its hash.
/// </summary>
public sealed class EditModel(IOpenIddictApplicationManager applications, ClientRegistration registration, AuditLog audit) : PageModel
{
    /// <summary>Absent for a new client.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ClientId { get; set; }

    [BindProperty]
    public ClientForm Input { get; set; } = new();

    [TempData]
    public string? NewSecret { get; set; }

    public bool IsNew => string.IsNullOrEmpty(ClientId);

    public async Task<IActionResult> OnGetAsync()
    {
        if (IsNew)
        {
            return Page();
        }

        if (await FindAsync() is not { } descriptor)
        {
            return NotFound();
        }

        Input = ClientForm.From(descriptor);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var existing = IsNew ? null : await FindAsync();
        if (!IsNew && existing is null)
        {
            return NotFound();
        }

        if (existing is not null)
        {
            Input.ClientId = existing.ClientId!;
            ModelState.Remove("Input.ClientId");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (existing is null && await applications.FindByClientIdAsync(Input.ClientId) is not null)
        {
            ModelState.AddModelError("Input.ClientId", "A client with this id exists already.");
            return Page();
        }

        // A confidential client keeps its secret (the stored hash), unless it had none: then it gets one.
        var needsSecret = Input.Type == ClientKind.Confidential && string.IsNullOrEmpty(existing?.ClientSecret);
        var secret = Input.Type == ClientKind.Public ? null : needsSecret ? ClientSecrets.Generate() : existing!.ClientSecret;
        var (definition, unreadable) = Input.ToDefinition(secret);
        if (definition is null)
        {
            ModelState.AddModelError(string.Empty, unreadable!);
            return Page();
        }

        var result = await registration.UpsertAsync(definition, cancellationToken: HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            foreach (var problem in result.Problems)
            {
                ModelState.AddModelError(string.Empty, problem);
            }

            return Page();
        }

        var changes = AuditChanges.Describe(
            existing is null ? new Dictionary<string, string?>() : ClientForm.From(existing).AuditFields(),
            ClientForm.From(ClientRegistration.ToDescriptor(definition)).AuditFields());
        await audit.WriteAsync(result.Created ? AuditTypes.ClientCreated : AuditTypes.ClientUpdated, clientId: definition.ClientId,
            details: changes + (needsSecret ? "; new secret" : ""));
        if (needsSecret)
        {
            NewSecret = secret;
        }

        return RedirectToPage("Details", new { clientId = definition.ClientId });
    }

    private async Task<OpenIddictApplicationDescriptor?> FindAsync()
    {
        if (ClientId is not { Length: <= ClientIdAttribute.MaximumLength } || await applications.FindByClientIdAsync(ClientId) is not { } application)
        {
            return null;
        }

        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application);
        return descriptor;
    }
}
