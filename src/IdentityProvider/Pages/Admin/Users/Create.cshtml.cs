using System.ComponentModel.DataAnnotations;
using IdentityProvider.Audit;
using IdentityProvider.Email;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Admin.Users;

/// <summary>Creates a confirmed account, with a password, or without one and an invitation to choose it.</summary>
public sealed class CreateModel(UserManager<ApplicationUser> users, AccountMails mails, AuditLog audit) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        [Required, EmailAddress, StringLength(254)]
        public string Email { get; set; } = "";

        [StringLength(200)]
        [Display(Name = "Display name")]
        public string? DisplayName { get; set; }

        /// <summary>Empty: the user gets an invitation mail to choose one.</summary>
        [StringLength(256), DataType(DataType.Password)]
        public string? Password { get; set; }
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

        var email = Input.Email.Trim();
        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(Input.DisplayName) ? null : Input.DisplayName.Trim(),
        };
        var invite = string.IsNullOrEmpty(Input.Password);
        var result = invite ? await users.CreateAsync(user) : await users.CreateAsync(user, Input.Password!);
        if (!result.Succeeded)
        {
            IdentityErrors.AddTo(ModelState, result);

            return Page();
        }

        if (invite)
        {
            await mails.SendInvitationAsync(user);
        }

        await audit.WriteAsync(AuditTypes.UserCreated, user, details: invite ? "invited to choose a password" : "with a password set by an admin");
        return RedirectToPage("Details", new { id = user.Id });
    }
}
