using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Account;

/// <summary>What the notice page can say; each has a fixed text.</summary>
public enum NoticeKind
{
    CheckEmail,
    EmailConfirmed,
    PasswordReset,
    PasswordChanged,
    EmailChanged,
    SignedOut,
    InvalidLink,
}

/// <summary>The landing page after a POST (PRG); only fixed texts, nothing from the request is echoed.</summary>
public sealed class NoticeModel : PageModel
{
    private static readonly Dictionary<NoticeKind, (string Slug, string Title, string Message)> Notices = new()
    {
        [NoticeKind.CheckEmail] = ("check-email", "Check your email", "If the address can receive mail from us, a message with the next step is on its way. The link in it works once and expires soon."),
        [NoticeKind.EmailConfirmed] = ("email-confirmed", "Email confirmed", "Thank you: your email address is confirmed. You can sign in now."),
        [NoticeKind.PasswordReset] = ("password-reset", "Password changed", "Your password was changed and every app signed in with the old one was signed out. You can sign in with the new password now."),
        [NoticeKind.PasswordChanged] = ("password-changed", "Password changed", "Your password was changed. Every app signed in with the old one was signed out; this browser stays signed in."),
        [NoticeKind.EmailChanged] = ("email-changed", "Email address changed", "Your account signs in with the new address from now on. Every app signed in with the old one was signed out; a notice went to the old address."),
        [NoticeKind.SignedOut] = ("signed-out", "Signed out", "You are signed out of your account on this provider. You can close this window."),
        [NoticeKind.InvalidLink] = ("invalid-link", "Link not valid", "This link is not valid any more: it was already used, has expired or was changed. Ask for a new one."),
    };

    public string Title { get; private set; } = "";

    public string Message { get; private set; } = "";

    /// <summary>Sends the browser to the notice of that kind.</summary>
    public static RedirectToPageResult Show(NoticeKind kind) => new("/Account/Notice", new { kind = Notices[kind].Slug });

    /// <summary>The notice's address, for code outside Razor Pages.</summary>
    public static string Path(NoticeKind kind) => "/Account/Notice?kind=" + Notices[kind].Slug;

    public void OnGet(string? kind)
    {
        var (_, title, message) = Notices.Values.FirstOrDefault(notice => notice.Slug == kind, Notices[NoticeKind.CheckEmail]);
        (Title, Message) = (title, message);
    }
}
