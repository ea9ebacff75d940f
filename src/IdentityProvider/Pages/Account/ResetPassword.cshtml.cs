using System.ComponentModel.DataAnnotations;
using IdentityProvider.Audit;
using IdentityProvider.Email;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Account;

public sealed class ResetPasswordModel(
    UserManager<ApplicationUser> users, AccountSecurityChange securityChange, AccountMails mails, AuditLog audit) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        [Required, EmailAddress, StringLength(254)]
        public string Email { get; set; } = "";

        [Required, StringLength(4096)]
        public string Code { get; set; } = "";

        [Required, StringLength(256), DataType(DataType.Password)]
        public string Password { get; set; } = "";

        [Required, DataType(DataType.Password), Compare(nameof(Password), ErrorMessage = "The passwords do not match.")]
        public string ConfirmPassword { get; set; } = "";

        /// <summary>The link came in an admin's invitation: its code is an invitation token, not a reset token.</summary>
        public bool Invitation { get; set; }
    }

    public IActionResult OnGet(string? code, string? email, bool invitation)
    {
        if (string.IsNullOrEmpty(code))
        {
            return NoticeModel.Show(NoticeKind.InvalidLink);
        }

        Input = new InputModel { Code = code, Email = email ?? "", Invitation = invitation };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var token = LinkTokenEncoding.Decode(Input.Code);
        var user = await users.FindByEmailAsync(Input.Email);
        if (user is null || token is null)
        {
            ModelState.AddModelError(string.Empty, IdentityErrors.InvalidLink);
            return Page();
        }

        var result = await SetPasswordAsync(user, token);
        if (!result.Succeeded)
        {
            IdentityErrors.AddTo(ModelState, result);

            return Page();
        }

        // The link reached this mailbox, which is all a confirmation proves.
        if (!user.EmailConfirmed)
        {
            user.EmailConfirmed = true;
            await users.UpdateAsync(user);
            await audit.WriteAsync(AuditTypes.EmailConfirmed, user, details: "by a password reset link");
        }

        await securityChange.CompleteAsync(
            user, AuditTypes.PasswordResetCompleted, () => Input.Invitation ? Task.CompletedTask : mails.SendPasswordChangedAsync(user),
            details: Input.Invitation ? "first password, from an invitation" : null);
        return NoticeModel.Show(NoticeKind.PasswordReset);
    }

    private async Task<IdentityResult> SetPasswordAsync(ApplicationUser user, string token)
    {
        // An invitation token is checked under its own purpose and lifetime, then spent as a reset token.
        if (Input.Invitation && !await users.VerifyUserTokenAsync(user, InvitationTokens.ProviderName, UserManager<ApplicationUser>.ResetPasswordTokenPurpose, token))
        {
            return IdentityResult.Failed(users.ErrorDescriber.InvalidToken());
        }

        var resetToken = Input.Invitation ? await users.GeneratePasswordResetTokenAsync(user) : token;
        // Resetting renews the security stamp, so neither kind of link works twice.
        return await users.ResetPasswordAsync(user, resetToken, Input.Password);
    }
}
