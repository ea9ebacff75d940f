using System.Net;
using System.Text.Json;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests;

public sealed class DiscoveryTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Discovery_AdvertisesIssuerEndpointsAndGrants()
    {
        using var client = database.Provider.CreateTokenClient();

        using var document = JsonDocument.Parse(await client.Http.GetStringAsync(".well-known/openid-configuration"));
        var root = document.RootElement;

        Assert.Equal("https://idp.test/", root.GetProperty("issuer").GetString());
        Assert.Equal("https://idp.test/connect/token", root.GetProperty("token_endpoint").GetString());
        Assert.Equal("https://idp.test/connect/userinfo", root.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal("https://idp.test/connect/revoke", root.GetProperty("revocation_endpoint").GetString());
        Assert.Equal("https://idp.test/connect/introspect", root.GetProperty("introspection_endpoint").GetString());
        var grants = root.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()).ToList();
        Assert.Contains("password", grants);
        Assert.Contains("refresh_token", grants);
        Assert.Contains("client_credentials", grants);
    }

    [Fact]
    public async Task OidccDiscovery_AdvertisesTheCodeFlowWithS256PkceAndIss()
    {
        using var client = database.Provider.CreateTokenClient();

        using var document = JsonDocument.Parse(await client.Http.GetStringAsync(".well-known/openid-configuration"));
        var root = document.RootElement;
        List<string?> Values(string name) => [.. root.GetProperty(name).EnumerateArray().Select(value => value.GetString())];

        Assert.Equal("https://idp.test/connect/authorize", root.GetProperty("authorization_endpoint").GetString());
        Assert.Equal("https://idp.test/connect/endsession", root.GetProperty("end_session_endpoint").GetString());
        Assert.Equal(["S256"], Values("code_challenge_methods_supported"));
        Assert.Contains("code", Values("response_types_supported"));
        Assert.Contains("authorization_code", Values("grant_types_supported"));
        Assert.Contains("form_post", Values("response_modes_supported"));
        Assert.True(root.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
        Assert.Contains("RS256", Values("id_token_signing_alg_values_supported"));
    }

    [Fact]
    public async Task Jwks_PublishesRsaSigningKeyWithKid()
    {
        using var client = database.Provider.CreateTokenClient();

        using var document = JsonDocument.Parse(await client.Http.GetStringAsync(".well-known/jwks"));

        var key = Assert.Single(document.RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
        Assert.False(key.TryGetProperty("d", out _));
    }

    [Theory]
    [InlineData(".well-known/jwks")]
    [InlineData(".well-known/openid-configuration")]
    public async Task Document_IsTheSameEveryTime_AndClientsMayCacheItForFiveMinutes(string path)
    {
        using var client = database.Provider.CreateTokenClient();

        using var first = await client.Http.GetAsync(path);
        using var second = await client.Http.GetAsync(path);
        using var head = await client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("application/json", second.Content.Headers.ContentType?.MediaType);
        Assert.True(second.Headers.CacheControl is { Public: true, MaxAge.TotalSeconds: 300 }, second.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Health_LiveAndReady_AreHealthy()
    {
        using var client = database.Provider.CreateTokenClient();

        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("health/ready")).StatusCode);
    }

    [Fact]
    public async Task UserInfo_WithAccessToken_ReturnsClaimsByScope()
    {
        using var client = database.Provider.CreateTokenClient();
        var tokens = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword, scope: "openid email");

        using var response = await UserInfoAsync(client, tokens.AccessToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(tokens.ReadAccessToken().Subject, document.RootElement.GetProperty("sub").GetString());
        Assert.Equal(ProviderFactory.UserEmail, document.RootElement.GetProperty("email").GetString());
        Assert.True(document.RootElement.GetProperty("email_verified").GetBoolean());
        Assert.False(document.RootElement.TryGetProperty("name", out _));
        Assert.False(document.RootElement.TryGetProperty("role", out _));
    }

    [Theory]
    [InlineData("password")]
    [InlineData("client_credentials")]
    public async Task UserInfo_WithAccessTokenWithoutOpenIdScope_IsForbiddenWithInsufficientScope(string grant)
    {
        using var client = database.Provider.CreateTokenClient();
        var tokens = grant == "password"
            ? await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword, scope: "api email profile")
            : await client.PostAsync("connect/token", new()
            {
                ["grant_type"] = "client_credentials",
                ["scope"] = "api",
                ["client_id"] = ProviderFactory.ServiceClient,
                ["client_secret"] = ProviderFactory.ServiceSecret,
            });

        using var response = await UserInfoAsync(client, tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"insufficient_scope\"", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserInfo_WithoutToken_IsUnauthorizedWithBearerChallenge()
    {
        using var client = database.Provider.CreateTokenClient();

        using var response = await client.Http.GetAsync("connect/userinfo");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task Introspection_ByResourceServerClient_ReportsActiveToken()
    {
        using var client = database.Provider.CreateTokenClient();
        var tokens = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);

        var response = await client.IntrospectAsync(tokens.RefreshToken, ProviderFactory.ConfidentialClient, ProviderFactory.ConfidentialSecret);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("True", response.Get("active"));
    }

    [Fact]
    public async Task Introspection_ByConfidentialClientWithoutThePermission_IsUnauthorizedClient()
    {
        using var client = database.Provider.CreateTokenClient();
        var tokens = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);

        var response = await client.IntrospectAsync(tokens.AccessToken, ProviderFactory.ServiceClient, ProviderFactory.ServiceSecret);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("unauthorized_client", response.Error);
        Assert.Null(response.Get("active"));
    }

    private static async Task<HttpResponseMessage> UserInfoAsync(TokenClient client, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "connect/userinfo");
        request.Headers.Authorization = new("Bearer", accessToken);
        return await client.Http.SendAsync(request);
    }
}
