using System.Text.Encodings.Web;

namespace IdentityProvider.Email;

/// <summary>One layout for every mail, as plain text and as HTML; every value is HTML-encoded.</summary>
public sealed record MailTemplate(string Subject, string Greeting, string Body, string? ActionText = null, string? ActionLink = null, string? Code = null)
{
    public string ToText()
    {
        var lines = new List<string> { Greeting, "", Body };
        if (ActionLink is not null)
        {
            lines.AddRange(["", $"{ActionText}: {ActionLink}"]);
        }

        if (Code is not null)
        {
            lines.AddRange(["", Code]);
        }

        lines.AddRange(["", "If you did not ask for this, you can ignore this mail."]);
        return string.Join("\n", lines);
    }

    public string ToHtml()
    {
        var html = HtmlEncoder.Default;
        var action = ActionLink is null ? "" :
            $"<p><a href=\"{html.Encode(ActionLink)}\" style=\"display:inline-block;padding:10px 16px;background:#1a56db;color:#fff;text-decoration:none;border-radius:4px\">{html.Encode(ActionText ?? ActionLink)}</a></p>" +
            $"<p style=\"font-size:12px;color:#555\">Or paste this address into your browser: {html.Encode(ActionLink)}</p>";
        var code = Code is null ? "" : $"<p style=\"font-size:20px;font-family:monospace\">{html.Encode(Code)}</p>";
        return "<!DOCTYPE html><html><body style=\"font-family:sans-serif;max-width:560px\">" +
            $"<p>{html.Encode(Greeting)}</p><p>{html.Encode(Body)}</p>{action}{code}" +
            "<p style=\"font-size:12px;color:#555\">If you did not ask for this, you can ignore this mail.</p></body></html>";
    }
}
