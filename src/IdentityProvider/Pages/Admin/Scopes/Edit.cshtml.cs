using System.ComponentModel.DataAnnotations;
using IdentityProvider.Audit;
using IdentityProvider.Clients;
using IdentityProvider.Developers;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Abstractions;

namespace IdentityProvider.Pages.Admin.Scopes;

/// <summary>Creates or changes an API scope: its names for people, and the resources (token audiences) it grants.</summary>
public sealed class EditModel(IOpenIddictScopeManager scopes, AuditLog audit) : PageModel
{
    /// <summary>Absent for a new scope.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Name { get; set; }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool IsNew => string.IsNullOrEmpty(Name);

    public sealed class InputModel
    {
        [ScopeName]
        [Display(Name = "Scope name")]
        public string Name { get; set; } = "";

        [StringLength(200)]
        [Display(Name = "Display name")]
        public string? DisplayName { get; set; }

        [StringLength(500)]
        [Display(Name = "Description")]
        public string? Description { get; set; }

        /// <summary>Space-separated resource names; each becomes an <c>aud</c> of access tokens with this scope.</summary>
        [StringLength(2000), RegularExpression("^[\\x21-\\x7E ]*$", ErrorMessage = "Resources are names without quotes, separated by spaces.")]
        public string? Resources { get; set; }

        [Display(Name = "Open to third-party apps")]
        public bool OpenToThirdParties { get; set; }
    }

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

        Input = new InputModel
        {
            Name = descriptor.Name!,
            DisplayName = descriptor.DisplayName,
            Description = descriptor.Description,
            Resources = string.Join(' ', descriptor.Resources),
            OpenToThirdParties = ThirdPartyScopes.IsOpen(descriptor),
        };
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
            Input.Name = existing.Name!;
            ModelState.Remove("Input.Name");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (existing is null && await scopes.FindByNameAsync(Input.Name) is not null)
        {
            ModelState.AddModelError("Input.Name", "A scope with this name exists already.");
            return Page();
        }

        var descriptor = new OpenIddictScopeDescriptor
        {
            Name = Input.Name,
            DisplayName = string.IsNullOrWhiteSpace(Input.DisplayName) ? null : Input.DisplayName.Trim(),
            Description = string.IsNullOrWhiteSpace(Input.Description) ? null : Input.Description.Trim(),
        };
        descriptor.Resources.UnionWith((Input.Resources ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries));
        ThirdPartyScopes.SetOpen(descriptor, Input.OpenToThirdParties);
        if (existing is null)
        {
            await scopes.CreateAsync(descriptor);
        }
        else
        {
            await scopes.UpdateAsync((await scopes.FindByNameAsync(Input.Name))!, descriptor);
        }

        await audit.WriteAsync(existing is null ? AuditTypes.ScopeCreated : AuditTypes.ScopeUpdated,
            details: $"Scope: {descriptor.Name}; " + AuditChanges.Describe(existing is null ? new Dictionary<string, string?>() : AuditFields(existing), AuditFields(descriptor)));
        return RedirectToPage("Index");
    }

    private static Dictionary<string, string?> AuditFields(OpenIddictScopeDescriptor scope) => new()
    {
        ["DisplayName"] = scope.DisplayName,
        ["Description"] = scope.Description,
        ["Resources"] = string.Join(' ', scope.Resources.Order(StringComparer.Ordinal)),
        ["OpenToThirdParties"] = ThirdPartyScopes.IsOpen(scope).ToString(),
    };

    private async Task<OpenIddictScopeDescriptor?> FindAsync()
    {
        if (Name is not { Length: <= ScopeNameAttribute.MaximumLength } || await scopes.FindByNameAsync(Name) is not { } scope)
        {
            return null;
        }

        var descriptor = new OpenIddictScopeDescriptor();
        await scopes.PopulateAsync(descriptor, scope);
        return descriptor;
    }
}
