using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IdentityProvider.IntegrationTests;

public sealed class RefreshTokenTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private async Task<(ProviderFactory Provider, TokenClient Client, string Email)> NewUserAsync(Dictionary<string, string?>? extra = null)
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        var settings = new Dictionary<string, string?>
        {
            ["Bootstrap:Users:2:Email"] = email,
            ["Bootstrap:Users:2:Password"] = ProviderFactory.UserPassword,
            ["Bootstrap:Users:2:Roles:0"] = "reader",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var provider = new ProviderFactory(database.ConnectionString, settings);
        var client = provider.CreateTokenClient();
        return await Task.FromResult((provider, client, email));
    }

    [Fact]
    public async Task Refresh_RotatesTheRefreshTokenOnEveryUse()
    {
        using var client = database.Provider.CreateTokenClient();
        var first = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);

        var second = await client.RefreshAsync(first.RefreshToken);
        var third = await client.RefreshAsync(second.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(HttpStatusCode.OK, third.Status);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.NotEqual(second.RefreshToken, third.RefreshToken);
    }

    [Fact]
    public async Task Refresh_WithReplayedToken_RevokesWholeChain()
    {
        using var client = database.Provider.CreateTokenClient();
        var first = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);
        var second = await client.RefreshAsync(first.RefreshToken);

        var replay = await client.RefreshAsync(first.RefreshToken);
        var legitimateNext = await client.RefreshAsync(second.RefreshToken);

        Assert.Equal(HttpStatusCode.BadRequest, replay.Status);
        Assert.Equal("invalid_grant", replay.Error);
        Assert.Equal("invalid_grant", legitimateNext.Error);
    }

    // RFC 9700 §4.14.2: with rotation, a refresh token is used once. Parallel use of one token must not fork
    // the chain: exactly one request wins, the others are refused like any other reuse.
    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(20)]
    public async Task Refresh_SentInParallel_IsRedeemedExactlyOnce(int requests)
    {
        await using var provider = new ProviderFactory(database.ConnectionString, NoReuseLeeway);
        using var client = provider.CreateTokenClient();
        var tokens = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);

        var responses = await Task.WhenAll(Enumerable.Range(0, requests).Select(_ => Task.Run(() => client.RefreshAsync(tokens.RefreshToken))));
        var replay = await client.RefreshAsync(tokens.RefreshToken);

        AssertRedeemedExactlyOnce(responses);
        Assert.Equal("invalid_grant", replay.Error);
    }

    [Fact]
    public async Task Refresh_SentInParallelToTwoInstances_IsRedeemedExactlyOnce()
    {
        await using var first = new ProviderFactory(database.ConnectionString, NoReuseLeeway);
        await using var second = new ProviderFactory(database.ConnectionString, NoReuseLeeway);
        using var firstClient = first.CreateTokenClient();
        using var secondClient = second.CreateTokenClient();
        var tokens = await firstClient.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);
        // Start both hosts before racing, so neither request waits for a host to build.
        _ = await secondClient.Http.GetAsync(".well-known/openid-configuration");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Task.Run(() => (i % 2 == 0 ? firstClient : secondClient).RefreshAsync(tokens.RefreshToken))));

        AssertRedeemedExactlyOnce(responses);
    }

    // RFC 9700 §4.14.2: once a replay has revoked the chain, no token of it may work, including those that a
    // request still in flight was issuing. Here the duplicate reaches the other instance while the first
    // request holds the redeemed token but has not stored its new tokens yet.
    [Fact]
    public async Task Refresh_DuplicateWhileTheFirstIsIssuing_IsRefusedAndALaterReplayRevokesTheNewTokens()
    {
        var hold = new RefreshHold();
        await using var first = new ProviderFactory(database.ConnectionString, NoReuseLeeway) { ConfigureServices = hold.Register };
        await using var second = new ProviderFactory(database.ConnectionString, NoReuseLeeway);
        using var firstClient = first.CreateTokenClient();
        using var secondClient = second.CreateTokenClient();
        var tokens = await firstClient.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);

        var (winner, duplicate) = await InterleaveAsync(hold,
            () => firstClient.RefreshAsync(tokens.RefreshToken), () => secondClient.RefreshAsync(tokens.RefreshToken));
        var replay = await secondClient.RefreshAsync(tokens.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, winner.Status);
        Assert.Equal("invalid_grant", duplicate.Error);
        Assert.Equal("invalid_grant", replay.Error);
        await AssertRevokedAsync(secondClient, winner);
    }

    // A replay revokes the chain while its newest token is being refreshed: what that refresh issues is revoked too.
    [Fact]
    public async Task Refresh_ReplayWhileTheNewestTokenIsRefreshed_RevokesWhatThatRefreshIssues()
    {
        var hold = new RefreshHold();
        await using var provider = new ProviderFactory(database.ConnectionString, NoReuseLeeway) { ConfigureServices = hold.Register };
        using var client = provider.CreateTokenClient();
        var tokens = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);
        var newest = await client.RefreshAsync(tokens.RefreshToken);

        var (refreshed, replay) = await InterleaveAsync(hold,
            () => client.RefreshAsync(newest.RefreshToken), () => client.RefreshAsync(tokens.RefreshToken));

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal("invalid_grant", replay.Error);
        await AssertRevokedAsync(client, refreshed);
    }

    // The production setting, stated here so a change of the default cannot hide a fork.
    private static readonly Dictionary<string, string?> NoReuseLeeway = new() { ["Idp:RefreshTokenReuseLeeway"] = "00:00:00" };

    internal static void AssertRedeemedExactlyOnce(TokenResponse[] responses)
    {
        var summary = string.Join(", ", responses.GroupBy(r => $"{(int)r.Status} {r.Error}").Select(g => $"{g.Count()}× {g.Key}"));
        Assert.True(responses.Count(r => r.Status == HttpStatusCode.OK) == 1, $"Expected exactly one 200; got {summary}");
        Assert.All(responses.Where(r => r.Status != HttpStatusCode.OK), r =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.Status);
            Assert.Equal("invalid_grant", r.Error);
        });
    }

    // What a client sees of revoked tokens: the refresh token is refused, the access token is inactive.
    private static async Task AssertRevokedAsync(TokenClient client, TokenResponse issued)
    {
        var refresh = await client.RefreshAsync(issued.RefreshToken);
        var introspection = await client.IntrospectAsync(issued.AccessToken, ProviderFactory.ConfidentialClient, ProviderFactory.ConfidentialSecret);

        Assert.Equal("invalid_grant", refresh.Error);
        Assert.Equal("False", introspection.Get("active"));
    }

    // Sends `held`, which the hold stops after its redemption, then `meanwhile`; lets `held` go on once `meanwhile`
    // has its answer or waits in PostgreSQL for a row (the one `held` redeemed, say). Returns both answers.
    private async Task<(TokenResponse Held, TokenResponse Meanwhile)> InterleaveAsync(
        RefreshHold hold, Func<Task<TokenResponse>> held, Func<Task<TokenResponse>> meanwhile)
    {
        var stopped = hold.HoldNextAsync();
        var first = Task.Run(held);
        await stopped;
        var second = Task.Run(meanwhile);

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var waiting = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock')", connection);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!second.IsCompleted && !(bool)(await waiting.ExecuteScalarAsync())!)
        {
            Assert.True(DateTime.UtcNow < deadline, "The second request neither answered nor waited for a row within 30 s.");
            await Task.Delay(10);
        }

        hold.Release();
        return (await first, await second);
    }

    [Fact]
    public async Task Refresh_ReplayedWithinConfiguredLeeway_IsAccepted()
    {
        await using var provider = new ProviderFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Idp:RefreshTokenReuseLeeway"] = "00:00:30",
        });
        using var client = provider.CreateTokenClient();
        var first = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);
        await client.RefreshAsync(first.RefreshToken);

        var retry = await client.RefreshAsync(first.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, retry.Status);
    }

    [Fact]
    public async Task Refresh_AfterPasswordChange_IsInvalidGrant()
    {
        var (provider, client, email) = await NewUserAsync();
        await using var _ = provider;
        using var __ = client;
        var tokens = await client.PasswordAsync(email, ProviderFactory.UserPassword);

        await using (var scope = provider.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = await users.FindByEmailAsync(email);
            var changed = await users.ChangePasswordAsync(user!, ProviderFactory.UserPassword, "a brand new long password");
            Assert.True(changed.Succeeded);
        }

        var response = await client.RefreshAsync(tokens.RefreshToken);

        Assert.Equal("invalid_grant", response.Error);
    }

    [Fact]
    public async Task Refresh_ForDeletedOrLockedOutUser_IsInvalidGrant()
    {
        var (provider, client, email) = await NewUserAsync();
        await using var _ = provider;
        using var __ = client;
        var lockedTokens = await client.PasswordAsync(email, ProviderFactory.UserPassword);
        var deletedTokens = await client.PasswordAsync(email, ProviderFactory.UserPassword);

        await using (var scope = provider.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = await users.FindByEmailAsync(email);
            await users.SetLockoutEndDateAsync(user!, DateTimeOffset.UtcNow.AddHours(1));
        }

        Assert.Equal("invalid_grant", (await client.RefreshAsync(lockedTokens.RefreshToken)).Error);

        await using (var scope = provider.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await users.DeleteAsync((await users.FindByEmailAsync(email))!);
        }

        Assert.Equal("invalid_grant", (await client.RefreshAsync(deletedTokens.RefreshToken)).Error);
    }

    [Fact]
    public async Task Refresh_AfterRoleChange_ShowsNewRoleInNextAccessToken()
    {
        var (provider, client, email) = await NewUserAsync();
        await using var _ = provider;
        using var __ = client;
        var tokens = await client.PasswordAsync(email, ProviderFactory.UserPassword);
        Assert.Equal("reader", tokens.ReadAccessToken().GetClaim("role").Value);

        await using (var scope = provider.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = await users.FindByEmailAsync(email);
            await users.RemoveFromRoleAsync(user!, "reader");
            await users.AddToRoleAsync(user!, "admin");
        }

        var refreshed = await client.RefreshAsync(tokens.RefreshToken);

        var roles = refreshed.ReadAccessToken().Claims.Where(c => c.Type == "role").Select(c => c.Value).ToList();
        Assert.Equal(["admin"], roles);
    }

    [Fact]
    public async Task Refresh_FromAnotherClient_IsInvalidGrant()
    {
        using var client = database.Provider.CreateTokenClient();
        var tokens = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);

        var response = await client.PostAsync("connect/token", new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = tokens.RefreshToken,
            ["client_id"] = ProviderFactory.PublicClient,
        });

        Assert.Equal("invalid_grant", response.Error);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln")]
    public async Task Refresh_WithGarbageToken_IsInvalidGrant(string refreshToken)
    {
        using var client = database.Provider.CreateTokenClient();

        var response = await client.RefreshAsync(refreshToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid_grant", response.Error);
    }

    [Fact]
    public async Task Refresh_WithTamperedOrAccessToken_IsInvalidGrant()
    {
        using var client = database.Provider.CreateTokenClient();
        var tokens = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);
        var tampered = tokens.RefreshToken[..^4] + (tokens.RefreshToken.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        Assert.Equal("invalid_grant", (await client.RefreshAsync(tampered)).Error);
        Assert.Equal("invalid_grant", (await client.RefreshAsync(tokens.AccessToken)).Error);
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(tokens.RefreshToken)).Status);
    }

    [Fact]
    public async Task Refresh_AfterRevocation_IsInvalidGrant()
    {
        using var client = database.Provider.CreateTokenClient();
        var tokens = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);

        var revoke = await client.PostAsync("connect/revoke", new()
        {
            ["token"] = tokens.RefreshToken,
            ["token_type_hint"] = "refresh_token",
            ["client_id"] = ProviderFactory.ConfidentialClient,
            ["client_secret"] = ProviderFactory.ConfidentialSecret,
        });

        Assert.Equal(HttpStatusCode.OK, revoke.Status);
        Assert.Equal("invalid_grant", (await client.RefreshAsync(tokens.RefreshToken)).Error);
    }

    [Fact]
    public async Task Refresh_SlidesForFourteenDaysButNeverBeyondThirtyDaysFromSignIn()
    {
        var clock = new ShiftedClock();
        await using var provider = new ProviderFactory(database.ConnectionString, clock: clock);
        using var client = provider.CreateTokenClient();
        var tokens = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);

        clock.Offset = TimeSpan.FromDays(13);
        var day13 = await client.RefreshAsync(tokens.RefreshToken);
        clock.Offset = TimeSpan.FromDays(26);
        var day26 = await client.RefreshAsync(day13.RefreshToken);
        clock.Offset = TimeSpan.FromDays(31);
        var day31 = await client.RefreshAsync(day26.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, day13.Status);
        Assert.Equal(HttpStatusCode.OK, day26.Status);
        Assert.Equal("invalid_grant", day31.Error);
    }

    [Fact]
    public async Task Refresh_UnusedForLongerThanSlidingLifetime_IsInvalidGrant()
    {
        var clock = new ShiftedClock();
        await using var provider = new ProviderFactory(database.ConnectionString, clock: clock);
        using var client = provider.CreateTokenClient();
        var tokens = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);

        clock.Offset = TimeSpan.FromDays(15);
        var response = await client.RefreshAsync(tokens.RefreshToken);

        Assert.Equal("invalid_grant", response.Error);
    }
}
