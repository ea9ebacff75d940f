using IdentityProvider.Audit;
using IdentityProvider.Email;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Account;

/// <summary>Like <see cref="ConfirmEmailModel"/>: the mailed link shows a button and only the POST changes the address.</summary>
public sealed class ConfirmEmailChangeModel(
    UserManager<ApplicationUser> users, AccountSecurityChange securityChange, AccountMails mails) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Email { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    public IActionResult OnGet() =>
        string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(Email) || string.IsNullOrEmpty(Code)
            ? NoticeModel.Show(NoticeKind.InvalidLink)
            : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var token = LinkTokenEncoding.Decode(Code);
        var user = UserId is { Length: <= 64 } ? await users.FindByIdAsync(UserId) : null;
        if (user is null || token is null || Email is not { Length: > 0 and <= 254 } newEmail)
        {
            return NoticeModel.Show(NoticeKind.InvalidLink);
        }

        // The user name is the email address. Set before ChangeEmailAsync, it is saved by the same
        // update, so the two can never disagree; a bad token saves nothing.
        var oldEmail = user.Email!;
        user.UserName = newEmail;
        if (!(await users.ChangeEmailAsync(user, newEmail, token)).Succeeded)
        {
            return NoticeModel.Show(NoticeKind.InvalidLink);
        }

        await securityChange.CompleteAsync(user, AuditTypes.EmailChanged, () => mails.SendEmailChangedAsync(user, oldEmail), details: "from " + oldEmail);
        return NoticeModel.Show(NoticeKind.EmailChanged);
    }
}
