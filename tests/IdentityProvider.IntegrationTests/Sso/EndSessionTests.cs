using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityProvider.IntegrationTests.Sso;

/// <summary>RP-initiated logout; names follow the OpenID conformance suite's oidcc-rp-initiated-logout modules.</summary>
public sealed class EndSessionTests(SsoFixture fixture) : IClassFixture<SsoFixture>
{
    /// <summary>A browser signed in to the provider and to the company app; returns its id_token.</summary>
    private async Task<(FormClient Browser, string IdToken)> SignedInToCompanyAppAsync(string email = ProviderFactory.UserEmail)
    {
        var browser = new FormClient(fixture.Provider);
        await TestAccounts.SignInAsync(browser, email);
        using var api = fixture.Provider.CreateTokenClient();
        var flow = new CodeFlow(browser);
        var tokens = await api.CodeAsync(await flow.CodeAsync(), flow.RedirectUri, flow.Verifier);
        return (browser, tokens.ReadIdentityToken().EncodedToken);
    }

    private static string EndSessionUrl(params (string Name, string? Value)[] parameters) =>
        QueryHelpers.AddQueryString("connect/endsession", parameters.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)));

    private static async Task<bool> IsSignedInAsync(FormClient browser)
    {
        using var silent = await new CodeFlow(browser).AuthorizeAsync(("prompt", "none"));
        return CodeFlow.ReturnedParameters(silent).ContainsKey("code");
    }

    [Fact]
    public async Task WithValidHintAndRegisteredUri_SignsOutAtOnce_AndReturnsToTheAppWithState()
    {
        var (browser, idToken) = await SignedInToCompanyAppAsync();
        using var _ = browser;

        using var response = await browser.Http.GetAsync(EndSessionUrl(
            ("id_token_hint", idToken), ("post_logout_redirect_uri", ProviderFactory.CompanyPostLogoutUri), ("state", "bye-123")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"{ProviderFactory.CompanyPostLogoutUri}?state=bye-123", response.Headers.Location!.ToString());
        Assert.False(await IsSignedInAsync(browser));
    }

    [Fact]
    public async Task OidccRpInitiatedLogoutNoState_ReturnsWithoutState()
    {
        var (browser, idToken) = await SignedInToCompanyAppAsync();
        using var _ = browser;

        using var response = await browser.Http.GetAsync(EndSessionUrl(
            ("id_token_hint", idToken), ("post_logout_redirect_uri", ProviderFactory.CompanyPostLogoutUri)));

        Assert.Equal(ProviderFactory.CompanyPostLogoutUri, response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task OidccRpInitiatedLogoutNoPostLogoutRedirectUri_SignsOutAndShowsTheProvidersPage()
    {
        var (browser, idToken) = await SignedInToCompanyAppAsync();
        using var _ = browser;

        using var response = await browser.Http.GetAsync(EndSessionUrl(("id_token_hint", idToken)));

        Assert.Equal("/Account/Notice?kind=signed-out", response.Headers.Location!.OriginalString);
        Assert.False(await IsSignedInAsync(browser));
    }

    [Fact]
    public async Task OidccRpInitiatedLogoutNoIdTokenHint_AsksFirst_ThenReturnsToTheRegisteredUri()
    {
        var (browser, _) = await SignedInToCompanyAppAsync();
        using var __ = browser;
        var url = EndSessionUrl(
            ("client_id", ProviderFactory.CompanyClient), ("post_logout_redirect_uri", ProviderFactory.CompanyPostLogoutUri), ("state", "s1"));

        using var asked = await browser.Http.GetAsync(url);
        var stillSignedIn = await IsSignedInAsync(browser);
        var confirmed = await browser.SubmitAsync(CodeFlow.Location(asked).PathAndQuery.TrimStart('/'), []);
        using var back = await browser.Http.GetAsync(confirmed.Headers.Location);

        Assert.Equal("/Account/Logout", CodeFlow.Location(asked).AbsolutePath);
        Assert.True(stillSignedIn);
        Assert.Equal($"{ProviderFactory.CompanyPostLogoutUri}?state=s1", back.Headers.Location!.ToString());
        Assert.False(await IsSignedInAsync(browser));
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("modified")]
    public async Task OidccRpInitiatedLogoutBadIdTokenHint_AsksFirst_AndNeverRedirectsToTheApp(string kind)
    {
        var (browser, idToken) = await SignedInToCompanyAppAsync();
        using var _ = browser;
        var hint = kind == "modified" ? idToken[..^4] + (idToken[^4..] == "AAAA" ? "BBBB" : "AAAA") : kind;

        using var asked = await browser.Http.GetAsync(EndSessionUrl(
            ("id_token_hint", hint), ("post_logout_redirect_uri", ProviderFactory.CompanyPostLogoutUri), ("state", "s2")));
        var stillSignedIn = await IsSignedInAsync(browser);
        var confirmed = await browser.SubmitAsync("Account/Logout", []);

        Assert.Equal("/Account/Logout", asked.Headers.Location!.OriginalString);
        Assert.True(stillSignedIn);
        Assert.DoesNotContain("company.test", confirmed.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.False(await IsSignedInAsync(browser));
    }

    [Theory]
    [InlineData("https://evil.test/signed-out")]
    [InlineData(ProviderFactory.CompanyPostLogoutUri + "?extra=1")]
    [InlineData(ProviderFactory.CompanyRedirectUri)]
    public async Task OidccRpInitiatedLogoutBadPostLogoutRedirectUri_AsksFirst_AndNeverRedirectsThere(string uri)
    {
        var (browser, idToken) = await SignedInToCompanyAppAsync();
        using var _ = browser;

        using var asked = await browser.Http.GetAsync(EndSessionUrl(("id_token_hint", idToken), ("post_logout_redirect_uri", uri)));
        var confirmed = await browser.SubmitAsync("Account/Logout", []);

        Assert.Equal("/Account/Logout", asked.Headers.Location!.OriginalString);
        Assert.DoesNotContain("test/", confirmed.Headers.Location!.ToString().Replace("idp.test/", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.False(await IsSignedInAsync(browser));
    }

    [Fact]
    public async Task AnotherUsersHint_DoesNotSignThisUserOutSilently()
    {
        var (victim, _) = await SignedInToCompanyAppAsync();
        var (other, othersToken) = await SignedInToCompanyAppAsync(await TestAccounts.CreateConfirmedAsync(fixture.Provider, "other"));
        using var _ = victim;
        using var __ = other;
        await other.SubmitAsync("Account/Logout", []);

        using var response = await victim.Http.GetAsync(EndSessionUrl(
            ("id_token_hint", othersToken), ("post_logout_redirect_uri", ProviderFactory.CompanyPostLogoutUri)));

        Assert.Equal("/Account/Logout", CodeFlow.Location(response).AbsolutePath);
        Assert.True(await IsSignedInAsync(victim));
    }

    [Fact]
    public async Task RegisteredUriWithoutClientIdOrHint_SendsNobodyThere_NamingTheClientDoes()
    {
        using var visitor = new FormClient(fixture.Provider);

        using var bare = await visitor.Http.GetAsync(EndSessionUrl(("post_logout_redirect_uri", ProviderFactory.CompanyPostLogoutUri)));
        using var named = await visitor.Http.GetAsync(EndSessionUrl(
            ("client_id", ProviderFactory.CompanyClient), ("post_logout_redirect_uri", ProviderFactory.CompanyPostLogoutUri)));

        Assert.Equal("/Account/Logout", bare.Headers.Location?.OriginalString);
        Assert.Equal(ProviderFactory.CompanyPostLogoutUri, named.Headers.Location?.OriginalString);
    }
}
