using System.ComponentModel.DataAnnotations;
using IdentityProvider.Email;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Account;

public sealed class ResendEmailConfirmationModel(UserManager<ApplicationUser> users, AccountMails mails) : PageModel
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

        // Unknown and already-confirmed addresses get the same answer and no mail.
        var user = await users.FindByEmailAsync(Input.Email);
        if (user is not null && !await users.IsEmailConfirmedAsync(user))
        {
            await mails.SendConfirmationLinkAsync(user);
        }

        return NoticeModel.Show(NoticeKind.CheckEmail);
    }
}
