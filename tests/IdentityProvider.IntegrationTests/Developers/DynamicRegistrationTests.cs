using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IdentityProvider.Audit;
using IdentityProvider.Data;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.IntegrationTests.Sso;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static IdentityProvider.IntegrationTests.Developers.Registration;

namespace IdentityProvider.IntegrationTests.Developers;

/// <summary>RFC 7591 registration and RFC 7592 client configuration, as an app's own registration code meets them.</summary>
public sealed class DynamicRegistrationTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly string[] PlainHttpRedirect = ["http://plain.example/cb"];
    private static readonly string[] SpaRedirect = ["https://spa.registered.test/"];

    [Fact]
    public async Task Discovery_AdvertisesTheRegistrationEndpoint()
    {
        using var client = database.Provider.CreateTokenClient();

        var discovery = await client.Http.GetFromJsonAsync<JsonElement>(".well-known/openid-configuration");

        Assert.Equal("https://idp.test/connect/register", discovery.GetProperty("registration_endpoint").GetString());
    }

    [Theory]
    [InlineData("iat_forged")]
    [InlineData("rat_not-an-initial-token")]
    public async Task Register_WithAWrongInitialAccessToken_Answers401InvalidToken(string token)
    {
        using var client = database.Provider.CreateTokenClient();

        var answer = await RegisterAsync(client.Http, token, WebApp());

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("invalid_token", answer.Error);
        Assert.Equal("Bearer error=\"invalid_token\"", answer.WwwAuthenticate);
        Assert.Equal("no-store", answer.CacheControl);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Register_WithoutAnInitialAccessToken_Answers401NamingOnlyTheScheme(string? token)
    {
        using var client = database.Provider.CreateTokenClient();

        var answer = await RegisterAsync(client.Http, token, WebApp());

        // RFC 6750 §3.1: a request without any token is told the scheme, and no error.
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("Bearer", answer.WwwAuthenticate);
        Assert.Null(answer.Error);
    }

    [Theory]
    [InlineData("""{"redirect_uris":[]}""", "invalid_redirect_uri")]
    [InlineData("""{"client_name":"No redirect"}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["http://plain.example/cb"]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["https://a.test/cb#fragment"]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["relative/cb"]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["javascript:alert(1)"],"application_type":"native","token_endpoint_auth_method":"none"}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["https://a.test/cb"],"software_statement":"eyJhbGciOiJub25lIn0.e30."}""", "invalid_software_statement")]
    [InlineData("""{"redirect_uris":["https://a.test/cb"],"grant_types":["password"]}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://a.test/cb"],"grant_types":["client_credentials"]}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://a.test/cb"],"grant_types":["refresh_token"]}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://a.test/cb"],"response_types":["token"]}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://a.test/cb"],"scope":"openid roles"}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://a.test/cb"],"scope":"openid admin"}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://a.test/cb"],"token_endpoint_auth_method":"private_key_jwt"}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["com.example.app:/cb"],"application_type":"native","token_endpoint_auth_method":"client_secret_basic"}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://a.test/cb"],"application_type":"service"}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://a.test/cb"],"client_uri":"http://plain.example/"}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://a.test/cb"],"policy_uri":"not a url"}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://a.test/cb"],"client_name":5}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://a.test/cb"],"client_name":"   "}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://a.test/cb"],"registration_access_token":"rat_chosen"}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":"https://a.test/cb"}""", "invalid_redirect_uri")]
    [InlineData("""[1,2]""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://a.test/cb"],"client_name":"\udc00"}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://a.test/cb"],"\ud800":"lone surrogate as a member name"}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://a.test/cb"],"client_uri":"https://a.test/\u0000"}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://a.test/cb"],"client_name":"Photos \u202Egnp.exe"}""", "invalid_client_metadata")]
    public async Task Register_WithBrokenMetadata_AnswersTheRfc7591Error_AndSpendsNoRegistration(string body, string error)
    {
        using var client = database.Provider.CreateTokenClient();
        var token = await IssueInitialTokenAsync(database.Provider, maxUses: 1);

        var refused = await RegisterRawAsync(client.Http, token, body);
        var accepted = await RegisterAsync(client.Http, token, WebApp());

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal(error, refused.Error);
        Assert.False(string.IsNullOrEmpty(refused.Get("error_description")));
        Assert.Equal("no-store", refused.CacheControl);
        Assert.Equal(HttpStatusCode.Created, accepted.Status);
    }

    [Fact]
    public async Task Register_WithAFormBody_IsInvalidClientMetadata()
    {
        using var client = database.Provider.CreateTokenClient();
        var token = await IssueInitialTokenAsync(database.Provider);

        var answer = await RegisterRawAsync(client.Http, token, "redirect_uris=https%3A%2F%2Fa.test%2Fcb", "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("invalid_client_metadata", answer.Error);
    }

    [Fact]
    public async Task Registration_IsRateLimitedPerAddress_WithRetryAfter()
    {
        await using var limited = new ProviderFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["RateLimits:Enabled"] = "true", ["RateLimits:RegistrationRequestsPerIp"] = "3", ["RateLimits:Window"] = "00:10:00",
        });
        using var client = limited.CreateTokenClient();
        var token = await IssueInitialTokenAsync(limited);

        var answers = new List<RegistrationAnswer>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await RegisterAsync(client.Http, token, WebApp()));
        }

        using var configuration = await client.Http.GetAsync($"connect/register/{answers[0].ClientId}");

        Assert.All(answers.Take(3), answer => Assert.Equal(HttpStatusCode.Created, answer.Status));
        Assert.Equal((HttpStatusCode)429, answers[3].Status);
        Assert.Equal("temporarily_unavailable", answers[3].Error);
        Assert.Equal((HttpStatusCode)429, configuration.StatusCode);
        Assert.True(configuration.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task Register_SpendsTheInitialAccessToken_NeverMoreThanItsUses()
    {
        using var client = database.Provider.CreateTokenClient();
        var token = await IssueInitialTokenAsync(database.Provider, maxUses: 2);

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => RegisterAsync(client.Http, token, WebApp())));

        Assert.Equal(2, answers.Count(answer => answer.Status == HttpStatusCode.Created));
        Assert.All(answers.Where(answer => answer.Status != HttpStatusCode.Created), answer =>
        {
            Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
            Assert.Equal("invalid_token", answer.Error);
        });
    }

    [Fact]
    public async Task RegisteredWebApp_GetsItsCredentials_SignsAUserInThroughConsent_AndNothingElse()
    {
        using var client = database.Provider.CreateTokenClient();
        var registered = await RegisterAsync(client.Http, await IssueInitialTokenAsync(database.Provider), WebApp());
        var clientId = registered.ClientId;
        var secret = registered.Get("client_secret")!;

        using var browser = new FormClient(database.Provider);
        await TestAccounts.SignInAsync(browser, await TestAccounts.CreateConfirmedAsync(database.Provider, "dcr"));
        var flow = new CodeFlow(browser) { ClientId = clientId, RedirectUri = "https://registered.test/callback", Scope = "openid profile email offline_access" };
        using var toConsent = await flow.AuthorizeAsync();
        var (_, consentPage) = await browser.GetAsync(CodeFlow.Location(toConsent).PathAndQuery.TrimStart('/'));
        var allowed = await ConsentTests.AnswerAsync(browser, toConsent, "Allow");
        using var back = await browser.Http.GetAsync(allowed.Headers.Location);
        var code = CodeFlow.ReturnedParameters(back)["code"];
        var tokens = await client.CodeAsync(code, flow.RedirectUri, flow.Verifier, clientId, secret);
        var refreshed = await client.RefreshAsync(tokens.RefreshToken, clientId, secret);
        var password = await client.PostAsync("connect/token", new()
        {
            ["grant_type"] = "password", ["username"] = ProviderFactory.UserEmail, ["password"] = ProviderFactory.UserPassword,
            ["client_id"] = clientId, ["client_secret"] = secret,
        });
        var credentials = await client.PostAsync("connect/token", new() { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret });
        using var withoutPkce = await flow.AuthorizeAsync(("code_challenge", null), ("code_challenge_method", null));

        Assert.Equal(HttpStatusCode.Created, registered.Status);
        Assert.Equal("no-store", registered.CacheControl);
        Assert.StartsWith("app-", clientId, StringComparison.Ordinal);
        Assert.Equal(0, registered.Body.GetProperty("client_secret_expires_at").GetInt64());
        Assert.StartsWith("rat_", registered.RegistrationToken, StringComparison.Ordinal);
        Assert.Equal($"https://idp.test/connect/register/{clientId}", registered.Get("registration_client_uri"));
        Assert.Equal("client_secret_basic", registered.Get("token_endpoint_auth_method"));
        Assert.Equal("openid profile email offline_access", registered.Get("scope"));
        Assert.Equal("/Account/Consent", CodeFlow.Location(toConsent).AbsolutePath);
        Assert.Contains("Registered &lt;Web&gt; App", consentPage, StringComparison.Ordinal);
        Assert.Contains("Third-party app", consentPage, StringComparison.Ordinal);
        Assert.Contains("Not verified", consentPage, StringComparison.Ordinal);
        Assert.Contains("href=\"https://registered.test/privacy\"", consentPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Equal(clientId, tokens.ReadAccessToken().GetClaim("client_id").Value);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal("unauthorized_client", password.Error);
        Assert.Equal("unauthorized_client", credentials.Error);
        Assert.Equal("invalid_request", CodeFlow.ReturnedParameters(withoutPkce)["error"]);
        await using var scope = database.Provider.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().AuditEvents
            .AnyAsync(e => e.Type == AuditTypes.ThirdPartyAppRegistered && e.ClientId == clientId));
    }

    [Fact]
    public async Task ConfigurationEndpoint_ReadsReplacesAndDeletes_OnlyWithTheAppsOwnRegistrationToken()
    {
        using var client = database.Provider.CreateTokenClient();
        var initial = await IssueInitialTokenAsync(database.Provider);
        var registered = await RegisterAsync(client.Http, initial, WebApp());
        var other = await RegisterAsync(client.Http, initial, WebApp("https://other.test/callback"));
        var path = $"connect/register/{registered.ClientId}";
        var token = registered.RegistrationToken;

        var read = await SendAsync(client.Http, HttpMethod.Get, path, token);
        var withOthersToken = await SendAsync(client.Http, HttpMethod.Get, path, other.RegistrationToken);
        var withInitialToken = await SendAsync(client.Http, HttpMethod.Get, path, initial);
        var unknownClient = await SendAsync(client.Http, HttpMethod.Get, "connect/register/app-unknown", token);

        var replacement = WebApp("https://registered.test/new-callback");
        replacement["client_id"] = registered.ClientId;
        replacement["client_name"] = "Renamed";
        replacement["scope"] = "openid email";
        replacement["redirect_uris"] = new[] { "https://registered.test/new-callback", "https://registered.test/a-callback" };
        var replaced = await SendAsync(client.Http, HttpMethod.Put, path, token, JsonContent.Create(replacement));
        var withoutClientId = await SendAsync(client.Http, HttpMethod.Put, path, token, JsonContent.Create(WebApp()));
        var wrongSecret = await SendAsync(client.Http, HttpMethod.Put, path, token, JsonContent.Create(new Dictionary<string, object>(replacement) { ["client_secret"] = "guess" }));
        var rightSecret = await SendAsync(client.Http, HttpMethod.Put, path, token,
            JsonContent.Create(new Dictionary<string, object>(replacement) { ["client_secret"] = registered.Get("client_secret")! }));
        var becomesPublic = await SendAsync(client.Http, HttpMethod.Put, path, token,
            JsonContent.Create(new Dictionary<string, object>(replacement) { ["token_endpoint_auth_method"] = "none" }));
        var badRedirect = await SendAsync(client.Http, HttpMethod.Put, path, token,
            JsonContent.Create(new Dictionary<string, object>(replacement) { ["redirect_uris"] = PlainHttpRedirect }));
        var deletedByOther = await SendAsync(client.Http, HttpMethod.Delete, path, other.RegistrationToken);
        var deleted = await SendAsync(client.Http, HttpMethod.Delete, path, token);
        var readAfter = await SendAsync(client.Http, HttpMethod.Get, path, token);
        var tokenAfter = await client.PostAsync("connect/token", new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = registered.ClientId, ["client_secret"] = registered.Get("client_secret"),
        });

        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(registered.ClientId, read.ClientId);
        Assert.Equal("https://registered.test/callback", read.Body.GetProperty("redirect_uris")[0].GetString());
        Assert.Equal(token, read.RegistrationToken);
        Assert.Null(read.Get("client_secret"));
        Assert.All(new[] { withOthersToken, withInitialToken, unknownClient, deletedByOther, readAfter }, answer =>
        {
            Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
            Assert.Equal("invalid_token", answer.Error);
        });
        Assert.Equal(HttpStatusCode.OK, replaced.Status);
        Assert.Equal("Renamed", replaced.Get("client_name"));
        Assert.Equal("openid email offline_access", replaced.Get("scope"));
        Assert.Equal(["https://registered.test/a-callback", "https://registered.test/new-callback"],
            replaced.Body.GetProperty("redirect_uris").EnumerateArray().Select(uri => uri.GetString()));
        Assert.Equal(("invalid_client_metadata", "invalid_client_metadata"), (withoutClientId.Error, wrongSecret.Error));
        Assert.Equal(HttpStatusCode.OK, rightSecret.Status);
        Assert.Equal("invalid_client_metadata", becomesPublic.Error);
        Assert.Equal("invalid_redirect_uri", badRedirect.Error);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal("invalid_client", tokenAfter.Error);
    }

    [Fact]
    public async Task RegisteredSinglePageApp_HasNoSecret_AndRedeemsItsCodeWithPkceAlone()
    {
        using var client = database.Provider.CreateTokenClient();
        var registered = await RegisterAsync(client.Http, await IssueInitialTokenAsync(database.Provider), new Dictionary<string, object>
        {
            ["client_name"] = "Registered SPA",
            ["redirect_uris"] = SpaRedirect,
            ["token_endpoint_auth_method"] = "none",
        });

        using var browser = new FormClient(database.Provider);
        await TestAccounts.SignInAsync(browser, await TestAccounts.CreateConfirmedAsync(database.Provider, "dcr-spa"));
        var flow = new CodeFlow(browser) { ClientId = registered.ClientId, RedirectUri = "https://spa.registered.test/", Scope = "openid" };
        var allowed = await ConsentTests.AnswerAsync(browser, await flow.AuthorizeAsync(), "Allow");
        using var back = await browser.Http.GetAsync(allowed.Headers.Location);
        var tokens = await client.CodeAsync(CodeFlow.ReturnedParameters(back)["code"], flow.RedirectUri, flow.Verifier, registered.ClientId, secret: null);

        Assert.Equal(HttpStatusCode.Created, registered.Status);
        Assert.Null(registered.Get("client_secret"));
        Assert.Equal("none", registered.Get("token_endpoint_auth_method"));
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Null(tokens.Get("refresh_token"));
    }
}
