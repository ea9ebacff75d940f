using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests.Sso;

/// <summary>A SPA (public client) may call the token endpoint from JavaScript on its own origin, and no other site may.</summary>
public sealed class CorsTests(SsoFixture fixture) : IClassFixture<SsoFixture>
{
    private async Task<HttpResponseMessage> PreflightAsync(string path, string origin)
    {
        using var client = fixture.Provider.CreateTokenClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return await client.Http.SendAsync(request);
    }

    [Theory]
    [InlineData("connect/token")]
    [InlineData("connect/userinfo")]
    [InlineData(".well-known/openid-configuration")]
    public async Task Preflight_FromAPublicClientsOrigin_IsAllowed(string path)
    {
        using var response = await PreflightAsync(path, "https://app.test");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://app.test", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("https://evil.test")]
    [InlineData("https://company.test")]
    [InlineData("https://app.test.evil.test")]
    public async Task Preflight_FromAnyOtherOrigin_GetsNoCorsHeaders(string origin)
    {
        using var response = await PreflightAsync("connect/token", origin);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflight_ForTheAuthorizationEndpoint_GetsNoCorsHeaders()
    {
        using var response = await PreflightAsync("connect/authorize", "https://app.test");

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task TokenRequest_FromThePublicClientsOrigin_CarriesTheAllowOriginHeader()
    {
        using var client = fixture.Provider.CreateTokenClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "connect/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", "unknown"), new("client_id", ProviderFactory.PublicClient)]),
        };
        request.Headers.Add("Origin", "https://app.test");

        using var response = await client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("https://app.test", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }
}
