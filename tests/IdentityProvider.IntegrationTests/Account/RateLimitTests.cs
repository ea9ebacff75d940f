using System.Net;
using IdentityProvider.Data;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IdentityProvider.IntegrationTests.Account;

public sealed class RateLimitTests
{
    private static async Task<ProviderFactory> ProviderAsync(int formsPerIp, int perAccount, int tokenPerIp = 1000, int failedSignInsPerIp = 1000) =>
        new(await PostgresServer.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["RateLimits:Enabled"] = "true",
            ["RateLimits:FormsPerIp"] = formsPerIp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:PerAccount"] = perAccount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:TokenRequestsPerIp"] = tokenPerIp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:FailedSignInsPerIp"] = failedSignInsPerIp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:Window"] = "00:10:00",
        });

    [Fact]
    public async Task HourlyPruning_RemovesEndedWindows_AndKeepsTheCurrentOnes()
    {
        await using var provider = await ProviderAsync(formsPerIp: 100, perAccount: 100);
        using var client = provider.CreateTokenClient();
        await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);
        await using var scope = provider.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        db.Set<RateLimitCounter>().Add(new RateLimitCounter { Key = "ip:192.0.2.1", WindowEnds = DateTimeOffset.UtcNow.AddMinutes(-1), Requests = 5 });
        await db.SaveChangesAsync();

        var pruning = provider.Services.GetServices<IHostedService>().OfType<RateLimitCounterPruning>().Single();
        var pruned = await pruning.PruneNowAsync(CancellationToken.None);
        var left = await db.Set<RateLimitCounter>().AsNoTracking().Select(counter => counter.Key).ToListAsync();

        Assert.Equal(1, pruned);
        Assert.DoesNotContain("ip:192.0.2.1", left);
        Assert.Contains("account:" + ProviderFactory.UserEmail.ToUpperInvariant(), left);
    }

    [Fact]
    public async Task LoginForm_SpelledAnotherWay_CountsTowardsTheSameLimit_AndAHugeFormIsRefusedUnread()
    {
        await using var provider = await ProviderAsync(formsPerIp: 3, perAccount: 100);
        using var browser = new FormClient(provider);
        var wrong = new Dictionary<string, string> { ["Input.Email"] = "someone@example.com", ["Input.Password"] = "wrong password" };

        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[] { "Account/Login/", "account/login", "ACCOUNT/LOGIN/", "Account/Login" })
        {
            using var response = await browser.SubmitAsync("Account/Login", wrong, action: path);
            statuses.Add(response.StatusCode);
        }

        using var huge = await browser.Http.PostAsync("Account/Login", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["Input.Email"] = "someone@example.com", ["padding"] = new string('x', 100_000) }));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }

    [Fact]
    public async Task ForgotPassword_NamingTheAccountInTheQueryString_IsLimitedForThatAccount()
    {
        await using var provider = await ProviderAsync(formsPerIp: 100, perAccount: 2);
        using var browser = new FormClient(provider);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await browser.SubmitAsync("Account/ForgotPassword", [], action: "Account/ForgotPassword?Input.Email=" + Uri.EscapeDataString(ProviderFactory.UserEmail));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(2, await provider.QueuedMailsToAsync(ProviderFactory.UserEmail));
    }

    [Fact]
    public async Task ChangePassword_CountsTowardsTheFormLimit()
    {
        await using var provider = await ProviderAsync(formsPerIp: 3, perAccount: 100);
        using var browser = new FormClient(provider);
        await TestAccounts.SignInAsync(browser);
        var wrongOldPassword = new Dictionary<string, string>
        {
            ["Input.OldPassword"] = "not my password",
            ["Input.NewPassword"] = "a different passphrase entirely",
            ["Input.ConfirmPassword"] = "a different passphrase entirely",
        };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await browser.SubmitAsync("Account/Manage/ChangePassword", wrongOldPassword);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task NewAddressMails_AreLimitedPerUserAndPerRecipient()
    {
        // Each user's sign-in names their account once; then two requests each fit the limit of three.
        await using var provider = await ProviderAsync(formsPerIp: 1000, perAccount: 3);
        var senders = new List<FormClient>();
        for (var i = 0; i < 5; i++)
        {
            var browser = new FormClient(provider);
            await TestAccounts.SignInAsync(browser, await TestAccounts.CreateConfirmedAsync(provider, "mover"));
            senders.Add(browser);
        }

        async Task<HttpStatusCode> AskAsync(FormClient browser, string newEmail)
        {
            using var response = await browser.SubmitAsync("Account/Manage/Email", new() { ["Input.NewEmail"] = newEmail });
            return response.StatusCode;
        }

        var oneUser = new[] { await AskAsync(senders[0], "a@example.com"), await AskAsync(senders[0], "b@example.com"), await AskAsync(senders[0], "c@example.com") };
        var oneRecipient = new[]
        {
            await AskAsync(senders[1], "victim@example.com"), await AskAsync(senders[2], "victim@example.com"),
            await AskAsync(senders[3], "victim@example.com"), await AskAsync(senders[4], "victim@example.com"),
        };
        senders.ForEach(browser => browser.Dispose());

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], oneUser);
        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], oneRecipient);
        Assert.Equal(3, await provider.QueuedMailsToAsync("victim@example.com"));
    }

    [Fact]
    public async Task FailedPasswordGrants_SentAtOnce_MeetTheBudget_WhileRefreshesAndOtherClientsGoOn()
    {
        await using var provider = await ProviderAsync(formsPerIp: 100, perAccount: 100, failedSignInsPerIp: 3);
        using var client = provider.CreateTokenClient();
        var tokens = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);

        // Ten guesses in parallel: each reserves a failure before it runs, so no more than three get through.
        var guesses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => client.PasswordAsync($"stuffed{i}@example.com", "password123")));
        var rightPassword = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);
        var refreshed = await client.RefreshAsync(tokens.RefreshToken);

        Assert.Equal(3, guesses.Count(guess => guess.Error == "invalid_grant"));
        Assert.Equal(7, guesses.Count(guess => guess.Status == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.TooManyRequests, rightPassword.Status);
        Assert.Equal("temporarily_unavailable", rightPassword.Error);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
    }

    [Fact]
    public async Task FailedSignInsOnTheLoginPage_FromOneAddress_Meet429Soon()
    {
        await using var provider = await ProviderAsync(formsPerIp: 100, perAccount: 100, failedSignInsPerIp: 3);
        using var browser = new FormClient(provider);

        for (var i = 0; i < 3; i++)
        {
            using var wrong = await browser.SubmitAsync("Account/Login", new() { ["Input.Email"] = $"stuffed{i}@example.com", ["Input.Password"] = "password123" });
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        using var rightPassword = await browser.SubmitAsync("Account/Login", new() { ["Input.Email"] = ProviderFactory.UserEmail, ["Input.Password"] = ProviderFactory.UserPassword });

        Assert.Equal(HttpStatusCode.TooManyRequests, rightPassword.StatusCode);
        Assert.True(rightPassword.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

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
