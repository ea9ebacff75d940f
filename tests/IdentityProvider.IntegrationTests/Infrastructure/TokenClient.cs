using System.Net;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>Speaks to the provider the way an OAuth client does: form posts, JSON answers.</summary>
public sealed class TokenClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public Task<TokenResponse> PasswordAsync(string username, string password, string scope = "openid offline_access api email profile roles") =>
        PostAsync("connect/token", new()
        {
            ["grant_type"] = "password",
            ["username"] = username,
            ["password"] = password,
            ["scope"] = scope,
            ["client_id"] = ProviderFactory.ConfidentialClient,
            ["client_secret"] = ProviderFactory.ConfidentialSecret,
        });

    public Task<TokenResponse> RefreshAsync(string refreshToken, string clientId = ProviderFactory.ConfidentialClient, string? secret = ProviderFactory.ConfidentialSecret) =>
        PostAsync("connect/token", new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        });

    public Task<TokenResponse> CodeAsync(
        string code, string redirectUri, string? verifier, string clientId = ProviderFactory.CompanyClient, string? secret = ProviderFactory.CompanySecret) =>
        PostAsync("connect/token", new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        });

    public Task<TokenResponse> IntrospectAsync(string token, string clientId, string secret) =>
        PostAsync("connect/introspect", new()
        {
            ["token"] = token,
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        });

    public async Task<TokenResponse> PostAsync(string path, Dictionary<string, string?> form)
    {
        using var content = new FormUrlEncodedContent(form.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, string>(p.Key, p.Value!)));
        using var response = await Http.PostAsync(path, content);
        return await TokenResponse.ReadAsync(response);
    }

    public void Dispose() => Http.Dispose();
}

public sealed record TokenResponse(HttpStatusCode Status, JsonElement Body)
{
    public static async Task<TokenResponse> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var body = string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new TokenResponse(response.StatusCode, body);
    }

    public string? Get(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var value) ? value.ToString() : null;

    public string? Error => Get("error");

    public string AccessToken => Get("access_token") ?? throw new InvalidOperationException($"No access token: {Status} {Body}");

    public string RefreshToken => Get("refresh_token") ?? throw new InvalidOperationException($"No refresh token: {Status} {Body}");

    public JsonWebToken ReadAccessToken() => new(AccessToken);

    public JsonWebToken ReadIdentityToken() => new(Get("id_token") ?? throw new InvalidOperationException($"No id_token: {Status} {Body}"));
}
