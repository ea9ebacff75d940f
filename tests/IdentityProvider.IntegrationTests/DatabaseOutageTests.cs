using System.Collections.Concurrent;
using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;
using Npgsql;

namespace IdentityProvider.IntegrationTests;

/// <summary>
/// The provider's PostgreSQL stopped and started again under load: a cluster of this class's own, since stopping
/// the shared one would fail every other test running meanwhile.
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private LocalCluster _cluster = null!;
    private ProviderFactory Provider { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _cluster = await LocalCluster.StartAsync() ?? throw new InvalidOperationException(
            "The database outage test stops and starts a PostgreSQL server of its own: install the PostgreSQL server binaries " +
            "(initdb and pg_ctl on PATH or under /usr/lib/postgresql/<version>/bin; Debian: apt-get install postgresql).");
        Provider = new ProviderFactory(new NpgsqlConnectionStringBuilder(_cluster.ConnectionString) { Database = "idp_outage" }.ConnectionString);
        _ = Provider.Services;
    }

    public async Task DisposeAsync() => await Provider.DisposeAsync();

    [Fact]
    public async Task WhilePostgresIsStopped_RequestsAre503WithRetryAfter_AndServiceResumesWhenItIsBack_LosingNothing()
    {
        using var client = Provider.CreateTokenClient();
        var issuedBefore = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);
        using var browser = new FormClient(Provider);
        await TestAccounts.SignInAsync(browser);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("Account/Manage")).Status);

        using var stopLoad = new CancellationTokenSource();
        var loadStatuses = new ConcurrentBag<HttpStatusCode>();
        var load = Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (!stopLoad.IsCancellationRequested)
            {
                loadStatuses.Add((await ClientCredentialsAsync(client)).StatusCode);
            }
        }));
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        await _cluster.StopServerAsync();

        using var token = await ClientCredentialsAsync(client);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, token.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), token.Headers.RetryAfter?.Delta);
        Assert.Contains("\"temporarily_unavailable\"", await token.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var refresh = await client.RefreshAsync(issuedBefore.RefreshToken);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "temporarily_unavailable"), (refresh.Status, refresh.Error));
        var password = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "temporarily_unavailable"), (password.Status, password.Error));

        var page = await browser.GetAsync("Account/Manage");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.Status);
        Assert.Contains("<h1>Temporarily unavailable</h1>", page.Html, StringComparison.Ordinal);
        var authorize = await browser.GetAsync(
            $"connect/authorize?client_id={ProviderFactory.CompanyClient}&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString(ProviderFactory.CompanyRedirectUri)}" +
            "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, authorize.Status);
        Assert.Contains("<h1>Temporarily unavailable</h1>", authorize.Html, StringComparison.Ordinal);
        using var signIn = await TestAccounts.SignInAsync(new FormClient(Provider));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, signIn.StatusCode);
        Assert.StartsWith("text/html", signIn.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        using var ready = await client.Http.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);

        await _cluster.StartServerAsync();
        await WaitForAsync(async () => (await ClientCredentialsAsync(client)).StatusCode == HttpStatusCode.OK);
        await stopLoad.CancelAsync();
        await load;

        Assert.All(loadStatuses, status => Assert.True(status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"answered {status}"));
        Assert.Contains(HttpStatusCode.ServiceUnavailable, loadStatuses);
        using var readyAgain = await client.Http.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.OK, readyAgain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("Account/Manage")).Status);
        // The refused refresh consumed nothing: the token rotates once, and its second use is still a replay.
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(issuedBefore.RefreshToken)).Status);
        Assert.Equal("invalid_grant", (await client.RefreshAsync(issuedBefore.RefreshToken)).Error);
    }

    private static Task<HttpResponseMessage> ClientCredentialsAsync(TokenClient client) =>
        client.Http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "api",
            ["client_id"] = ProviderFactory.ServiceClient,
            ["client_secret"] = ProviderFactory.ServiceSecret,
        }));

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The provider did not answer again within 30 s of PostgreSQL's restart.");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
