using System.Net;
using System.Text.RegularExpressions;
using IdentityProvider.Clients;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityProvider.IntegrationTests.Admin;

public sealed partial class AdminClientsTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private static Dictionary<string, string> ServiceClient(string clientId) => new()
    {
        ["Input.ClientId"] = clientId,
        ["Input.DisplayName"] = "Reporting service",
        ["Input.Type"] = "Confidential",
        ["Input.Application"] = "Web",
        ["Input.Consent"] = "Implicit",
        ["Input.Grants"] = "client_credentials",
        ["Input.Scopes"] = "api",
        ["Input.RequirePkce"] = "true",
    };

    private static async Task<(HttpResponseMessage Response, string Page)> FollowAsync(FormClient admin, HttpResponseMessage response)
    {
        var (_, page) = await admin.GetAsync(CodeFlow.Location(response).PathAndQuery.TrimStart('/'));
        return (response, page);
    }

    /// <summary>Registers a client and returns the secret its page shows once.</summary>
    private static async Task<string> RegisterAsync(FormClient admin, Dictionary<string, string> form)
    {
        var (_, shown) = await FollowAsync(admin, await admin.SubmitAsync("Admin/Clients/Edit", form));
        return Secret().Match(shown).Groups[1].Value;
    }

    /// <summary>Rotates a client's secret; returns the page shown after it and the new secret.</summary>
    private static async Task<(string Page, string Secret)> RotateAsync(FormClient admin, string clientId, int graceHours)
    {
        var (_, page) = await FollowAsync(admin, await admin.SubmitAsync(
            $"Admin/Clients/Details?clientId={clientId}", new() { ["GraceHours"] = graceHours.ToString(System.Globalization.CultureInfo.InvariantCulture) }, handler: "RotateSecret"));
        return (page, Secret().Match(page).Groups[1].Value);
    }

    private static Task<TokenResponse> ClientCredentialsAsync(TokenClient api, string clientId, string secret) =>
        api.PostAsync("connect/token", new() { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = "api" });

    [Fact]
    public async Task Register_ShowsTheSecretOnce_AndTheClientGetsATokenWithIt()
    {
        var clientId = "reports-" + Guid.NewGuid().ToString("N")[..6];
        using var admin = await fixture.AdminAsync();
        using var api = fixture.Provider.CreateTokenClient();

        var (_, shown) = await FollowAsync(admin, await admin.SubmitAsync("Admin/Clients/Edit", ServiceClient(clientId)));
        var secret = Secret().Match(shown).Groups[1].Value;
        var (_, again) = await admin.GetAsync($"Admin/Clients/Details?clientId={clientId}");
        var tokens = await ClientCredentialsAsync(api, clientId, secret);
        var (_, audit) = await admin.GetAsync($"Admin/Audit?type=client.created&client={clientId}");

        Assert.Equal(43, secret.Length);
        Assert.DoesNotContain(secret, again, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Contains("1 event(s)", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateSecret_NewOneWorks_OldOneStops_AndSavingKeepsTheSecret()
    {
        var clientId = "rotate-" + Guid.NewGuid().ToString("N")[..6];
        using var admin = await fixture.AdminAsync();
        using var api = fixture.Provider.CreateTokenClient();
        var first = await RegisterAsync(admin, ServiceClient(clientId));

        var edit = ServiceClient(clientId);
        edit["Input.DisplayName"] = "Renamed service";
        await admin.SubmitAsync($"Admin/Clients/Edit?clientId={clientId}", edit);
        var afterEdit = await ClientCredentialsAsync(api, clientId, first);
        var (_, second) = await RotateAsync(admin, clientId, graceHours: 0);
        var (_, audit) = await admin.GetAsync($"Admin/Audit?type=client.updated&client={clientId}");

        Assert.Equal(HttpStatusCode.OK, afterEdit.Status);
        Assert.Contains("DisplayName: Reporting service → Renamed service", WebUtility.HtmlDecode(audit), StringComparison.Ordinal);
        Assert.DoesNotContain("Grants:", audit, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.Equal("invalid_client", (await ClientCredentialsAsync(api, clientId, first)).Error);
        Assert.Equal(HttpStatusCode.OK, (await ClientCredentialsAsync(api, clientId, second)).Status);
    }

    [Fact]
    public async Task RotateSecret_WithAGracePeriod_BothWorkUntilItEnds()
    {
        var clientId = "grace-" + Guid.NewGuid().ToString("N")[..6];
        using var admin = await fixture.AdminAsync();
        using var api = fixture.Provider.CreateTokenClient();
        var first = await RegisterAsync(admin, ServiceClient(clientId));

        var (rotated, second) = await RotateAsync(admin, clientId, graceHours: 24);
        var edit = ServiceClient(clientId);
        edit["Input.DisplayName"] = "Renamed during the grace period";
        await admin.SubmitAsync($"Admin/Clients/Edit?clientId={clientId}", edit);
        var oldDuringGrace = await ClientCredentialsAsync(api, clientId, first);
        var newDuringGrace = await ClientCredentialsAsync(api, clientId, second);
        var (_, audit) = await admin.GetAsync($"Admin/Audit?type=client.secret_rotated&client={clientId}");

        fixture.Clock.Offset = TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1);
        TokenResponse oldAfterGrace, newAfterGrace;
        try
        {
            oldAfterGrace = await ClientCredentialsAsync(api, clientId, first);
            newAfterGrace = await ClientCredentialsAsync(api, clientId, second);
        }
        finally
        {
            fixture.Clock.Offset = TimeSpan.Zero;
        }

        Assert.Contains("The previous secret still works until", rotated, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, oldDuringGrace.Status);
        Assert.Equal(HttpStatusCode.OK, newDuringGrace.Status);
        Assert.Contains("the old one works until", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(first, audit, StringComparison.Ordinal);
        Assert.Equal("invalid_client", oldAfterGrace.Error);
        Assert.Equal(HttpStatusCode.OK, newAfterGrace.Status);
    }

    [Fact]
    public async Task RotateSecret_GracePeriodEndedEarly_OldOneStops()
    {
        var clientId = "ended-" + Guid.NewGuid().ToString("N")[..6];
        using var admin = await fixture.AdminAsync();
        using var api = fixture.Provider.CreateTokenClient();
        var first = await RegisterAsync(admin, ServiceClient(clientId));
        var (_, second) = await RotateAsync(admin, clientId, graceHours: 168);

        var (_, ended) = await FollowAsync(admin, await admin.SubmitAsync($"Admin/Clients/Details?clientId={clientId}", [], handler: "EndGracePeriod"));
        var tooLong = await admin.SubmitAsync($"Admin/Clients/Details?clientId={clientId}", new() { ["GraceHours"] = "100000" }, handler: "RotateSecret");

        Assert.DoesNotContain("The previous secret still works until", ended, StringComparison.Ordinal);
        Assert.Equal("invalid_client", (await ClientCredentialsAsync(api, clientId, first)).Error);
        Assert.Equal(HttpStatusCode.OK, tooLong.StatusCode);
        Assert.Contains("The grace period is 0 to 720 hours", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await ClientCredentialsAsync(api, clientId, second)).Status);
    }

    [Theory]
    [InlineData("http://app.example/callback", "must use https")]
    [InlineData("https://app.example/callback#x", "must not have a fragment")]
    [InlineData("not a uri", "is not an absolute URI")]
    public async Task Register_WithABadRedirectUri_SaysWhy(string uri, string message)
    {
        using var admin = await fixture.AdminAsync();
        var form = ServiceClient("bad-" + Guid.NewGuid().ToString("N")[..6]);
        form["Input.Grants"] = "authorization_code";
        form["Input.RedirectUris"] = uri;

        var response = await admin.SubmitAsync("Admin/Clients/Edit", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Register_MayIntrospectCheckbox_DecidesWhetherTheClientMayIntrospect(bool ticked)
    {
        var clientId = "resource-" + Guid.NewGuid().ToString("N")[..6];
        using var admin = await fixture.AdminAsync();
        using var api = fixture.Provider.CreateTokenClient();
        var form = ServiceClient(clientId);
        form["Input.Introspection"] = ticked ? "true" : "false";
        var secret = await RegisterAsync(admin, form);

        var introspected = await api.IntrospectAsync((await ClientCredentialsAsync(api, clientId, secret)).AccessToken, clientId, secret);
        var (_, details) = await admin.GetAsync($"Admin/Clients/Details?clientId={clientId}");

        Assert.Equal(ticked ? null : "unauthorized_client", introspected.Error);
        Assert.Equal(ticked ? "True" : null, introspected.Get("active"));
        Assert.Contains(ticked ? "may introspect tokens" : "<dt>Introspection</dt><dd>not allowed", details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_PublicClientThatMayIntrospect_SaysWhy()
    {
        using var admin = await fixture.AdminAsync();
        var form = ServiceClient("public-" + Guid.NewGuid().ToString("N")[..6]);
        form["Input.Type"] = "Public";
        form["Input.Grants"] = "authorization_code";
        form["Input.RedirectUris"] = "https://app.example/callback";
        form["Input.Introspection"] = "true";

        var response = await admin.SubmitAsync("Admin/Clients/Edit", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("a public client cannot use introspection", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(document.cookie)")]
    [InlineData("data:text/html,hello")]
    [InlineData("myapp:/callback")]
    public async Task Register_NativeAppWithASchemeThatIsNotItsReversedDomain_SaysWhy(string uri)
    {
        using var admin = await fixture.AdminAsync();
        var form = ServiceClient("native-" + Guid.NewGuid().ToString("N")[..6]);
        form["Input.Type"] = "Public";
        form["Input.Application"] = "Native";
        form["Input.Grants"] = "authorization_code";
        form["Input.RedirectUris"] = uri;

        var response = await admin.SubmitAsync("Admin/Clients/Edit", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("named after a domain it controls, reversed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WithAClientIdShapedLikeAUserId_SaysWhy()
    {
        using var admin = await fixture.AdminAsync();
        var form = ServiceClient(Guid.NewGuid().ToString());

        var response = await admin.SubmitAsync("Admin/Clients/Edit", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("A client id may not be a GUID", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WithHostileInput_IsRefusedAndEncoded()
    {
        using var admin = await fixture.AdminAsync();
        var form = ServiceClient("<script>alert(1)</script>");
        form["Input.DisplayName"] = new string('x', 10_000);

        var response = await admin.SubmitAsync("Admin/Clients/Edit", form);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("field-error", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessTokenLifetimeOverride_IsWhatTheClientGets()
    {
        var clientId = "short-" + Guid.NewGuid().ToString("N")[..6];
        using var admin = await fixture.AdminAsync();
        using var api = fixture.Provider.CreateTokenClient();
        var form = ServiceClient(clientId);
        form["Input.AccessTokenLifetime"] = "00:05:00";

        var tokens = await ClientCredentialsAsync(api, clientId, await RegisterAsync(admin, form));

        // expires_in is counted down from exp, so it can read a second less than the lifetime.
        Assert.InRange(int.Parse(tokens.Get("expires_in")!, System.Globalization.CultureInfo.InvariantCulture), 295, 300);
    }

    [Fact]
    public async Task WhyCheck_NamesTheMissingGrantScopeAndRedirectUri()
    {
        using var admin = await fixture.AdminAsync();

        var (_, page) = await admin.GetAsync(
            $"Admin/Clients/Details?clientId={ProviderFactory.ServiceClient}&checkGrant=password&checkScope=email&checkRedirectUri=https%3A%2F%2Fx.test%2F");
        var decoded = WebUtility.HtmlDecode(page);

        Assert.Contains("'service' is not allowed the 'password' grant", decoded, StringComparison.Ordinal);
        Assert.Contains("'service' may not request the scope 'email'", decoded, StringComparison.Ordinal);
        Assert.Contains("The redirect URI is not registered.", decoded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_NeedsTheClientId_ThenTheClientCanNoLongerGetTokens()
    {
        var clientId = "gone-" + Guid.NewGuid().ToString("N")[..6];
        using var admin = await fixture.AdminAsync();
        using var api = fixture.Provider.CreateTokenClient();
        var secret = await RegisterAsync(admin, ServiceClient(clientId));

        var refused = await admin.SubmitAsync($"Admin/Clients/Details?clientId={clientId}", new() { ["ConfirmClientId"] = "other" }, handler: "Delete");
        var deleted = await admin.SubmitAsync($"Admin/Clients/Details?clientId={clientId}", new() { ["ConfirmClientId"] = clientId }, handler: "Delete");

        Assert.Contains("Type the client id to confirm.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal("invalid_client", (await ClientCredentialsAsync(api, clientId, secret)).Error);
    }

    [Fact]
    public async Task List_IsPagedByTheDatabase_AndThePagesTogetherListEveryClientOnce()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        using (var scope = fixture.Provider.Services.CreateScope())
        {
            var registration = scope.ServiceProvider.GetRequiredService<ClientRegistration>();
            for (var i = 0; i < 11; i++)
            {
                // Public clients: no secret to hash.
                Assert.True((await registration.UpsertAsync(new ClientDefinition { ClientId = $"paged-{tag}-{i:D2}", Type = ClientKind.Public })).Succeeded);
            }
        }

        using var admin = await fixture.AdminAsync();
        await AdminFixture.AssertPagedAsync(admin, "Admin/Clients", "client", ClientLink(), $"paged-{tag}-", added: 11);
    }

    [GeneratedRegex("Details\\?clientId=([^\"&]+)\"")]
    private static partial Regex ClientLink();

    [GeneratedRegex("<code class=\"secret\">([A-Za-z0-9_-]+)</code>")]
    private static partial Regex Secret();
}
