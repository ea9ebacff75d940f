using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.IntegrationTests.Sso;
using Microsoft.IdentityModel.JsonWebTokens;
using Npgsql;

namespace IdentityProvider.IntegrationTests.Instances;

/// <summary>
/// Two provider processes on one database, driven alternately as a round-robin load balancer without sticky sessions
/// would: every request goes to the other instance than the one before.
/// </summary>
public sealed class TwoProcessTests(TwoProcessTests.Instances instances) : IClassFixture<TwoProcessTests.Instances>
{
    private RunningProvider First => instances.First;

    private RunningProvider Second => instances.Second;

    private string Database => instances.Database;

    [Fact]
    public async Task SignInOnOne_ConsentOnTheOther_CodeRedeemedOnEither()
    {
        var balancer = new RoundRobin(First, Second);
        using var browser = new FormClient(new HttpClient(balancer) { BaseAddress = new Uri($"http://127.0.0.1:{First.Port}/") });

        using var signIn = await TestAccounts.SignInAsync(browser);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var flow = new CodeFlow(browser) { ClientId = ProviderFactory.PartnerClient, RedirectUri = ProviderFactory.PartnerRedirectUri, Scope = "openid profile email" };
        using var toConsent = await flow.AuthorizeAsync();
        Assert.Equal("/Account/Consent", CodeFlow.Location(toConsent).AbsolutePath);
        using var allowed = await ConsentTests.AnswerAsync(browser, toConsent, "Allow");
        using var back = await browser.Http.GetAsync(allowed.Headers.Location);
        var code = CodeFlow.ReturnedParameters(back)["code"];
        var exchanger = new RoundRobin(First, Second);
        using var tokens = new TokenClient(new HttpClient(exchanger) { BaseAddress = new Uri($"http://127.0.0.1:{First.Port}/") });
        var exchanged = await tokens.CodeAsync(code, ProviderFactory.PartnerRedirectUri, flow.Verifier, ProviderFactory.PartnerClient, ProviderFactory.PartnerSecret);

        Assert.Equal(HttpStatusCode.OK, exchanged.Status);
        Assert.Equal(ProviderFactory.UserEmail, exchanged.ReadIdentityToken().GetClaim("email").Value);
        // Login page, login post, authorize, consent page, consent post, authorize: each on the other instance; the code
        // the last one issued is redeemed on the instance that did not issue it.
        Assert.Equal([First.Port, Second.Port, First.Port, Second.Port, First.Port, Second.Port], balancer.PortsUsed);
        Assert.Equal(First.Port, Assert.Single(exchanger.PortsUsed));
    }

    [Fact]
    public async Task RefreshTokens_RotateAcrossInstances_AndAReplayOnEitherRevokesTheChain()
    {
        using var client = new TokenClient(new HttpClient(new RoundRobin(First, Second)) { BaseAddress = new Uri($"http://127.0.0.1:{First.Port}/") });

        var issued = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);
        var rotated = await client.RefreshAsync(issued.RefreshToken);
        var rotatedAgain = await client.RefreshAsync(rotated.RefreshToken);
        var replay = await client.RefreshAsync(issued.RefreshToken);
        var newest = await client.RefreshAsync(rotatedAgain.RefreshToken);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (issued.Status, rotated.Status, rotatedAgain.Status));
        Assert.Equal("invalid_grant", replay.Error);
        Assert.Equal("invalid_grant", newest.Error);
    }

    [Fact]
    public async Task ClientAddedThroughTheCommandLine_IsSeenAtOnceByBothInstances_NotAfterTheirCachesExpire()
    {
        // Both listening before anything is cached: a listener that connects late forgets everything on connecting,
        // which would pass this test without any notice.
        await WaitForListenersAsync(count: 2);
        var origin = $"https://spa-{Guid.NewGuid():N}.test";
        // Each instance now holds the browser apps' origins, for a minute.
        Assert.Equal((false, false), (await AllowsAsync(First, origin), await AllowsAsync(Second, origin)));

        var added = await CommandLine.RunAsync(
            new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = Database, ["Idp__Issuer"] = "https://idp.test/" },
            "clients", "add", "spa-" + Guid.NewGuid().ToString("N")[..8], "--type", "public", "--grant", "authorization_code", "--redirect-uri", origin + "/callback");
        Assert.True(added.ExitCode == 0, added.Error);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!(await AllowsAsync(First, origin) && await AllowsAsync(Second, origin)))
        {
            Assert.True(DateTime.UtcNow < deadline, "An instance still refused the new client's origin 10 s after it was added.");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    [Fact]
    public async Task AnAccountsLimit_IsCountedOnce_ForBothInstances()
    {
        var balancer = new RoundRobin(First, Second);
        using var browser = new FormClient(new HttpClient(balancer) { BaseAddress = new Uri($"http://127.0.0.1:{First.Port}/") });
        var (_, page) = await browser.GetAsync("Account/ForgotPassword");
        var form = new Dictionary<string, string>
        {
            ["Input.Email"] = $"limited-{Guid.NewGuid():N}@example.com",
            ["__RequestVerificationToken"] = FormClient.AntiforgeryTokenIn(page),
        };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Instances.PerAccount + 2; i++)
        {
            using var response = await browser.Http.PostAsync("Account/ForgotPassword", new FormUrlEncodedContent(form));
            statuses.Add(response.StatusCode);
        }

        // The posts went to each instance in turn: counted apart, neither instance would have refused any.
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Redirect, Instances.PerAccount), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(Instances.PerAccount / 2 + 1, balancer.PortsUsed.Skip(1).Count(port => port == First.Port));
    }

    [Fact]
    public async Task ABackchannelNotice_IsDeliveredByAnotherInstance_AfterTheInstanceThatQueuedItWasKilled()
    {
        var doomed = await RunningProvider.StartAsync(instances.Environment);
        try
        {
            using var browser = new FormClient(new HttpClient(new RoundRobin(doomed)) { BaseAddress = new Uri($"http://127.0.0.1:{doomed.Port}/") });
            await TestAccounts.SignInAsync(browser);
            var flow = new CodeFlow(browser);
            using var tokens = new TokenClient(new HttpClient(new RoundRobin(doomed)) { BaseAddress = new Uri($"http://127.0.0.1:{doomed.Port}/") });
            var idToken = (await tokens.CodeAsync(await flow.CodeAsync(), flow.RedirectUri, flow.Verifier)).ReadIdentityToken();
            var session = idToken.GetClaim("sid").Value;
            bool OfTheSession(string token) => new JsonWebToken(token).TryGetClaim("sid", out var sid) && sid.Value == session;
            // The app is down at first: the first two attempts fail (retried after 1 s, then after 5 s).
            instances.Receiver.FailNext(2);

            using var loggedOut = await browser.Http.GetAsync(
                $"connect/endsession?id_token_hint={idToken.EncodedToken}&post_logout_redirect_uri={Uri.EscapeDataString(ProviderFactory.CompanyPostLogoutUri)}");
            Assert.Equal(HttpStatusCode.Redirect, loggedOut.StatusCode);
            // Killed between attempts, with five seconds until the next is due: no instance holds the notice then.
            await WaitForNoticeAsync(session, "\"Attempts\" = 2 AND \"LockedUntil\" IS NULL");
            await doomed.DisposeAsync();
            Assert.DoesNotContain(instances.Receiver.Tokens, OfTheSession);

            var delivered = new JsonWebToken(await instances.Receiver.WaitForTokenAsync(OfTheSession));

            Assert.Equal(idToken.Subject, delivered.Subject);
            await WaitForNoticeAsync(session, "\"SentAt\" IS NOT NULL AND \"Attempts\" = 3");
        }
        finally
        {
            await doomed.DisposeAsync();
        }
    }

    /// <summary>Waits until the stored notice for the session matches <paramref name="condition"/> (SQL).</summary>
    private async Task WaitForNoticeAsync(string sessionId, string condition)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var notice = new NpgsqlCommand($"SELECT count(*) FROM \"BackchannelNotices\" WHERE \"SessionId\" = @sid AND {condition}", connection);
        notice.Parameters.AddWithValue("sid", sessionId);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((long)(await notice.ExecuteScalarAsync())! == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"No notice for the session with {condition} within 20 s.");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    private async Task WaitForListenersAsync(int count)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var listeners = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN idp_changes'", connection);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((long)(await listeners.ExecuteScalarAsync())! < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Fewer than {count} instances listen for changes.");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    private static async Task<bool> AllowsAsync(RunningProvider instance, string origin)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, $"http://127.0.0.1:{instance.Port}/connect/token");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.NoContent && response.Headers.Contains("Access-Control-Allow-Origin");
    }

    /// <summary>The two processes, started once for the class, on a database of their own.</summary>
    public sealed class Instances : IAsyncLifetime
    {
        /// <summary>Small enough for a test to spend, large enough for the others' sign-ins as alice.</summary>
        public const int PerAccount = 8;

        public string Database { get; private set; } = "";

        /// <summary>What the instances were started with, for a third one.</summary>
        public Dictionary<string, string?> Environment { get; private set; } = [];

        /// <summary>The company app's back-channel logout address.</summary>
        public LogoutReceiver Receiver { get; private set; } = null!;

        public RunningProvider First { get; private set; } = null!;

        public RunningProvider Second { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Receiver = await LogoutReceiver.StartAsync();
            var clients = ProviderFactory.StandardClients();
            var company = clients.Single(client => client.ClientId == ProviderFactory.CompanyClient);
            company.BackchannelLogoutUri = Receiver.Uri;
            company.BackchannelLogoutToPrivateNetwork = true;
            (Database, Environment) = await RunningProvider.SeededDatabaseAsync(new Dictionary<string, string?>
            {
                ["RateLimits__Enabled"] = "true",
                ["RateLimits__PerAccount"] = PerAccount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["RateLimits__FormsPerIp"] = "1000",
                ["RateLimits__TokenRequestsPerIp"] = "10000",
                ["RateLimits__FailedSignInsPerIp"] = "1000",
            }, clients);
            First = await RunningProvider.StartAsync(Environment);
            Second = await RunningProvider.StartAsync(Environment);
            // Two processes, not one answering on the port both were given.
            Assert.NotEqual(First.Port, Second.Port);
        }

        public async Task DisposeAsync()
        {
            // Whichever started: a failed start leaves the other null.
            if (First is not null)
            {
                await First.DisposeAsync();
            }

            if (Second is not null)
            {
                await Second.DisposeAsync();
            }

            if (Receiver is not null)
            {
                await Receiver.DisposeAsync();
            }
        }
    }
}
