using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests.Account;

public sealed class PageSecurityTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [InlineData("Account/Login")]
    [InlineData("Account/Register")]
    [InlineData("")]
    public async Task Pages_SendSecurityHeaders(string path)
    {
        using var browser = new FormClient(database.Provider);

        using var response = await browser.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.DoesNotContain("<script", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(ProviderFactory.CompanyClient, ProviderFactory.CompanyRedirectUri, "form-action 'self' https://company.test:443;")]
    [InlineData(ProviderFactory.NativeClient, "http://127.0.0.1:50123/callback", "form-action 'self' http://127.0.0.1:50123;")]
    [InlineData(ProviderFactory.CompanyClient, "https://evil.test/signin-oidc", "form-action 'self';")]
    [InlineData("no-such-client", ProviderFactory.CompanyRedirectUri, "form-action 'self';")]
    public async Task Login_ForAnAuthorizationRequest_LetsItsFormRedirectOnlyToThatClientsRegisteredOrigin(
        string clientId, string redirectUri, string expectedFormAction)
    {
        using var browser = new FormClient(database.Provider);
        var authorize = $"/connect/authorize?client_id={clientId}&redirect_uri={Uri.EscapeDataString(redirectUri)}&response_type=code";

        using var response = await browser.Http.GetAsync("Account/Login?ReturnUrl=" + Uri.EscapeDataString(authorize));

        Assert.Contains(expectedFormAction, Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_ForAnAuthorizationRequestWithANulInTheClientId_RendersWithoutNamingAClient()
    {
        using var browser = new FormClient(database.Provider);
        var authorize = $"/connect/authorize?client_id=a%00b&redirect_uri={Uri.EscapeDataString(ProviderFactory.CompanyRedirectUri)}";

        using var response = await browser.Http.GetAsync("Account/Login?ReturnUrl=" + Uri.EscapeDataString(authorize));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("form-action 'self';", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_ForAnEndSessionRequest_LetsItsFormRedirectToTheRegisteredPostLogoutOrigin()
    {
        using var browser = new FormClient(database.Provider);

        using var response = await browser.Http.GetAsync(
            $"Account/Logout?client_id={ProviderFactory.CompanyClient}&post_logout_redirect_uri={Uri.EscapeDataString(ProviderFactory.CompanyPostLogoutUri)}");

        Assert.Contains("form-action 'self' https://company.test:443;", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_SetsHttpOnlySecureLaxSessionCookie()
    {
        using var browser = new FormClient(database.Provider);

        var response = await browser.SubmitAsync("Account/Login",
            new() { ["Input.Email"] = ProviderFactory.UserEmail, ["Input.Password"] = ProviderFactory.UserPassword });

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("secure", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=lax", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain("expires=", cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_ByGet_DoesNotSignOut()
    {
        using var browser = new FormClient(database.Provider);
        await browser.SubmitAsync("Account/Login",
            new() { ["Input.Email"] = ProviderFactory.UserEmail, ["Input.Password"] = ProviderFactory.UserPassword });

        await browser.GetAsync("Account/Logout");
        var (_, home) = await browser.GetAsync("");

        Assert.Contains("Signed in as", home, StringComparison.Ordinal);
    }
}
