using IdentityProvider.Audit;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Account;

/// <summary>
/// The mailed link opens a page with a button; the confirmation itself is a POST, so mail scanners
/// that prefetch links cannot confirm an address on the user's behalf.
/// </summary>
public sealed class ConfirmEmailModel(UserManager<ApplicationUser> users, AuditLog audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    public IActionResult OnGet() =>
        string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(Code) ? NoticeModel.Show(NoticeKind.InvalidLink) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var token = LinkTokenEncoding.Decode(Code);
        var user = UserId is { Length: <= 64 } ? await users.FindByIdAsync(UserId) : null;
        if (user is null || token is null || !(await users.ConfirmEmailAsync(user, token)).Succeeded)
        {
            return NoticeModel.Show(NoticeKind.InvalidLink);
        }

        await audit.WriteAsync(AuditTypes.EmailConfirmed, user);
        return NoticeModel.Show(NoticeKind.EmailConfirmed);
    }
}
