using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests;

public sealed class PlainHttpTests
{
    [Fact]
    public async Task WhereHttpsIsRequired_PagesOverPlainHttp_SayHowToFixIt_AndNothingFails()
    {
        await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync());
        using var browser = new FormClient(provider, "http://idp.test/");

        using var login = await browser.Http.GetAsync("Account/Login");
        using var admin = await browser.Http.GetAsync("Admin/Users");
        using var token = await browser.Http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "password" }));
        using var health = await browser.Http.GetAsync("health/live");

        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Contains("ASPNETCORE_FORWARDEDHEADERS_ENABLED=true", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, admin.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
        Assert.Contains("invalid_request", await token.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.False(login.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task WhereHttpsIsRequired_AnswersOverHttps_CarryHstsForAYear()
    {
        await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync());
        using var browser = new FormClient(provider, "https://idp.test/");

        using var login = await browser.Http.GetAsync("Account/Login");
        using var discovery = await browser.Http.GetAsync(".well-known/openid-configuration");

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("max-age=31536000", string.Join(",", login.Headers.GetValues("Strict-Transport-Security")));
        Assert.Equal("max-age=31536000", string.Join(",", discovery.Headers.GetValues("Strict-Transport-Security")));
    }

    /// <summary>As docker-compose.yml runs it: Production, plain HTTP on localhost, Idp__RequireHttps=false.</summary>
    [Fact]
    public async Task WithRequireHttpsOff_ATrialOverPlainHttp_SignsInWithCookiesThatAreNotSecure()
    {
        await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), new Dictionary<string, string?> { ["Idp:RequireHttps"] = "false" });
        using var browser = new FormClient(provider, "http://idp.test/");

        var signIn = await TestAccounts.SignInAsync(browser);
        var (profileStatus, _) = await browser.GetAsync("Account/Manage");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.All(signIn.Headers.GetValues("Set-Cookie"), cookie =>
            Assert.DoesNotContain(cookie.Split(';').Skip(1), attribute => attribute.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(HttpStatusCode.OK, profileStatus);
        using var overHttps = new FormClient(provider, "https://idp.test/");
        using var login = await overHttps.Http.GetAsync("Account/Login");
        Assert.False(login.Headers.Contains("Strict-Transport-Security"));
    }
}
