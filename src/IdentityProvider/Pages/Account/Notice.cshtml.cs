using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Account;

/// <summary>The landing page after a POST (PRG); only fixed texts, nothing from the request is echoed.</summary>
public sealed class NoticeModel : PageModel
{
    private static readonly Dictionary<string, (string Title, string Message)> Notices = new(StringComparer.Ordinal)
    {
        ["check-email"] = ("Check your email", "If the address can receive mail from us, a message with the next step is on its way. The link in it works once and expires soon."),
        ["email-confirmed"] = ("Email confirmed", "Thank you: your email address is confirmed. You can sign in now."),
        ["password-reset"] = ("Password changed", "Your password was changed and every app signed in with the old one was signed out. You can sign in with the new password now."),
        ["password-changed"] = ("Password changed", "Your password was changed. Every app signed in with the old one was signed out; this browser stays signed in."),
        ["email-changed"] = ("Email address changed", "Your account signs in with the new address from now on. Every app signed in with the old one was signed out; a notice went to the old address."),
        ["signed-out"] = ("Signed out", "You are signed out of your account on this provider. You can close this window."),
        ["invalid-link"] = ("Link not valid", "This link is not valid any more: it was already used, has expired or was changed. Ask for a new one."),
    };

    public string Title { get; private set; } = "";

    public string Message { get; private set; } = "";

    public void OnGet(string? kind)
    {
        (Title, Message) = Notices.GetValueOrDefault(kind ?? "", Notices["check-email"]);
    }
}
