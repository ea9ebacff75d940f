using System.ComponentModel.DataAnnotations;
using IdentityProvider.Email;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Account.Manage;

[Authorize]
public sealed class EmailModel(UserManager<ApplicationUser> users, AccountMails mails) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string Email { get; private set; } = "";

    public sealed class InputModel
    {
        [Required, EmailAddress, StringLength(254)]
        [Display(Name = "New email address")]
        public string NewEmail { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        Email = user.Email ?? "";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        Email = user.Email ?? "";
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var newEmail = Input.NewEmail.Trim();
        if (string.Equals(newEmail, user.Email, StringComparison.OrdinalIgnoreCase))
        {
            ModelState.AddModelError("Input.NewEmail", "This is already your email address.");
            return Page();
        }

        await mails.SendEmailChangeRequestedAsync(user);

        // A taken address gets the same screen as a free one (no account enumeration); its owner is told instead.
        if (await users.FindByEmailAsync(newEmail) is not null)
        {
            await mails.SendAlreadyRegisteredAsync(newEmail);
        }
        else
        {
            await mails.SendEmailChangeLinkAsync(user, newEmail);
        }

        return NoticeModel.Show(NoticeKind.CheckEmail);
    }
}
