using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using IdentityProvider.Data;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IdentityProvider.IntegrationTests;

/// <summary>
/// The provider's PostgreSQL stopped and started again under load: a cluster of this class's own, since stopping
/// the shared one would fail every other test running meanwhile. The tests run one after the other.
/// </summary>
public sealed class DatabaseOutageTests(DatabaseOutageTests.OutageFixture outage) : IClassFixture<DatabaseOutageTests.OutageFixture>
{
    private LocalCluster Cluster => outage.Cluster;

    private ProviderFactory Provider => outage.Provider;

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

        await Cluster.StopServerAsync();

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

        await Cluster.StartServerAsync();
        await WaitForAsync(async () => (await ClientCredentialsAsync(client)).StatusCode == HttpStatusCode.OK,
            "The provider did not answer again within 30 s of PostgreSQL's restart.");
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

    [Fact]
    public async Task MailTheSmtpServerAcceptedWhilePostgresWasDown_IsRecordedWhenItIsBack_AndNotSentAgain()
    {
        var to = $"outage-{Guid.NewGuid():N}@example.com";
        using var hold = MailServer.Hold(to);
        await using (var scope = Provider.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IEmailSender<ApplicationUser>>()
                .SendPasswordResetLinkAsync(new ApplicationUser { Email = to }, to, "https://idp.test/Account/ResetPassword?code=abc");
        }

        await hold.Arrived.WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            await Cluster.StopServerAsync();
            hold.Release();
            // The delivery completes now, and recording it fails for a few of the outbox's polls.
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        finally
        {
            await Cluster.StartServerAsync();
        }

        // Recorded once the database is back, well within the claim: unrecorded, the mail would go out again when the
        // claim lapsed (the old behaviour: the round failed and left the claim).
        await WaitForAsync(async () => await SentAtAsync(to) is not null, "The delivery was never recorded as sent.");
        Assert.Equal(1, await MailServer.CountMailsToAsync(to));
    }

    private async Task<DateTimeOffset?> SentAtAsync(string to)
    {
        await using var scope = Provider.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().OutboxMessages
            .Where(message => message.To == to).Select(message => message.SentAt).SingleAsync();
    }

    private static Task<HttpResponseMessage> ClientCredentialsAsync(TokenClient client) =>
        client.Http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "api",
            ["client_id"] = ProviderFactory.ServiceClient,
            ["client_secret"] = ProviderFactory.ServiceSecret,
        }));

    private static async Task WaitForAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    public sealed class OutageFixture : IAsyncLifetime
    {
        public LocalCluster Cluster { get; private set; } = null!;

        public ProviderFactory Provider { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Cluster = await LocalCluster.StartAsync(tcp: false) ?? throw new InvalidOperationException(
                "The database outage tests stop and start a PostgreSQL server of their own: install the PostgreSQL server binaries " +
                "(initdb and pg_ctl on PATH or under /usr/lib/postgresql/<version>/bin; Debian: apt-get install postgresql).");
            var (smtpHost, smtpPort) = await MailServer.SmtpAsync();
            Provider = new ProviderFactory(
                new NpgsqlConnectionStringBuilder(Cluster.ConnectionString) { Database = "idp_outage" }.ConnectionString,
                new Dictionary<string, string?>
                {
                    ["Email:Smtp:Host"] = smtpHost,
                    ["Email:Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
                    ["Email:Smtp:Security"] = "None",
                    ["Email:From"] = "IdentityProvider <no-reply@idp.test>",
                    ["Email:PollInterval"] = "00:00:00.200",
                });
            _ = Provider.Services;
        }

        public async Task DisposeAsync() => await Provider.DisposeAsync();
    }
}
