using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IdentityProvider.Developers;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityProvider.IntegrationTests.Developers;

/// <summary>What a client of RFC 7591 / RFC 7592 sees: the status, the JSON answer and the WWW-Authenticate header.</summary>
public sealed record RegistrationAnswer(HttpStatusCode Status, JsonElement Body, string? WwwAuthenticate, string? CacheControl)
{
    public string? Get(string name) => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
        ? value.GetString()
        : null;

    public string? Error => Get("error");

    public string ClientId => Get("client_id") ?? throw new InvalidOperationException($"No client_id: {Status} {Body}");

    public string RegistrationToken => Get("registration_access_token") ?? throw new InvalidOperationException($"No registration_access_token: {Status} {Body}");
}

/// <summary>Dynamic client registration driven over HTTP, as an app's registration code would.</summary>
public static class Registration
{
    public static async Task<string> IssueInitialTokenAsync(ProviderFactory provider, int maxUses = 10)
    {
        await using var scope = provider.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<InitialAccessTokens>().IssueAsync("tests", TimeSpan.FromHours(1), maxUses)).Token;
    }

    public static Task<RegistrationAnswer> RegisterAsync(HttpClient http, string? initialToken, object metadata) =>
        SendAsync(http, HttpMethod.Post, "connect/register", initialToken, JsonContent.Create(metadata));

    public static Task<RegistrationAnswer> RegisterRawAsync(HttpClient http, string? initialToken, string body, string mediaType = "application/json") =>
        SendAsync(http, HttpMethod.Post, "connect/register", initialToken, new StringContent(body, Encoding.UTF8, mediaType));

    public static async Task<RegistrationAnswer> SendAsync(HttpClient http, HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new RegistrationAnswer(response.StatusCode, body, response.Headers.WwwAuthenticate.ToString(), response.Headers.CacheControl?.ToString());
    }

    /// <summary>A confidential web app's metadata, as a partner's server would send it.</summary>
    public static Dictionary<string, object> WebApp(string redirectUri = "https://registered.test/callback") => new()
    {
        ["client_name"] = "Registered <Web> App",
        ["redirect_uris"] = new[] { redirectUri },
        ["grant_types"] = new[] { "authorization_code", "refresh_token" },
        ["scope"] = "openid profile email",
        ["client_uri"] = "https://registered.test/",
        ["policy_uri"] = "https://registered.test/privacy",
        ["tos_uri"] = "https://registered.test/terms",
    };
}
