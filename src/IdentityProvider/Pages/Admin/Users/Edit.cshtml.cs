using System.ComponentModel.DataAnnotations;
using IdentityProvider.Audit;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Admin.Users;

/// <summary>An admin corrects a user's email address (which is also the user name) and display name.</summary>
public sealed class EditModel(UserManager<ApplicationUser> users, AuditLog audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        [Required, EmailAddress, StringLength(254)]
        public string Email { get; set; } = "";

        [StringLength(200)]
        [Display(Name = "Display name")]
        public string? DisplayName { get; set; }
    }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await FindAsync() is not { } user)
        {
            return NotFound();
        }

        Input = new InputModel { Email = user.Email ?? "", DisplayName = user.DisplayName };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await FindAsync() is not { } user)
        {
            return NotFound();
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var before = AuditFields(user);
        var email = Input.Email.Trim();
        user.DisplayName = string.IsNullOrWhiteSpace(Input.DisplayName) ? null : Input.DisplayName.Trim();
        if (!string.Equals(email, user.Email, StringComparison.OrdinalIgnoreCase))
        {
            // The admin vouches for the new address; the user name follows it.
            user.Email = email;
            user.UserName = email;
            user.EmailConfirmed = true;
        }

        var result = await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            IdentityErrors.AddTo(ModelState, result);

            return Page();
        }

        await audit.WriteAsync(AuditTypes.UserUpdated, user, details: AuditChanges.Describe(before, AuditFields(user)));
        return RedirectToPage("Details", new { Id });
    }

    private static Dictionary<string, string?> AuditFields(ApplicationUser user) =>
        new() { ["Email"] = user.Email, ["DisplayName"] = user.DisplayName };

    private async Task<ApplicationUser?> FindAsync() => Id is { Length: > 0 and <= 64 } ? await users.FindByIdAsync(Id) : null;
}
