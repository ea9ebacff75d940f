using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;

namespace IdentityProvider.Email;

/// <summary>Account mails: the confirmation link (token and link built here), and those Identity's sender has no method for.</summary>
public sealed class AccountMails(
    Outbox outbox, AccountLinks links, UserManager<ApplicationUser> users, IEmailSender<ApplicationUser> sender)
{
    public async Task SendConfirmationLinkAsync(ApplicationUser user)
    {
        var code = AccountTokens.Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        var link = links.Build("Account/ConfirmEmail", new Dictionary<string, string?> { ["userId"] = user.Id, ["code"] = code });
        await sender.SendConfirmationLinkAsync(user, user.Email!, link);
    }

    /// <summary>Sent instead of an on-screen error when someone registers with a taken address.</summary>
    public Task SendAlreadyRegisteredAsync(string email) =>
        outbox.EnqueueAsync(email, new MailTemplate(
            "You already have an account",
            "Hello,",
            "Someone tried to create an account with this email address, but you already have one. If you forgot your password, you can choose a new one.",
            "Reset your password",
            links.Build("Account/ForgotPassword", new Dictionary<string, string?>())));

    public Task SendPasswordChangedAsync(ApplicationUser user) =>
        outbox.EnqueueAsync(user.Email!, new MailTemplate(
            "Your password was changed",
            $"Hello {user.DisplayName ?? user.Email},",
            "The password of your account was just changed and every app signed in with it was signed out. If this was not you, reset your password now and contact your administrator.",
            "Reset your password",
            links.Build("Account/ForgotPassword", new Dictionary<string, string?>())));
}
