using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests.Sso;

/// <summary>Malformed or hostile single sign-on requests get a clear answer, never a 500 and never a redirect to an unverified place.</summary>
public sealed class HostileRequestTests(SsoFixture fixture) : IClassFixture<SsoFixture>
{
    [Fact]
    public async Task Authorize_WithADuplicatedClientId_IsAnErrorOnTheProvider()
    {
        using var browser = new FormClient(fixture.Provider);
        await TestAccounts.SignInAsync(browser);
        var url = new CodeFlow(browser).AuthorizeUrl() + "&client_id=" + ProviderFactory.PartnerClient;

        using var response = await browser.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Authorize_WithAHostileClientId_ShowsItEncoded()
    {
        using var browser = new FormClient(fixture.Provider);
        var url = new CodeFlow(browser) { ClientId = "<script>alert(1)</script>" }.AuthorizeUrl();

        using var response = await browser.Http.GetAsync(url);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("<script>", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("not a uri")]
    [InlineData("https://company.test/signed-out#fragment")]
    public async Task EndSession_WithAHostilePostLogoutUri_AsksBeforeSigningOutAndNeverGoesThere(string uri)
    {
        using var browser = new FormClient(fixture.Provider);
        await TestAccounts.SignInAsync(browser);

        using var response = await browser.Http.GetAsync("connect/endsession?post_logout_redirect_uri=" + Uri.EscapeDataString(uri));

        Assert.Equal("/Account/Logout", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("client_id=no-such-client&scope=openid")]
    [InlineData("client_id=%3Cscript%3E&scope=openid")]
    [InlineData("")]
    public async Task Consent_WithATamperedRequest_ChangesNothingAndSaysTheLinkIsInvalid(string tampered)
    {
        using var browser = new FormClient(fixture.Provider);
        await TestAccounts.SignInAsync(browser, await TestAccounts.CreateConfirmedAsync(fixture.Provider, "tamper"));

        var response = await browser.SubmitAsync("Account/Consent?client_id=partner-app&scope=openid",
            new() { ["AuthorizationRequest"] = tampered }, action: "Account/Consent?handler=Allow");

        Assert.Equal("/Account/Notice?kind=invalid-link", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Consent_WithoutAntiforgeryToken_IsRejected()
    {
        using var browser = new FormClient(fixture.Provider);
        await TestAccounts.SignInAsync(browser);

        var response = await browser.SubmitAsync("Account/Consent?client_id=partner-app&scope=openid", [],
            withAntiforgery: false, action: "Account/Consent?handler=Allow");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
