using System.Text.Json;

namespace IdentityProvider.LoadTest;

/// <summary>The endpoints the scenarios use, read from the provider's discovery document (OpenID Connect Discovery 1.0 §4).</summary>
internal sealed record Discovery(Uri Document, Uri TokenEndpoint, Uri JwksUri, Uri? AuthorizationEndpoint)
{
    public static async Task<Discovery> ReadAsync(HttpClient http, Uri issuer, CancellationToken cancellationToken)
    {
        // Issuers may carry a path: the document lives under it (§4.1).
        var document = new Uri(issuer.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration");
        using var response = await http.GetAsync(document, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = json.RootElement;
        return new Discovery(
            document,
            Endpoint(root, "token_endpoint") ?? throw new InvalidOperationException($"{document} names no token_endpoint."),
            Endpoint(root, "jwks_uri") ?? throw new InvalidOperationException($"{document} names no jwks_uri."),
            Endpoint(root, "authorization_endpoint"));
    }

    private static Uri? Endpoint(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.GetString() is { } address ? new Uri(address) : null;
}
