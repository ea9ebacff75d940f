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

        // The page must not reveal who has an account. So the password is judged first, the same way for a
        // taken address and a new one, and a taken address then gets a mail, not an error, after one password
        // hash like the new account's.
        var user = new ApplicationUser { UserName = Input.Email, Email = Input.Email, DisplayName = Input.DisplayName };
        var passwordProblems = await PasswordProblemsAsync(user, Input.Password);
        if (passwordProblems.Count > 0)
        {
            IdentityErrors.AddTo(ModelState, IdentityResult.Failed([.. passwordProblems]));
            return Page();
        }

        if (await users.FindByEmailAsync(Input.Email) is not null)
        {
            _ = users.PasswordHasher.HashPassword(user, Input.Password);
            await mails.SendAlreadyRegisteredAsync(Input.Email);
            return NoticeModel.Show(NoticeKind.CheckEmail);
        }

        var result = await users.CreateAsync(user, Input.Password);
        if (!result.Succeeded)
        {
            IdentityErrors.AddTo(ModelState, result);

            return Page();
        }

        await mails.SendConfirmationLinkAsync(user);
        return NoticeModel.Show(NoticeKind.CheckEmail);
    }

    private async Task<List<IdentityError>> PasswordProblemsAsync(ApplicationUser user, string password)
    {
        var problems = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            problems.AddRange((await validator.ValidateAsync(users, user, password)).Errors);
        }

        return problems;
    }
}
