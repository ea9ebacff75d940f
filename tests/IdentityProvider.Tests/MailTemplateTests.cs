using IdentityProvider.Email;

namespace IdentityProvider.Tests;

public sealed class MailTemplateTests
{
    private static readonly MailTemplate Reset = new(
        "Reset your password", "Hello <b>Eve</b>,", "Body & more.", "Choose a new password",
        "https://idp.example/Account/ResetPassword?code=a+b&email=eve%40example.com");

    [Fact]
    public void ToText_KeepsTheLinkExactlyAsGiven()
    {
        var text = Reset.ToText();

        Assert.Contains("Choose a new password: https://idp.example/Account/ResetPassword?code=a+b&email=eve%40example.com", text, StringComparison.Ordinal);
        Assert.StartsWith("Hello <b>Eve</b>,", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_EncodesEveryValue()
    {
        var html = Reset.ToHtml();

        Assert.DoesNotContain("<b>Eve</b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Eve&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("Body &amp; more.", html, StringComparison.Ordinal);
        Assert.Contains("code=a&#x2B;b&amp;email=eve%40example.com", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_WithCodeAndNoLink_ShowsTheCodeOnly()
    {
        var html = new MailTemplate("Code", "Hi,", "Enter:", Code: "123456").ToHtml();

        Assert.Contains("123456", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<a ", html, StringComparison.Ordinal);
    }
}
