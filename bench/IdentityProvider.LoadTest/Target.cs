using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace IdentityProvider.LoadTest;

/// <summary>A provider under load: its endpoints, its client credentials and the timed requests sent to it.</summary>
internal sealed class Target(string label, TargetSettings settings, Discovery discovery, HttpClient http) : IDisposable
{
    public string Label => label;

    public TargetSettings Settings => settings;

    public Discovery Discovery => discovery;

    public static async Task<Target> ConnectAsync(string label, TargetSettings settings, CancellationToken cancellationToken)
    {
        var http = CreateClient(cookies: null);
        try
        {
            return new Target(label, settings, await Discovery.ReadAsync(http, settings.Issuer, cancellationToken), http);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>Redirects are never followed: the sign-in walk reads them, and the scenarios count them as errors.</summary>
    public static HttpClient CreateClient(System.Net.CookieContainer? cookies) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = cookies is not null,
        CookieContainer = cookies ?? new(),
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public async Task<Answer> GetAsync(Uri address, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(address, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new Answer(Stopwatch.GetTimestamp() - started, response.IsSuccessStatusCode ? null : ErrorCode(response, body));
    }

    /// <summary>A token request with client_secret_basic, the method every provider supports (RFC 6749 §2.3.1).</summary>
    public async Task<Answer> RequestTokenAsync(IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, discovery.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(parameters),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", ClientCredentials);
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var elapsed = Stopwatch.GetTimestamp() - started;
        return response.IsSuccessStatusCode
            ? new Answer(elapsed, null, RefreshToken(body))
            : new Answer(elapsed, ErrorCode(response, body));
    }

    public void Dispose() => http.Dispose();

    // RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined and base64-encoded.
    private string ClientCredentials { get; } = Convert.ToBase64String(Encoding.UTF8.GetBytes(
        Uri.EscapeDataString(settings.ClientId) + ":" + Uri.EscapeDataString(settings.ClientSecret)));

    private static string? RefreshToken(byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty("refresh_token", out var token) ? token.GetString() : null;
    }

    /// <summary>The OAuth error code when the body carries one (invalid_grant...), otherwise the HTTP status.</summary>
    private static string ErrorCode(HttpResponseMessage response, byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error) && error.GetString() is { } code)
            {
                return code;
            }
        }
        catch (JsonException)
        {
        }

        return "http_" + (int)response.StatusCode;
    }
}
