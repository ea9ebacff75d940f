using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests.Account;

public sealed class RateLimitTests
{
    private static async Task<ProviderFactory> ProviderAsync(int formsPerIp, int perAccount, int tokenPerIp = 1000) =>
        new(await PostgresServer.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["RateLimits:Enabled"] = "true",
            ["RateLimits:FormsPerIp"] = formsPerIp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:PerAccount"] = perAccount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:TokenRequestsPerIp"] = tokenPerIp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:Window"] = "00:10:00",
        });

    [Fact]
    public async Task LoginForm_OverThePerIpLimit_Answers429WithRetryAfter()
    {
        await using var provider = await ProviderAsync(formsPerIp: 3, perAccount: 100);
        using var browser = new FormClient(provider);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await browser.SubmitAsync("Account/Login", new() { ["Input.Email"] = $"user{i}@example.com", ["Input.Password"] = "wrong password" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task ForgotPassword_ForOneAccount_IsLimitedPerAccount()
    {
        await using var provider = await ProviderAsync(formsPerIp: 100, perAccount: 2);
        using var browser = new FormClient(provider);

        var first = await browser.SubmitAsync("Account/ForgotPassword", new() { ["Input.Email"] = "victim@example.com" });
        var second = await browser.SubmitAsync("Account/ForgotPassword", new() { ["Input.Email"] = "VICTIM@example.com" });
        var third = await browser.SubmitAsync("Account/ForgotPassword", new() { ["Input.Email"] = "victim@example.com" });
        var otherAccount = await browser.SubmitAsync("Account/ForgotPassword", new() { ["Input.Email"] = "someone-else@example.com" });

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, otherAccount.StatusCode);
    }

    [Fact]
    public async Task TokenEndpoint_OverThePerAccountLimit_Answers429InOAuthFormat()
    {
        await using var provider = await ProviderAsync(formsPerIp: 100, perAccount: 2);
        using var client = provider.CreateTokenClient();

        await client.PasswordAsync(ProviderFactory.UserEmail, "wrong password");
        await client.PasswordAsync(ProviderFactory.UserEmail, "wrong password");
        var limited = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal("temporarily_unavailable", limited.Error);
    }
}
