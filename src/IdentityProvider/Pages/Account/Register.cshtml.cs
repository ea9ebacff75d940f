using System.ComponentModel.DataAnnotations;
using IdentityProvider.Email;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Account;

public sealed class RegisterModel(UserManager<ApplicationUser> users, AccountMails mails) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        [Required, EmailAddress, StringLength(254)]
        public string Email { get; set; } = "";

        [Required, StringLength(200)]
        [Display(Name = "Display name")]
        public string DisplayName { get; set; } = "";

        [Required, StringLength(256), DataType(DataType.Password)]
        public string Password { get; set; } = "";

        [Required, DataType(DataType.Password), Compare(nameof(Password), ErrorMessage = "The passwords do not match.")]
        [Display(Name = "Confirm password")]
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

        // A taken address gets a mail, not an error: the page must not reveal who has an account.
        if (await users.FindByEmailAsync(Input.Email) is not null)
        {
            await mails.SendAlreadyRegisteredAsync(Input.Email);
            return NoticeModel.Show(NoticeKind.CheckEmail);
        }

        var user = new ApplicationUser { UserName = Input.Email, Email = Input.Email, DisplayName = Input.DisplayName };
        var result = await users.CreateAsync(user, Input.Password);
        if (!result.Succeeded)
        {
            IdentityErrors.AddTo(ModelState, result);

            return Page();
        }

        await mails.SendConfirmationLinkAsync(user);
        return NoticeModel.Show(NoticeKind.CheckEmail);
    }
}
