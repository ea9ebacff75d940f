using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Email;

/// <summary>Account mails: the confirmation link (token and link built here), and those Identity's sender has no method for.</summary>
public sealed class AccountMails(
    Outbox outbox, AccountLinks links, UserManager<ApplicationUser> users, IEmailSender<ApplicationUser> sender,
    IOptions<AccountOptions> accounts, TimeProvider time)
{
    public async Task SendConfirmationLinkAsync(ApplicationUser user)
    {
        var code = LinkTokenEncoding.Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        var link = links.Build("Account/ConfirmEmail", new Dictionary<string, string?> { ["userId"] = user.Id, ["code"] = code });
        await sender.SendConfirmationLinkAsync(user, user.Email!, link);
    }

    public async Task SendPasswordResetLinkAsync(ApplicationUser user) =>
        await sender.SendPasswordResetLinkAsync(user, user.Email!, ResetPasswordLink(user, await users.GeneratePasswordResetTokenAsync(user), invitation: false));

    /// <summary>For an account an admin created without a password: the link lets the user choose one.</summary>
    public async Task SendInvitationAsync(ApplicationUser user)
    {
        var token = await users.GenerateUserTokenAsync(user, InvitationTokens.ProviderName, UserManager<ApplicationUser>.ResetPasswordTokenPurpose);
        await outbox.EnqueueAsync(user.Email!, new MailTemplate(
            "Your account is ready",
            $"Hello {user.DisplayName ?? user.Email},",
            "An administrator created an account for you. Choose your password to start using it. The link works once and expires on " +
            $"{time.GetUtcNow() + accounts.Value.InvitationLifetime:yyyy-MM-dd HH:mm} UTC; ask your administrator for a new one if it has.",
            "Choose your password",
            ResetPasswordLink(user, token, invitation: true)));
    }

    /// <summary>The reset page serves both: an invitation's token is checked under its own purpose and lifetime.</summary>
    private string ResetPasswordLink(ApplicationUser user, string token, bool invitation)
    {
        var query = new Dictionary<string, string?> { ["email"] = user.Email, ["code"] = LinkTokenEncoding.Encode(token) };
        if (invitation)
        {
            query["invitation"] = "true";
        }

        return links.Build("Account/ResetPassword", query);
    }

    /// <summary>Sent instead of an on-screen error when someone registers (or moves an account to) a taken address.</summary>
    public Task SendAlreadyRegisteredAsync(string email) =>
        outbox.EnqueueAsync(email, new MailTemplate(
            "You already have an account",
            "Hello,",
            "Someone tried to use this email address for an account, but you already have one with it. If you forgot your password, you can choose a new one.",
            "Reset your password",
            links.Build("Account/ForgotPassword", new Dictionary<string, string?>())));

    public Task SendPasswordChangedAsync(ApplicationUser user) =>
        outbox.EnqueueAsync(user.Email!, new MailTemplate(
            "Your password was changed",
            $"Hello {user.DisplayName ?? user.Email},",
            "The password of your account was just changed and every app signed in with it was signed out. If this was not you, reset your password now and contact your administrator.",
            "Reset your password",
            links.Build("Account/ForgotPassword", new Dictionary<string, string?>())));

    public async Task SendEmailChangeLinkAsync(ApplicationUser user, string newEmail)
    {
        var code = LinkTokenEncoding.Encode(await users.GenerateChangeEmailTokenAsync(user, newEmail));
        var link = links.Build("Account/ConfirmEmailChange", new Dictionary<string, string?>
        {
            ["userId"] = user.Id,
            ["email"] = newEmail,
            ["code"] = code,
        });
        await outbox.EnqueueAsync(newEmail, new MailTemplate(
            "Confirm your new email address",
            // The address is not verified yet, so the mail carries nothing the account's holder wrote (such as a name).
            "Hello,",
            "You asked to sign in with this email address from now on. Confirm it to make the change; until then your old address stays in use.",
            "Confirm the new address",
            link));
    }

    /// <summary>To the address in use when a move to another one is asked for, before anything changes.</summary>
    public Task SendEmailChangeRequestedAsync(ApplicationUser user) =>
        outbox.EnqueueAsync(user.Email!, new MailTemplate(
            "A new email address was asked for",
            $"Hello {user.DisplayName ?? user.Email},",
            "Someone signed in to your account asked to move it to another email address. Nothing changes until that address is confirmed. If this was not you, change your password now and contact your administrator.",
            "Reset your password",
            links.Build("Account/ForgotPassword", new Dictionary<string, string?>())));

    public Task SendEmailChangedAsync(ApplicationUser user, string oldEmail) =>
        outbox.EnqueueAsync(oldEmail, new MailTemplate(
            "Your email address was changed",
            $"Hello {user.DisplayName ?? oldEmail},",
            $"Your account now signs in with {user.Email} instead of this address, and every app signed in with it was signed out. If this was not you, contact your administrator now."));

    public Task SendTwoFactorChangedAsync(ApplicationUser user, bool enabled) =>
        outbox.EnqueueAsync(user.Email!, new MailTemplate(
            enabled ? "Two-factor sign-in is on" : "Two-factor sign-in was turned off",
            $"Hello {user.DisplayName ?? user.Email},",
            (enabled
                ? "Signing in to your account now needs a code from your authenticator app as well as your password."
                : "Signing in to your account now needs only your password.") +
            " Every app signed in with it was signed out. If this was not you, reset your password now and contact your administrator.",
            "Reset your password",
            links.Build("Account/ForgotPassword", new Dictionary<string, string?>())));
}
