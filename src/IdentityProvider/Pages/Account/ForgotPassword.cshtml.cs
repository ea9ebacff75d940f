using System.ComponentModel.DataAnnotations;
using IdentityProvider.Audit;
using IdentityProvider.Email;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Account;

public sealed class ForgotPasswordModel(UserManager<ApplicationUser> users, AccountMails mails, AuditLog audit) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        [Required, EmailAddress, StringLength(254)]
        public string Email { get; set; } = "";
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

        // Unknown addresses get the same answer and no mail. An unconfirmed account gets the link too: the reset
        // proves the mailbox and confirms it, so whoever registered someone else's address first cannot keep it.
        var user = await users.FindByEmailAsync(Input.Email);
        if (user is not null)
        {
            await mails.SendPasswordResetLinkAsync(user);
            await audit.WriteAsync(AuditTypes.PasswordResetRequested, user);
        }

        return NoticeModel.Show(NoticeKind.CheckEmail);
    }
}
