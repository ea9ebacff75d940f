using IdentityProvider.Audit;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Admin.Users;

/// <summary>Deleting asks the admin to type the address, and removes the user's grants (telling the apps) first.</summary>
public sealed class DeleteModel(UserManager<ApplicationUser> users, SessionRevocation sessions, AuditLog audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    [BindProperty]
    public string? ConfirmEmail { get; set; }

    public ApplicationUser Account { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        if (!string.Equals(ConfirmEmail?.Trim(), Account.Email, StringComparison.OrdinalIgnoreCase))
        {
            ModelState.AddModelError(nameof(ConfirmEmail), "Type the user's email address to confirm.");
            return Page();
        }

        if (users.GetUserId(User) == Account.Id)
        {
            ModelState.AddModelError(string.Empty, "You cannot delete your own account here.");
            return Page();
        }

        var (authorizations, tokens) = await sessions.RevokeAllAsync(Account);
        await users.DeleteAsync(Account);
        await audit.WriteAsync(AuditTypes.UserDeleted, Account, details: $"{authorizations} authorization(s) and {tokens} token(s) revoked");
        return RedirectToPage("Index");
    }

    private async Task<bool> LoadAsync()
    {
        if (Id is not { Length: > 0 and <= 64 } || await users.FindByIdAsync(Id) is not { } account)
        {
            return false;
        }

        Account = account;
        return true;
    }
}
