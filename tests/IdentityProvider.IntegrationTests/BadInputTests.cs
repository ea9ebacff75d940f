using System.Net;
using System.Text;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests;

public sealed class BadInputTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static Dictionary<string, string?> PasswordForm(string scope = "api") => new()
    {
        ["grant_type"] = "password",
        ["username"] = ProviderFactory.UserEmail,
        ["password"] = ProviderFactory.UserPassword,
        ["scope"] = scope,
        ["client_id"] = ProviderFactory.ConfidentialClient,
        ["client_secret"] = ProviderFactory.ConfidentialSecret,
    };

    [Fact]
    public async Task Token_WithoutGrantType_IsInvalidRequest()
    {
        using var client = database.Provider.CreateTokenClient();
        var form = PasswordForm();
        form.Remove("grant_type");

        var response = await client.PostAsync("connect/token", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid_request", response.Error);
    }

    [Fact]
    public async Task Token_WithDuplicatedParameter_IsInvalidRequest()
    {
        using var client = database.Provider.CreateTokenClient();
        var body = "grant_type=password&grant_type=password&username=alice%40example.com&password=x" +
            $"&client_id={ProviderFactory.ConfidentialClient}&client_secret={ProviderFactory.ConfidentialSecret}";

        using var response = await client.Http.PostAsync("connect/token", new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"));
        var token = await TokenResponse.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, token.Status);
        Assert.Equal("invalid_request", token.Error);
    }

    [Fact]
    public async Task Token_WithUnknownGrant_IsUnsupportedGrantType()
    {
        using var client = database.Provider.CreateTokenClient();
        var form = PasswordForm();
        form["grant_type"] = "urn:example:magic";

        var response = await client.PostAsync("connect/token", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("unsupported_grant_type", response.Error);
    }

    [Theory]
    [InlineData("no-such-scope")]
    [InlineData("admin")]
    public async Task Token_WithUnknownOrForbiddenScope_IsInvalidScope(string scope)
    {
        using var client = database.Provider.CreateTokenClient();

        var response = await client.PostAsync("connect/token", PasswordForm(scope));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid_scope", response.Error);
    }

    [Fact]
    public async Task Token_WithJsonBody_IsInvalidRequest()
    {
        using var client = database.Provider.CreateTokenClient();
        var json = "{\"grant_type\":\"password\",\"username\":\"alice@example.com\",\"password\":\"x\"}";

        using var response = await client.Http.PostAsync("connect/token", new StringContent(json, Encoding.UTF8, "application/json"));
        var token = await TokenResponse.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, token.Status);
        Assert.Equal("invalid_request", token.Error);
    }

    [Fact]
    public async Task Token_WithOversizedBody_Is413InvalidRequest()
    {
        using var client = database.Provider.CreateTokenClient();
        var form = PasswordForm();
        form["password"] = new string('x', 200_000);

        var response = await client.PostAsync("connect/token", form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Equal("invalid_request", response.Error);
    }

    [Fact]
    public async Task Token_ByGet_IsRejected()
    {
        using var client = database.Provider.CreateTokenClient();

        using var response = await client.Http.GetAsync("connect/token?grant_type=password");
        var token = await TokenResponse.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, token.Status);
        Assert.Equal("invalid_request", token.Error);
    }

    [Fact]
    public async Task Token_WithHostileValues_NeverAnswers500()
    {
        using var client = database.Provider.CreateTokenClient();
        var form = PasswordForm();
        form["username"] = "<script>alert(1)</script>'; DROP TABLE \"AspNetUsers\"; --";
        form["password"] = new string('€', 2_000);

        var response = await client.PostAsync("connect/token", form);

        form["username"] = "nul\0byte@example.com";
        var nulByte = await client.PostAsync("connect/token", form);

        Assert.Equal("invalid_grant", response.Error);
        Assert.Equal(HttpStatusCode.BadRequest, nulByte.Status);
        Assert.Equal("invalid_request", nulByte.Error);
        Assert.Equal(HttpStatusCode.OK, (await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword)).Status);
    }

    [Theory]
    [InlineData("connect/authorize?client_id=a%00b&response_type=code&redirect_uri=https%3A%2F%2Fx%2Fcb&scope=openid")]
    [InlineData("connect/userinfo?access_token=a%00b")]
    [InlineData(".well-known/openid-configuration?x=%00")]
    public async Task ProtocolEndpoints_WithANulInTheQuery_AnswerInvalidRequest(string address)
    {
        using var client = database.Provider.CreateTokenClient();

        using var response = await client.Http.GetAsync(address);
        var error = await TokenResponse.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", error.Error);
    }

    [Theory]
    [InlineData("a\0b:secret")]
    [InlineData("a%00b:secret")]
    [InlineData("client:se%00cret")]
    public async Task Token_WithANulInBasicCredentials_AnswersInvalidRequest(string credentials)
    {
        using var client = database.Provider.CreateTokenClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));

        using var response = await client.Http.SendAsync(request);
        var error = await TokenResponse.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", error.Error);
    }

    [Theory]
    [InlineData("Account/Login?ReturnUrl=%2F%00")]
    [InlineData("Admin/Users?q=a%00b")]
    [InlineData("Admin/Audit?user=%00")]
    public async Task Pages_WithANulInTheQuery_AnswerTheBadRequestPage(string address)
    {
        using var client = database.Provider.CreateTokenClient();

        using var response = await client.Http.GetAsync(address);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Request not accepted", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PageForm_WithANulInAField_AnswersTheBadRequestPage_AndTheFormStillWorks()
    {
        using var browser = new FormClient(database.Provider);

        var refused = await browser.SubmitAsync("Account/ForgotPassword", new() { ["Input.Email"] = "alice\0@example.com" });
        var accepted = await browser.SubmitAsync("Account/ForgotPassword", new() { ["Input.Email"] = "nobody@example.com" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Request not accepted", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
    }
}
