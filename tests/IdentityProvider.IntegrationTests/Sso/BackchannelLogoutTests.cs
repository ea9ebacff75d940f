using System.Net;
using System.Text.Json;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityProvider.IntegrationTests.Sso;

/// <summary>OpenID Connect Back-Channel Logout 1.0, received by a real HTTP endpoint standing in for the company app.</summary>
public sealed class BackchannelLogoutTests(SsoFixture fixture) : IClassFixture<SsoFixture>
{
    /// <summary>A new user signed in to the provider and to the company app; returns the app's id_token.</summary>
    private async Task<(FormClient Browser, string Email, JsonWebToken IdToken)> SignedInToCompanyAppAsync()
    {
        var browser = new FormClient(fixture.Provider);
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "backchannel");
        await TestAccounts.SignInAsync(browser, email);
        using var api = fixture.Provider.CreateTokenClient();
        var flow = new CodeFlow(browser);
        var tokens = await api.CodeAsync(await flow.CodeAsync(), flow.RedirectUri, flow.Verifier);
        return (browser, email, tokens.ReadIdentityToken());
    }

    private async Task<TokenValidationResult> ValidateLogoutTokenAsync(string token)
    {
        using var client = fixture.Provider.CreateTokenClient();
        var keys = new JsonWebKeySet(await client.Http.GetStringAsync(".well-known/jwks"));
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "https://idp.test/",
            ValidAudience = ProviderFactory.CompanyClient,
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidTypes = ["logout+jwt"],
        });
    }

    private static Func<string, bool> For(string subject) => token => new JsonWebToken(token).Subject == subject;

    [Fact]
    public async Task RpInitiatedLogout_PostsASignedLogoutTokenNamingTheUserAndTheSession()
    {
        var (browser, _, idToken) = await SignedInToCompanyAppAsync();
        using var signedIn = browser;

        using var loggedOut = await browser.Http.GetAsync(
            $"connect/endsession?id_token_hint={idToken.EncodedToken}&post_logout_redirect_uri={Uri.EscapeDataString(ProviderFactory.CompanyPostLogoutUri)}");
        var token = await fixture.Receiver.WaitForTokenAsync(For(idToken.Subject));
        var validation = await ValidateLogoutTokenAsync(token);
        var logout = new JsonWebToken(token);

        Assert.Equal(HttpStatusCode.Redirect, loggedOut.StatusCode);
        Assert.True(validation.IsValid, validation.Exception?.Message);
        Assert.Equal(idToken.GetClaim("sid").Value, logout.GetClaim("sid").Value);
        Assert.False(string.IsNullOrEmpty(logout.Id));
        Assert.False(logout.TryGetClaim("nonce", out _));
        using var events = JsonDocument.Parse(logout.GetClaim("events").Value);
        Assert.True(events.RootElement.TryGetProperty("http://schemas.openid.net/event/backchannel-logout", out _));
    }

    [Fact]
    public async Task AnAppWhoseAddressIsInAPrivateNetwork_IsNotPostedTo_UnlessAnAdminAllowedIt()
    {
        var (browser, _, idToken) = await SignedInToCompanyAppAsync();
        using var signedIn = browser;
        var native = new CodeFlow(browser) { ClientId = ProviderFactory.NativeClient, RedirectUri = ProviderFactory.NativeRedirectUri, Scope = "openid" };
        Assert.False(string.IsNullOrEmpty(await native.CodeAsync()));

        await browser.SubmitAsync("Account/Logout", []);
        var allowed = await fixture.Receiver.WaitForTokenAsync(For(idToken.Subject));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!fixture.Logs.Entries.Any(entry => entry.Message.Contains($"Back-channel logout to {ProviderFactory.NativeClient} not sent", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "The refused notice was not logged within 10 s.");
            await Task.Delay(20);
        }

        var received = fixture.Receiver.Tokens.Where(For(idToken.Subject)).Select(token => new JsonWebToken(token).Audiences.Single()).ToList();
        Assert.Equal([ProviderFactory.CompanyClient], received);
        Assert.Equal(ProviderFactory.CompanyClient, new JsonWebToken(allowed).Audiences.Single());
    }

    [Fact]
    public async Task AppDownAtFirst_TheLogoutTokenIsRetriedUntilItArrives()
    {
        var (browser, _, idToken) = await SignedInToCompanyAppAsync();
        using var signedIn = browser;
        fixture.Receiver.FailNext(2);

        await browser.SubmitAsync("Account/Logout", []);
        var token = await fixture.Receiver.WaitForTokenAsync(For(idToken.Subject), TimeSpan.FromSeconds(30));

        Assert.Equal(idToken.GetClaim("sid").Value, new JsonWebToken(token).GetClaim("sid").Value);
    }

    [Fact]
    public async Task PasswordChange_TellsTheAppThatEverySessionEnded()
    {
        var (browser, _, idToken) = await SignedInToCompanyAppAsync();
        using var signedIn = browser;

        await browser.SubmitAsync("Account/Manage/ChangePassword", new()
        {
            ["Input.OldPassword"] = ProviderFactory.UserPassword,
            ["Input.NewPassword"] = "a different passphrase entirely",
            ["Input.ConfirmPassword"] = "a different passphrase entirely",
        });
        var token = await fixture.Receiver.WaitForTokenAsync(For(idToken.Subject));

        Assert.True((await ValidateLogoutTokenAsync(token)).IsValid);
        Assert.False(new JsonWebToken(token).TryGetClaim("sid", out _));
    }

    [Fact]
    public async Task TurningOnTwoFactor_TellsTheAppThatEverySessionEnded_AndIsAudited()
    {
        var (browser, email, idToken) = await SignedInToCompanyAppAsync();
        using var signedIn = browser;

        await Account.TwoFactorTests.EnableAsync(browser);
        var token = await fixture.Receiver.WaitForTokenAsync(For(idToken.Subject));
        using var scope = fixture.Provider.Services.CreateScope();
        var audited = scope.ServiceProvider.GetRequiredService<IdentityProvider.Data.ApplicationDbContext>().AuditEvents
            .Where(entry => entry.UserEmail == email).Select(entry => entry.Type).ToList();
        var (status, _) = await browser.GetAsync("Account/Manage/TwoFactorAuthentication");

        Assert.True((await ValidateLogoutTokenAsync(token)).IsValid);
        Assert.False(new JsonWebToken(token).TryGetClaim("sid", out _));
        Assert.Contains(IdentityProvider.Audit.AuditTypes.TwoFactorEnabled, audited);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task RevokingTheAppsAccess_TellsThatAppEverySessionOfTheUserEnded()
    {
        var (browser, _, idToken) = await SignedInToCompanyAppAsync();
        using var signedIn = browser;
        var (_, apps) = await browser.GetAsync("Account/Manage/Apps");
        var companyApp = System.Text.RegularExpressions.Regex.Match(apps, "name=\"applicationId\" value=\"([^\"]+)\"").Groups[1].Value;

        await browser.SubmitAsync("Account/Manage/Apps?handler=Revoke", new() { ["applicationId"] = companyApp });
        var token = await fixture.Receiver.WaitForTokenAsync(For(idToken.Subject));

        Assert.True((await ValidateLogoutTokenAsync(token)).IsValid);
        Assert.False(new JsonWebToken(token).TryGetClaim("sid", out _));
    }

    [Fact]
    public async Task Discovery_AdvertisesBackchannelLogoutWithSessions()
    {
        using var client = fixture.Provider.CreateTokenClient();

        using var document = JsonDocument.Parse(await client.Http.GetStringAsync(".well-known/openid-configuration"));

        Assert.True(document.RootElement.GetProperty("backchannel_logout_supported").GetBoolean());
        Assert.True(document.RootElement.GetProperty("backchannel_logout_session_supported").GetBoolean());
    }
}
