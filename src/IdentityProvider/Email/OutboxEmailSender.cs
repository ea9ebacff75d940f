using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;

namespace IdentityProvider.Email;

/// <summary>Identity's mail seam: every account mail is written to the outbox, never sent inline.</summary>
internal sealed class OutboxEmailSender(Outbox outbox) : IEmailSender<ApplicationUser>
{
    public Task SendConfirmationLinkAsync(ApplicationUser user, string email, string confirmationLink) =>
        outbox.EnqueueAsync(email, new MailTemplate(
            "Confirm your email address",
            // The address is not verified yet, so the mail carries nothing its requester wrote (such as a name).
            "Hello,",
            "Please confirm your email address to finish setting up your account.",
            "Confirm email address",
            confirmationLink));

    public Task SendPasswordResetLinkAsync(ApplicationUser user, string email, string resetLink) =>
        outbox.EnqueueAsync(email, new MailTemplate(
            "Reset your password",
            Greeting(user),
            "Someone asked to reset the password of your account. The link works once and expires soon.",
            "Choose a new password",
            resetLink));

    public Task SendPasswordResetCodeAsync(ApplicationUser user, string email, string resetCode) =>
        outbox.EnqueueAsync(email, new MailTemplate(
            "Your password reset code",
            Greeting(user),
            "Someone asked to reset the password of your account. Enter this code to continue:",
            Code: resetCode));

    private static string Greeting(ApplicationUser user) => $"Hello {user.DisplayName ?? user.Email},";
}
