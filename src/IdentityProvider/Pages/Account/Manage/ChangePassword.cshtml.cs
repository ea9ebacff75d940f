using IdentityProvider.Audit;
using System.ComponentModel.DataAnnotations;
using IdentityProvider.Email;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Account.Manage;

[Authorize]
public sealed class ChangePasswordModel(
    UserManager<ApplicationUser> users, AccountSecurityChange securityChange, AccountMails mails) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        [Required, StringLength(256), DataType(DataType.Password)]
        public string OldPassword { get; set; } = "";

        [Required, StringLength(256), DataType(DataType.Password)]
        public string NewPassword { get; set; } = "";

        [Required, DataType(DataType.Password), Compare(nameof(NewPassword), ErrorMessage = "The passwords do not match.")]
        public string ConfirmPassword { get; set; } = "";
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var result = await users.ChangePasswordAsync(user, Input.OldPassword, Input.NewPassword);
        // A wrong current password counts towards the lockout like a wrong password at sign-in: a borrowed
        // session cannot guess it at leisure.
        if (result.Errors.Any(error => error.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
        {
            await users.AccessFailedAsync(user);
        }

        if (!result.Succeeded)
        {
            IdentityErrors.AddTo(ModelState, result, passwordField: "Input.NewPassword");

            return Page();
        }

        await securityChange.CompleteAsync(user, AuditTypes.PasswordChanged, () => mails.SendPasswordChangedAsync(user));
        return NoticeModel.Show(NoticeKind.PasswordChanged);
    }
}
