using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests.Sso;

public sealed class SessionLifetimeTests
{
    [Fact]
    public async Task ActiveSession_EndsAtTheAbsoluteLifetime_AndAppsGetLoginRequired()
    {
        var clock = new ShiftedClock();
        await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Accounts:SessionIdleTimeout"] = "30.00:00:00",
            ["Accounts:SessionAbsoluteLifetime"] = "01:00:00",
        }, clock);
        using var browser = new FormClient(provider);
        await TestAccounts.SignInAsync(browser);

        clock.Offset = TimeSpan.FromMinutes(50);
        var (beforeStatus, _) = await browser.GetAsync("Account/Manage");
        clock.Offset = TimeSpan.FromMinutes(61);
        var (afterStatus, _) = await browser.GetAsync("Account/Manage");
        using var silent = await new CodeFlow(browser).AuthorizeAsync(("prompt", "none"));

        Assert.Equal(HttpStatusCode.OK, beforeStatus);
        Assert.Equal(HttpStatusCode.Redirect, afterStatus);
        Assert.Equal("login_required", CodeFlow.ReturnedParameters(silent)["error"]);
    }

    [Fact]
    public async Task AuthorizationCode_OlderThanFiveMinutes_IsInvalidGrant()
    {
        var clock = new ShiftedClock();
        await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), clock: clock);
        using var browser = new FormClient(provider);
        using var api = provider.CreateTokenClient();
        await TestAccounts.SignInAsync(browser);
        var flow = new CodeFlow(browser);
        var code = await flow.CodeAsync();

        clock.Offset = TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(5);
        var late = await api.CodeAsync(code, flow.RedirectUri, flow.Verifier);

        Assert.Equal("invalid_grant", late.Error);
    }
}
